using System.Globalization;
using BenchmarkDotNet.Attributes;
using NafflesBotKit.Runtime.Services;
using NafflesBotKit.Runtime.Services.RateLimiting;
using NafflesBotKit.Services;

namespace NafflesBotKit.Benchmarks;

/// <summary>
/// One interaction's rate-limit decision: four tiers (global, guild, user, command) checked and charged at once,
/// across 1,000 users and 50 guilds so most keys are warm but distinct. Permits are high so every decision is
/// "allowed", the common path.
/// </summary>
[MemoryDiagnoser]
public class RateLimiterBenchmarks
{
    private const int Users = 1000;
    private RateLimitRule[][] _rules = [];
    private IRateLimiter _limiter = null!;
    private LocalRedis? _redis;
    private RedisConnection? _connection;
    private int _next;

    [Params("memory", "redis")]
    public string Backend { get; set; } = "memory";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _rules = [.. Enumerable.Range(0, Users).Select(u =>
        {
            var user = u.ToString(CultureInfo.InvariantCulture);
            return new RateLimitRule[]
            {
                new("global", int.MaxValue, TimeSpan.FromMinutes(1)),
                new("guild:" + (u % 50).ToString(CultureInfo.InvariantCulture), int.MaxValue, TimeSpan.FromMinutes(1)),
                new("user:" + user, int.MaxValue, TimeSpan.FromMinutes(1)),
                new("cmd:naffles-list-tasks:" + user, int.MaxValue, TimeSpan.FromMinutes(5)),
            };
        })];
        if (Backend == "redis")
        {
            _redis = await LocalRedis.StartAsync();
            _connection = _redis.Connect();
            _limiter = new RedisRateLimiter(_connection, TimeProvider.System);
        }
        else
        {
            _limiter = new MemoryRateLimiter(TimeProvider.System);
        }

        await _limiter.TryAcquireAsync(_rules[0]);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Benchmark(Description = "decision, 4 tiers")]
    public ValueTask<RateLimitDecision> Decide() => _limiter.TryAcquireAsync(_rules[_next++ % Users]);

    /// <summary>16 decisions in flight at once (how a busy host calls it); divide the time by 16 per decision.</summary>
    [Benchmark(Description = "16 concurrent decisions", OperationsPerInvoke = 16)]
    public async Task DecideConcurrently()
    {
        var pending = new Task<RateLimitDecision>[16];
        for (var i = 0; i < pending.Length; i++)
        {
            pending[i] = _limiter.TryAcquireAsync(_rules[_next++ % Users]).AsTask();
        }

        await Task.WhenAll(pending);
    }
}
