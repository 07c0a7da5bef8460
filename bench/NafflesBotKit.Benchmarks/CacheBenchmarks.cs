using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using NafflesBotKit.Runtime.Services;
using NafflesBotKit.Runtime.Services.Caching;
using NafflesBotKit.Services;

namespace NafflesBotKit.Benchmarks;

public sealed record CommunityDto(string Id, string Name, int MemberCount, string PointsName, IReadOnlyList<string> Admins);

[JsonSerializable(typeof(CommunityDto))]
public sealed partial class BenchJsonContext : JsonSerializerContext;

/// <summary>
/// The cache hit path: a fresh entry read through <see cref="IBotCache.GetOrCreateAsync{T}"/> (HybridCache L1 lookup,
/// freshness stamp check, JSON deserialisation with the caller's type info). With Redis configured the hit is still
/// served from memory; the L2 only matters on an L1 miss.
/// </summary>
[MemoryDiagnoser]
public class CacheBenchmarks
{
    private static readonly Func<CancellationToken, ValueTask<CommunityDto>> Factory =
        _ => ValueTask.FromResult(new CommunityDto("c-1", "Naffles Club", 1234, "Points", ["u1", "u2", "u3"]));

    private ServiceProvider _services = null!;
    private IBotCache _cache = null!;
    private LocalRedis? _redis;

    [Params("memory", "memory+redis")]
    public string Levels { get; set; } = "memory";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddHybridCache();
        services.AddOptions<CacheOptions>();
        services.AddSingleton<IBotCache, BotCache>();
        if (Levels != "memory")
        {
            _redis = await LocalRedis.StartAsync();
            var connection = _redis.Connect();
            services.AddSingleton(connection);
            services.AddSingleton<IDistributedCache>(new RedisDistributedCache(connection));
        }

        _services = services.BuildServiceProvider();
        _cache = _services.GetRequiredService<IBotCache>();
        await _cache.GetOrCreateAsync("c-1", BenchJsonContext.Default.CommunityDto, Factory, CacheEntryKind.Communities);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _services.DisposeAsync();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Benchmark(Description = "hit (fresh)")]
    public ValueTask<CacheResult<CommunityDto>> Hit() =>
        _cache.GetOrCreateAsync("c-1", BenchJsonContext.Default.CommunityDto, Factory, CacheEntryKind.Communities);
}
