using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Runtime.Services;
using NafflesBotKit.Runtime.Services.Caching;
using NafflesBotKit.Runtime.Tests.Support;
using NafflesBotKit.Services;

namespace NafflesBotKit.Runtime.Tests.Services;

/// <summary>The bot cache's contract, memory-only and with Redis as the second level.</summary>
public abstract class BotCacheTests : IAsyncLifetime
{
    private ServiceProvider _services = null!;

    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    protected CapturingLoggerProvider Logs { get; } = new();

    protected BotCache Sut { get; private set; } = null!;

    private static TestJsonContext Json => TestJsonContext.Default;

    public Task InitializeAsync()
    {
        _services = Build(s => { });
        Sut = (BotCache)_services.GetRequiredService<IBotCache>();
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync() => await _services.DisposeAsync();

    protected abstract void AddSecondLevel(IServiceCollection services);

    protected ServiceProvider Build(Action<CacheOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(Logs));
        services.AddSingleton<TimeProvider>(Time);
        services.AddHybridCache();
        AddSecondLevel(services);
        services.AddOptions<CacheOptions>().Configure(configure);
        services.AddSingleton<IBotCache, BotCache>();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task GetOrCreateAsync_Hit_DoesNotRunTheFactoryAgain()
    {
        var calls = 0;
        for (var i = 0; i < 3; i++)
        {
            var result = await Sut.GetOrCreateAsync("c1", Json.String, _ => { calls++; return ValueTask.FromResult("community"); }, CacheEntryKind.Communities);
            Assert.Equal("community", result.Value);
            Assert.False(result.IsStale);
        }

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task GetOrCreateAsync_ConcurrentMisses_RunTheFactoryOnce()
    {
        var calls = 0;
        var gate = new TaskCompletionSource();
        var reads = Enumerable.Range(0, 20).Select(_ => Sut.GetOrCreateAsync("hot", Json.Int32, async _ =>
        {
            Interlocked.Increment(ref calls);
            await gate.Task;
            return 42;
        }).AsTask()).ToList();
        gate.SetResult();

        var results = await Task.WhenAll(reads);

        Assert.All(results, r => Assert.Equal(42, r.Value));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task GetOrCreateAsync_AfterLifetime_RunsTheFactoryAgain()
    {
        await Sut.GetOrCreateAsync("t1", Json.String, _ => ValueTask.FromResult("v1"), CacheEntryKind.Tasks);
        Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("v1", (await Sut.GetOrCreateAsync("t1", Json.String, _ => ValueTask.FromResult("v2"), CacheEntryKind.Tasks)).Value);

        Time.Advance(TimeSpan.FromSeconds(1));
        var refreshed = await Sut.GetOrCreateAsync("t1", Json.String, _ => ValueTask.FromResult("v2"), CacheEntryKind.Tasks);

        Assert.Equal("v2", refreshed.Value);
        Assert.False(refreshed.IsStale);
        Assert.Equal("v2", (await Sut.GetOrCreateAsync("t1", Json.String, _ => ValueTask.FromResult("v3"), CacheEntryKind.Tasks)).Value);
    }

    [Fact]
    public async Task GetOrCreateAsync_FactoryFailsAfterLifetime_ServesLastGoodValueAsStaleWithAWarning()
    {
        var mapping = new MessageMapping(1, 2, "t1");
        await Sut.GetOrCreateAsync("t1", Json.MessageMapping, _ => ValueTask.FromResult(mapping), CacheEntryKind.Tasks);
        Time.Advance(TimeSpan.FromMinutes(2));

        var stale = await Sut.GetOrCreateAsync<MessageMapping>("t1", Json.MessageMapping, _ => throw new HttpRequestException("naffles down"), CacheEntryKind.Tasks);

        Assert.True(stale.IsStale);
        Assert.Equal(mapping, stale.Value);
        Assert.Contains(Logs.Entries, e => e.Level == LogLevel.Warning && e.Exception is HttpRequestException && e.Message.Contains("tasks:t1", StringComparison.Ordinal));

        // The API recovers: the next read is fresh again.
        var fresh = await Sut.GetOrCreateAsync("t1", Json.MessageMapping, _ => ValueTask.FromResult(mapping with { MessageId = 3 }), CacheEntryKind.Tasks);
        Assert.False(fresh.IsStale);
        Assert.Equal(3UL, fresh.Value.MessageId);
    }

    [Fact]
    public async Task GetOrCreateAsync_FactoryFailsWithNoLastGoodValue_Throws()
    {
        await Assert.ThrowsAsync<HttpRequestException>(async () =>
            await Sut.GetOrCreateAsync<string>("never", Json.String, _ => throw new HttpRequestException("down")));
    }

    [Fact]
    public async Task InvalidateTagAsync_RemovesEveryEntryWithTheTag_AndOnlyThose()
    {
        await Sut.GetOrCreateAsync("a", Json.String, _ => ValueTask.FromResult("a1"), CacheEntryKind.Allowlists, ["community:7"]);
        await Sut.GetOrCreateAsync("b", Json.String, _ => ValueTask.FromResult("b1"), CacheEntryKind.Tasks, ["community:7"]);
        await Sut.GetOrCreateAsync("c", Json.String, _ => ValueTask.FromResult("c1"), CacheEntryKind.Tasks, ["community:8"]);
        Time.Advance(TimeSpan.FromMilliseconds(10));

        await Sut.InvalidateTagAsync("community:7");

        Assert.Equal("a2", (await Sut.GetOrCreateAsync("a", Json.String, _ => ValueTask.FromResult("a2"), CacheEntryKind.Allowlists, ["community:7"])).Value);
        Assert.Equal("b2", (await Sut.GetOrCreateAsync("b", Json.String, _ => ValueTask.FromResult("b2"), CacheEntryKind.Tasks, ["community:7"])).Value);
        Assert.Equal("c1", (await Sut.GetOrCreateAsync("c", Json.String, _ => ValueTask.FromResult("c2"), CacheEntryKind.Tasks, ["community:8"])).Value);
    }

    [Fact]
    public async Task SetAndRemove_ReplaceAndDropTheValue()
    {
        await Sut.SetAsync("u1", "alice", Json.String, CacheEntryKind.Users);
        Assert.Equal("alice", (await Sut.GetOrCreateAsync("u1", Json.String, _ => ValueTask.FromResult("bob"), CacheEntryKind.Users)).Value);

        await Sut.RemoveAsync("u1", CacheEntryKind.Users);

        Assert.Equal("bob", (await Sut.GetOrCreateAsync("u1", Json.String, _ => ValueTask.FromResult("bob"), CacheEntryKind.Users)).Value);
    }

    [Fact]
    public async Task Kinds_AreSeparateNamespaces()
    {
        await Sut.SetAsync("1", "community", Json.String, CacheEntryKind.Communities);

        Assert.Equal("user", (await Sut.GetOrCreateAsync("1", Json.String, _ => ValueTask.FromResult("user"), CacheEntryKind.Users)).Value);
    }

    [Fact]
    public async Task MaxEntries_OldestOfTheKindIsEvicted()
    {
        await using var services = Build(o => o.Kinds[CacheEntryKind.Tasks] = new CacheKindOptions(TimeSpan.FromMinutes(1), 2));
        var sut = (BotCache)services.GetRequiredService<IBotCache>();
        foreach (var key in new[] { "t1", "t2", "t3" })
        {
            await sut.GetOrCreateAsync(key, Json.String, _ => ValueTask.FromResult(key + "-v1"), CacheEntryKind.Tasks);
        }

        Assert.Equal(2, sut.TrackedCount(CacheEntryKind.Tasks));
        Assert.Equal("t1-v2", (await sut.GetOrCreateAsync("t1", Json.String, _ => ValueTask.FromResult("t1-v2"), CacheEntryKind.Tasks)).Value);
        Assert.Equal("t3-v1", (await sut.GetOrCreateAsync("t3", Json.String, _ => ValueTask.FromResult("t3-v2"), CacheEntryKind.Tasks)).Value);
    }

    [Fact]
    public void Options_Defaults_AreTheSeeds()
    {
        var options = new CacheOptions();
        Assert.Equal((TimeSpan.FromMinutes(5), 1000), (options.For(CacheEntryKind.Communities).Lifetime, options.For(CacheEntryKind.Communities).MaxEntries));
        Assert.Equal((TimeSpan.FromMinutes(10), 5000), (options.For(CacheEntryKind.Users).Lifetime, options.For(CacheEntryKind.Users).MaxEntries));
        Assert.Equal((TimeSpan.FromMinutes(1), 2000), (options.For(CacheEntryKind.Tasks).Lifetime, options.For(CacheEntryKind.Tasks).MaxEntries));
        Assert.Equal((TimeSpan.FromMinutes(2), 1000), (options.For(CacheEntryKind.Allowlists).Lifetime, options.For(CacheEntryKind.Allowlists).MaxEntries));
    }
}

public sealed class MemoryBotCacheTests : BotCacheTests
{
    protected override void AddSecondLevel(IServiceCollection services)
    {
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisBotCacheTests(RedisServerFixture redis) : BotCacheTests
{
    private readonly RedisConnection _connection = redis.CreateConnection();

    [Fact]
    public async Task SecondLevel_AnotherHostReadsTheValueWithoutRunningItsFactory()
    {
        await Sut.GetOrCreateAsync("shared", TestJsonContext.Default.String, _ => ValueTask.FromResult("from-host-1"), CacheEntryKind.Communities);

        await using var otherHost = Build(_ => { });
        var other = otherHost.GetRequiredService<IBotCache>();
        var result = await other.GetOrCreateAsync("shared", TestJsonContext.Default.String, _ => ValueTask.FromResult("from-host-2"), CacheEntryKind.Communities);

        Assert.Equal("from-host-1", result.Value);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _connection.DisposeAsync();
    }

    protected override void AddSecondLevel(IServiceCollection services) =>
        services.AddSingleton<IDistributedCache>(new RedisDistributedCache(_connection));
}
