using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Plugins.Shared;

namespace NafflesBotKit.Plugins.Features.Tests;

public sealed class SharedTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, null, false, "NoSyncNeeded")]
    [InlineData(null, 0.0, false, "NafflesToDiscord")]
    [InlineData(0.0, null, false, "DiscordToNaffles")]
    [InlineData(0.0, 0.0, false, "NoSyncNeeded")]
    [InlineData(0.0, 0.0, true, "Conflict")]
    [InlineData(4.9, 0.0, true, "NafflesToDiscord")] // within 5 s: a scheduled sync prefers Naffles
    [InlineData(10.0, 0.0, true, "DiscordToNaffles")]
    [InlineData(0.0, 10.0, true, "NafflesToDiscord")]
    public void Decide_FollowsTheSeedsFiveSecondRule(double? discord, double? naffles, bool differs, string expected) =>
        Assert.Equal(Enum.Parse<SyncDirection>(expected), SyncRules.Decide(discord is { } d ? T0.AddSeconds(d) : null, naffles is { } n ? T0.AddSeconds(n) : null, differs, sourceIsDiscord: false));

    [Fact]
    public void Decide_WithinFiveSeconds_ADiscordSourcedSyncPushesToNaffles() =>
        Assert.Equal(SyncDirection.DiscordToNaffles, SyncRules.Decide(T0, T0.AddSeconds(3), true, sourceIsDiscord: true));

    [Fact]
    public async Task Coalescer_FlushesAtOnce_ThenAtMostOncePerInterval_AndNeverDropsTheLastRequest()
    {
        var time = new FakeTimeProvider(T0);
        var flushes = new List<DateTimeOffset>();
        await using var coalescer = new PostCoalescer(time, TimeSpan.FromSeconds(5), (_, _) => { lock (flushes) { flushes.Add(time.GetUtcNow()); } return ValueTask.CompletedTask; }, NullLogger.Instance);

        for (var i = 0; i < 1000; i++)
        {
            coalescer.Request("k");
            await coalescer.WhenIdleAsync();
            time.Advance(TimeSpan.FromMilliseconds(10));
        }

        await coalescer.WhenIdleAsync();
        time.Advance(TimeSpan.FromSeconds(5));
        await coalescer.WhenIdleAsync();

        Assert.Equal([T0, T0.AddSeconds(5), T0.AddSeconds(10)], flushes);
    }

    [Fact]
    public async Task Coalescer_WithASharedGate_TwoProcessesEditAPostAtMostOncePerInterval_AndTheLastRequestIsRendered()
    {
        var time = new FakeTimeProvider(T0);
        var path = Path.Combine(Directory.CreateTempSubdirectory("nbk-gate-").FullName, "store.db");
        await using var backend = new NafflesBotKit.Runtime.Services.Store.SqliteKeyValueBackend(Microsoft.Extensions.Options.Options.Create(new NafflesBotKit.Runtime.Services.StorageOptions { Path = path }), time);
        var limiter = new NafflesBotKit.Runtime.Services.RateLimiting.MemoryRateLimiter(time);
        SharedEditGate Gate() => new(limiter, new NafflesBotKit.Runtime.Services.Store.PluginStore(backend, time, "naffles.social-tasks"), "task", TimeSpan.FromSeconds(5));
        var flushes = new List<(string Process, DateTimeOffset At)>();
        ValueTask Flush(string process)
        {
            lock (flushes)
            {
                flushes.Add((process, time.GetUtcNow()));
            }

            return ValueTask.CompletedTask;
        }

        // Two processes: each has its own coalescer; the limiter and store are what they share (Redis in production).
        await using var a = new PostCoalescer(time, TimeSpan.FromSeconds(5), (_, _) => Flush("a"), NullLogger.Instance, Gate());
        await using var b = new PostCoalescer(time, TimeSpan.FromSeconds(5), (_, _) => Flush("b"), NullLogger.Instance, Gate());
        for (var i = 0; i < 200; i++)
        {
            (i % 2 == 0 ? a : b).Request("task-1");
            await a.WhenIdleAsync();
            await b.WhenIdleAsync();
            time.Advance(TimeSpan.FromMilliseconds(50)); // a burst over 10 s, alternating between the processes
        }

        for (var i = 0; i < 20; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await a.WhenIdleAsync();
            await b.WhenIdleAsync();
        }

        var times = flushes.Select(f => f.At).Order().ToList();
        Assert.InRange(times.Count, 2, 4); // ~10 s / 5 s, not one per request or per process
        Assert.All(times.Zip(times.Skip(1)), p => Assert.True(p.Second - p.First >= TimeSpan.FromSeconds(5), $"edits at {p.First:ss.fff} and {p.Second:ss.fff}"));
        Assert.True(times[^1] >= T0.AddSeconds(9.95), "the last request (at 9.95 s) must be rendered by a later edit");
    }

    [Fact]
    public async Task Coalescer_KeysAreIndependent_AndAQuietKeyFlushesImmediately()
    {
        var time = new FakeTimeProvider(T0);
        var flushed = new List<string>();
        await using var coalescer = new PostCoalescer(time, TimeSpan.FromSeconds(5), (k, _) => { lock (flushed) { flushed.Add(k); } return ValueTask.CompletedTask; }, NullLogger.Instance);

        coalescer.Request("a");
        coalescer.Request("b");
        await coalescer.WhenIdleAsync();
        time.Advance(TimeSpan.FromSeconds(6));
        coalescer.Request("a");
        await coalescer.WhenIdleAsync();

        Assert.Equal(["a", "a", "b"], flushed.Order());
    }

    [Fact]
    public async Task Coalescer_AFailingFlushIsLogged_AndLaterRequestsStillFlush()
    {
        var time = new FakeTimeProvider(T0);
        var calls = 0;
        await using var coalescer = new PostCoalescer(time, TimeSpan.FromSeconds(5), (_, _) => ++calls == 1 ? throw new InvalidOperationException("boom") : ValueTask.CompletedTask, NullLogger.Instance);

        coalescer.Request("k");
        await coalescer.WhenIdleAsync();
        time.Advance(TimeSpan.FromSeconds(5));
        coalescer.Request("k");
        await coalescer.WhenIdleAsync();

        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task KeyedLocks_SerialiseOneKey_ButNotOthers()
    {
        var locks = new KeyedLocks();
        var inside = 0;
        var max = 0;

        await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using (await locks.AcquireAsync("x", default))
            {
                var now = Interlocked.Increment(ref inside);
                max = Math.Max(max, now);
                await Task.Yield();
                Interlocked.Decrement(ref inside);
            }
        }));
        using var a = await locks.AcquireAsync("a", default);
        var b = locks.AcquireAsync("b", default).AsTask();

        Assert.Equal(1, max);
        Assert.True(b.IsCompleted);
        (await b).Dispose();
    }
}
