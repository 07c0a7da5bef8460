using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Discord.Gateway;
using NafflesBotKit.Host.Cluster;
using NafflesBotKit.Runtime.Services;
using NafflesBotKit.Testing.Redis;
using StackExchange.Redis;

namespace NafflesBotKit.Host.Tests.Cluster;

/// <summary>The Redis side of a cluster against a real redis-server: leases, fencing, sessions, identify spacing and budget, the REST global limit.</summary>
public sealed class RedisClusterStoreTests : IAsyncLifetime
{
    private RedisTestServer _server = null!;
    private readonly List<RedisConnection> _connections = [];
    private readonly string _prefix = RedisTestServer.UniquePrefix();

    public async Task InitializeAsync() => _server = await RedisTestServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var c in _connections)
        {
            await c.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    /// <summary>A separate connection, as another process would have.</summary>
    private RedisConnection Connect()
    {
        var c = new RedisConnection(Options.Create(new RedisOptions { Configuration = _server.Configuration, KeyPrefix = _prefix }));
        _connections.Add(c);
        return c;
    }

    [Fact]
    public async Task Lease_IsExclusive_FencedAndTakenOverAfterExpiry()
    {
        var a = new RedisShardLeaseStore(Connect(), TimeProvider.System);
        var b = new RedisShardLeaseStore(Connect(), TimeProvider.System);
        var ttl = TimeSpan.FromMilliseconds(600);

        var leaseA = await a.TryAcquireAsync(3, "A", ttl, default);
        Assert.NotNull(leaseA);
        Assert.Null(await b.TryAcquireAsync(3, "B", ttl, default));
        Assert.True(await a.RenewAsync(leaseA, ttl, default));
        Assert.True(await b.IsHeldAsync(leaseA, default));
        await a.SaveSessionAsync(leaseA, new ShardSessionState("s1", "ws://resume", 42), default);

        var owners = await b.GetOwnersAsync(4, default);
        Assert.Equal("A", owners[3].Owner);
        Assert.Null(owners[0].Owner);

        await Task.Delay(900); // A stops renewing (crashed)
        var leaseB = await b.TryAcquireAsync(3, "B", ttl, default);
        Assert.NotNull(leaseB);
        Assert.True(leaseB.FencingToken > leaseA.FencingToken);
        Assert.Equal(new ShardSessionState("s1", "ws://resume", 42), await b.LoadSessionAsync(3, default));

        // The stale holder can no longer renew, release, pass the fence or overwrite the session.
        Assert.False(await a.RenewAsync(leaseA, ttl, default));
        Assert.False(await a.IsHeldAsync(leaseA, default));
        Assert.False(await a.ReleaseAsync(leaseA, default));
        await a.SaveSessionAsync(leaseA, new ShardSessionState("stale", "ws://x", 1), default);
        Assert.Equal("s1", (await b.LoadSessionAsync(3, default))!.SessionId);

        Assert.True(await b.ReleaseAsync(leaseB, default));
        var again = await a.TryAcquireAsync(3, "A", ttl, default);
        Assert.True(again!.FencingToken > leaseB.FencingToken);
    }

    [Fact]
    public async Task Membership_CountsLiveProcesses()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var a = new RedisShardLeaseStore(Connect(), time);
        var b = new RedisShardLeaseStore(Connect(), time);
        Assert.Equal(1, await a.HeartbeatAsync("A", TimeSpan.FromSeconds(10), default));
        Assert.Equal(2, await b.HeartbeatAsync("B", TimeSpan.FromSeconds(10), default));
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(2, await a.HeartbeatAsync("A", TimeSpan.FromSeconds(10), default));
        time.Advance(TimeSpan.FromSeconds(6)); // B missed its heartbeats
        Assert.Equal(1, await a.HeartbeatAsync("A", TimeSpan.FromSeconds(10), default));
        await a.LeaveAsync("A", default);
        Assert.Equal(1, await b.HeartbeatAsync("B", TimeSpan.FromSeconds(10), default));
    }

    [Fact]
    public async Task IdentifyThrottle_SpacesOneKeyAcrossProcesses_AndLetsOtherKeysGo()
    {
        // Judged on Redis's clock (TIME inside the script), so this runs on real time.
        var p1 = new RedisIdentifyThrottler(Connect(), TimeProvider.System, NullLogger<RedisIdentifyThrottler>.Instance);
        var p2 = new RedisIdentifyThrottler(Connect(), TimeProvider.System, NullLogger<RedisIdentifyThrottler>.Instance);

        await p1.WaitAsync(0, 2, default).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        var started = System.Diagnostics.Stopwatch.StartNew();
        await p2.WaitAsync(1, 2, default).AsTask().WaitAsync(TimeSpan.FromSeconds(5)); // key 1: its own bucket
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2));
        await p2.WaitAsync(2, 2, default).AsTask().WaitAsync(TimeSpan.FromSeconds(10)); // key 0 again, from the other process
        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(50), $"key 0 identified again after {started.Elapsed}");
    }

    [Fact]
    public async Task IdentifySent_MovesTheKeysWindowStartToTheSend_NeverBack()
    {
        var redis = Connect();
        var p1 = new RedisIdentifyThrottler(redis, TimeProvider.System, NullLogger<RedisIdentifyThrottler>.Instance);
        var db = await redis.GetDatabaseAsync(default);
        RedisKey key = redis.KeyPrefix + "identify:0";

        await p1.WaitAsync(0, 1, default).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        var granted = (long)await db.StringGetAsync(key);
        await Task.Delay(300); // the Identify leaves a while after its grant
        await p1.IdentifySentAsync(0, 1, default);
        var sent = (long)await db.StringGetAsync(key);
        Assert.True(sent >= granted + 250, $"window start {granted} -> {sent}");

        await db.StringSetAsync(key, sent + 60_000, TimeSpan.FromSeconds(30)); // a later grant from another process
        await p1.IdentifySentAsync(0, 1, default);
        Assert.Equal(sent + 60_000, (long)await db.StringGetAsync(key));
    }

    [Fact]
    public async Task IdentifyBudget_IsSharedAndStopsIdentifiesWhenSpent()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var p1 = new RedisIdentifyThrottler(Connect(), time, NullLogger<RedisIdentifyThrottler>.Instance);
        var p2 = new RedisIdentifyThrottler(Connect(), time, NullLogger<RedisIdentifyThrottler>.Instance);
        await p1.SeedAsync(new SessionStartLimit(1000, 2, TimeSpan.FromHours(4), 16), default);
        await p2.SeedAsync(new SessionStartLimit(1000, 900, TimeSpan.FromHours(4), 16), default); // NX: already seeded

        await p1.WaitAsync(0, 16, default).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        await p2.WaitAsync(1, 16, default).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        var third = p2.WaitAsync(2, 16, default).AsTask();
        await Task.Delay(300);
        time.Advance(TimeSpan.FromSeconds(10));
        await Task.Delay(300);
        Assert.False(third.IsCompleted);
    }

    [Fact]
    public async Task GlobalRestLimit_IsOneBudgetForAllProcesses()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var p1 = new RedisGlobalRateLimit(Connect(), time);
        var p2 = new RedisGlobalRateLimit(Connect(), time);
        var granted = 0;
        for (var i = 0; i < 10; i++)
        {
            if (await (i % 2 == 0 ? p1 : p2).TryAcquireAsync(6, default) == TimeSpan.Zero)
            {
                granted++;
            }
        }

        Assert.Equal(6, granted);
        var wait = await p1.TryAcquireAsync(6, default);
        Assert.InRange(wait, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, await p2.TryAcquireAsync(6, default));
    }
}
