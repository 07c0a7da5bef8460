using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NafflesBotKit.Discord.Rest;
using NafflesBotKit.Messages;
using NafflesBotKit.Testing.Discord;

namespace NafflesBotKit.Benchmarks;

/// <summary>
/// Discord REST requests per second through the rate limiter (bucket queues, global window, header parsing) against
/// the loopback emulator, with limits raised so the limiter decides but never waits; plus the limiter alone.
/// </summary>
[Config(typeof(ShortInProcess))]
[MemoryDiagnoser]
public class RestLimiterBenchmarks
{
    private const int Parallel = 64;
    private DiscordEmulator _emulator = null!;
    private ServiceProvider _services = null!;
    private DiscordRestClient _rest = null!;
    private ulong[] _channels = [];
    private DiscordRateLimiter _limiter = null!;
    private RestRoute _route;
    private readonly MessagePayload _message = MessagePayload.FromText("benchmark");

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _emulator = new DiscordEmulator(new DiscordEmulatorOptions { GlobalLimitPerSecond = 1_000_000, DefaultRouteLimit = 1_000_000, DefaultRouteWindow = TimeSpan.FromSeconds(1) });
        var urls = await _emulator.StartAsync();
        var (guild, channel) = _emulator.AddGuild();
        _channels = [channel, .. Enumerable.Range(0, 15).Select(_ => _emulator.AddChannel(guild.Id))];
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:Token"] = _emulator.BotToken,
            ["Discord:ApiBaseUrl"] = urls.RestBaseUrl.ToString(),
            ["Discord:CommandSync:Mode"] = "Off",
            ["Discord:GlobalRequestsPerSecond"] = "100000",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDiscordRest(configuration);
        _services = services.BuildServiceProvider();
        _rest = _services.GetRequiredService<DiscordRestClient>();
        _limiter = new DiscordRateLimiter(TimeProvider.System, 1_000_000);
        _route = RestRoute.From(HttpMethod.Post, "/channels/" + channel.ToString(CultureInfo.InvariantCulture) + "/messages", TimeProvider.System);
        await _rest.SendMessageAsync(channel, _message, CancellationToken.None);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _services.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    /// <summary>One create-message at a time, same bucket: latency through limiter + loopback HTTP + emulator.</summary>
    [Benchmark]
    public ValueTask<ulong> SendMessage_Serial() => _rest.SendMessageAsync(_channels[0], _message, CancellationToken.None);

    /// <summary>64 create-messages in flight across 16 channel buckets (each bucket still serial).</summary>
    [Benchmark(OperationsPerInvoke = Parallel)]
    public Task SendMessage_16Buckets_64InFlight() =>
        Task.WhenAll(Enumerable.Range(0, Parallel).Select(i => _rest.SendMessageAsync(_channels[i % _channels.Length], _message, CancellationToken.None).AsTask()));

    /// <summary>The limiter's own cost per request: bucket lookup, bucket wait, global window (no HTTP).</summary>
    [Benchmark]
    public async ValueTask Limiter_Only()
    {
        var bucket = _limiter.GetBucket(_route);
        await bucket.Gate.WaitAsync();
        try
        {
            await _limiter.WaitForBucketAsync(bucket, CancellationToken.None);
            await _limiter.WaitForGlobalAsync(true, CancellationToken.None);
        }
        finally
        {
            bucket.Gate.Release();
        }
    }

    private sealed class ShortInProcess : ManualConfig
    {
        public ShortInProcess() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    }
}
