using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Runtime.Services;
using NafflesBotKit.Runtime.Services.RateLimiting;
using NafflesBotKit.Services;

namespace NafflesBotKit.Runtime.Tests.Services;

/// <summary>The contract of a rate limiter; the memory and Redis implementations run the same suite on fake time.</summary>
public abstract class RateLimiterTests : IAsyncLifetime
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    protected IRateLimiter Sut { get; private set; } = null!;

    public async Task InitializeAsync() => Sut = await CreateSutAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract ValueTask<IRateLimiter> CreateSutAsync();

    [Fact]
    public async Task TryAcquireAsync_UpToPermits_AllowedThenDeniedWithRetryAfterToWindowEnd()
    {
        for (var i = 0; i < 10; i++)
        {
            var ok = await Acquire(("user:1", 10, Minute));
            Assert.True(ok.Allowed);
            Assert.Equal(9 - i, ok.Remaining);
        }

        Time.Advance(TimeSpan.FromSeconds(20));
        var denied = await Acquire(("user:1", 10, Minute));

        Assert.False(denied.Allowed);
        Assert.Equal("user:1", denied.LimitedKey);
        Assert.Equal(TimeSpan.FromSeconds(40), denied.RetryAfter);
    }

    [Fact]
    public async Task TryAcquireAsync_AfterWindowElapses_ResetsTheCount()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await Acquire(("k", 3, Minute))).Allowed);
        }

        Time.Advance(TimeSpan.FromSeconds(59));
        Assert.False((await Acquire(("k", 3, Minute))).Allowed);

        Time.Advance(TimeSpan.FromSeconds(1));
        var again = await Acquire(("k", 3, Minute));
        Assert.True(again.Allowed);
        Assert.Equal(2, again.Remaining);
    }

    [Fact]
    public async Task TryAcquireAsync_OneRuleExhausted_DeniesAndChargesNoOtherRule()
    {
        Assert.True((await Acquire(("cmd", 1, Minute))).Allowed);
        for (var i = 0; i < 5; i++)
        {
            Assert.False((await Acquire(("global", 3, Minute), ("cmd", 1, Minute))).Allowed);
        }

        // The refusals did not consume the global budget: 2 of its 3 permits are left.
        Assert.Equal(2, (await Acquire(("global", 3, Minute))).Remaining);
    }

    [Fact]
    public async Task TryAcquireAsync_SeveralRulesExhausted_ReportsTheLongestWait()
    {
        await Acquire(("short", 1, TimeSpan.FromSeconds(10)), ("long", 1, TimeSpan.FromMinutes(5)));

        var denied = await Acquire(("short", 1, TimeSpan.FromSeconds(10)), ("long", 1, TimeSpan.FromMinutes(5)));

        Assert.Equal("long", denied.LimitedKey);
        Assert.Equal(TimeSpan.FromMinutes(5), denied.RetryAfter);
    }

    [Fact]
    public async Task TryAcquireAsync_Allowed_RemainingIsTheSmallestAcrossRules()
    {
        var decision = await Acquire(("a", 10, Minute), ("b", 3, Minute), ("c", 100, Minute));

        Assert.True(decision.Allowed);
        Assert.Equal(2, decision.Remaining);
    }

    [Fact]
    public async Task TryAcquireAsync_DifferentKeys_AreCountedSeparately()
    {
        Assert.True((await Acquire(("user:1", 1, Minute))).Allowed);
        Assert.False((await Acquire(("user:1", 1, Minute))).Allowed);
        Assert.True((await Acquire(("user:2", 1, Minute))).Allowed);
    }

    [Fact]
    public async Task TryAcquireAsync_Concurrent_GrantsExactlyThePermits()
    {
        var decisions = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => Acquire(("hot", 10, Minute)).AsTask())));

        Assert.Equal(10, decisions.Count(d => d.Allowed));
    }

    [Fact]
    public async Task PluginRateLimiter_PrefixesKeys_SoPluginsDoNotShareCounters()
    {
        var a = new PluginRateLimiter(Sut, "plugin.a");
        var b = new PluginRateLimiter(Sut, "plugin.b");
        RateLimitRule[] rule = [new("api", 1, Minute)];

        Assert.True((await a.TryAcquireAsync(rule)).Allowed);
        var denied = await a.TryAcquireAsync(rule);
        Assert.False(denied.Allowed);
        Assert.Equal("api", denied.LimitedKey);
        Assert.True((await b.TryAcquireAsync(rule)).Allowed);
        Assert.True((await Acquire(("api", 1, Minute))).Allowed);
    }

    protected ValueTask<RateLimitDecision> Acquire(params (string Key, int Permits, TimeSpan Window)[] rules) =>
        Sut.TryAcquireAsync([.. rules.Select(r => new RateLimitRule(r.Key, r.Permits, r.Window))]);
}

public sealed class MemoryRateLimiterTests : RateLimiterTests
{
    [Fact]
    public async Task ExpiredWindows_AreSweptEventually()
    {
        var sut = (MemoryRateLimiter)Sut;
        for (var i = 0; i < 100; i++)
        {
            await Acquire(($"k{i}", 1, TimeSpan.FromSeconds(1)));
        }

        Time.Advance(TimeSpan.FromSeconds(2));
        for (var i = 0; i < 4096; i++)
        {
            await Acquire(("steady", int.MaxValue, TimeSpan.FromHours(1)));
        }

        Assert.True(sut.TrackedKeys < 100);
    }

    protected override ValueTask<IRateLimiter> CreateSutAsync() => ValueTask.FromResult<IRateLimiter>(new MemoryRateLimiter(Time));
}

[Collection(RedisCollection.Name)]
public sealed class RedisRateLimiterTests(RedisServerFixture redis) : RateLimiterTests
{
    private RedisConnection? _connection;

    public override async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    protected override ValueTask<IRateLimiter> CreateSutAsync()
    {
        _connection = redis.CreateConnection();
        return ValueTask.FromResult<IRateLimiter>(new RedisRateLimiter(_connection, Time));
    }
}
