using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NafflesBotKit.Discord.Gateway;
using NafflesBotKit.Testing.Discord;

namespace NafflesBotKit.Discord.Tests.Gateway;

/// <summary>
/// Two gateway clients ("processes") sharing one lease store: the shards split between them, and a client that stops
/// hands its shards over — the other resumes the saved sessions (no new identify) and receives what was dispatched
/// in between.
/// </summary>
public sealed class ShardLeaseTests
{
    [Fact]
    public async Task TwoProcesses_SplitTheShards_AndAStoppingOneHandsItsSessionsOver()
    {
        await using var world = await World.StartAsync(answerIdentify: true);
        var emulator = world.Emulator;
        var logs = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        (DiscordGatewayClient Client, RecordingSink Sink) Process(string id)
        {
            var sink = new RecordingSink();
            var cluster = new ShardClusterOptions { Enabled = true, ProcessId = id, LeaseDuration = TimeSpan.FromSeconds(2), RenewInterval = TimeSpan.FromMilliseconds(200), JoinDelay = TimeSpan.FromMilliseconds(300) };
            return (world.Process(cluster, sink, loggers), sink);
        }

        string Trace() => string.Join(Environment.NewLine, logs.Entries.Select(e => $"{e.Level} {e.Category}: {e.Message}"));

        var (a, _) = Process("a");
        var (b, sinkB) = Process("b");
        await using (a)
        await using (b)
        {
            await Task.WhenAll(a.StartAsync(CancellationToken.None), b.StartAsync(CancellationToken.None));
            // Ready on the clients' side too: a shard handed over before its client processed READY has no session to
            // hand over (the emulator counts it live as soon as it sent READY), and the new owner must identify.
            await WaitAsync(
                () => a.OwnedShards.Count == 2 && b.OwnedShards.Count == 2 && Enumerable.Range(0, 4).All(emulator.IsLive)
                    && a.Shards.Concat(b.Shards).All(s => s.State == GatewayShardState.Ready),
                "a 2/2 split, all live");
            Assert.True(a.Clustered);
            var owners = await b.GetOwnersAsync(CancellationToken.None);
            Assert.All(owners, o => Assert.Equal(a.OwnedShards.Contains(o.ShardId) ? "a" : "b", o.Owner));

            var handedOver = a.OwnedShards.ToArray();
            await a.StopAsync(CancellationToken.None);
            foreach (var shard in handedOver)
            {
                await emulator.DispatchAsync(shard, "TYPING_START", """{"channel_id":"1","user_id":"2","timestamp":1}""");
            }

            await WaitAsync(() => b.OwnedShards.Count == 4 && Enumerable.Range(0, 4).All(emulator.IsLive), "b runs all four");
            await WaitAsync(() => sinkB.Count("TYPING_START") >= handedOver.Length, () => $"the events dispatched during the hand-over reach b (got {sinkB.Count("TYPING_START")}; connections: {string.Join(", ", emulator.Connections.Select(c => $"#{c.Id} shard={c.ShardId} id={c.Identified} res={c.Resumed} cc={c.ClientCloseCode} end={c.Ended}"))}){Environment.NewLine}{Trace()}");
            Assert.Equal(handedOver.Length, sinkB.Count("TYPING_START")); // and once each
            Assert.True(emulator.Connections.Count(c => c.Identified) == 4, "resumed, not identified again:" + Environment.NewLine + Trace()); // resumed, not identified again
            Assert.All(handedOver, shard => Assert.Contains(emulator.Connections, c => c.ShardId == shard && c.Resumed));
            Assert.Empty(emulator.ConcurrentConnections);
            Assert.Empty(emulator.Violations);
        }
    }

    [Fact]
    public async Task Rebalance_AShardStillIdentifying_IsNotHandedOver_UntilItIsReady()
    {
        // Discord has not answered the identifies yet: no shard has a session to hand over.
        await using var world = await World.StartAsync(answerIdentify: false);
        var emulator = world.Emulator;
        DiscordGatewayClient Process(string id) => world.Process(
            new ShardClusterOptions { Enabled = true, ProcessId = id, LeaseDuration = TimeSpan.FromSeconds(5), RenewInterval = TimeSpan.FromMilliseconds(100), JoinDelay = TimeSpan.FromMilliseconds(100) },
            new RecordingSink(),
            NullLoggerFactory.Instance);

        await using var a = Process("a");
        await a.StartAsync(CancellationToken.None);
        await WaitAsync(() => a.OwnedShards.Count == 4 && a.Shards.All(s => s.State == GatewayShardState.Identifying), "a alone identifies all four");
        await using var b = Process("b");
        await b.StartAsync(CancellationToken.None);
        await WaitAsync(() => a.ClusterTarget == 2, "a sees b and targets 2 shards");

        // Many rounds later a still holds all four: handing one over now would cost the taker a fresh identify.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(4, a.OwnedShards.Count);
        Assert.Empty(b.OwnedShards);
        Assert.Equal(4, emulator.Connections.Count);
    }

    [Fact]
    public async Task HealthCheck_AClusteredProcessWithoutShards_IsAHealthyStandby_AStaticOneIsNot()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new DiscordGatewayOptions { Token = "t", ShardCount = 2 });
        var info = new FixedInfo(new GatewayBotInfo(new Uri("ws://127.0.0.1:1"), 2, new SessionStartLimit(1000, 1000, TimeSpan.FromHours(1), 1)));
        var store = new InMemoryShardLeaseStore(TimeProvider.System);
        await using var clustered = new DiscordGatewayClient(options, info, new LocalIdentifyThrottler(TimeProvider.System), new RecordingSink(), TimeProvider.System, null, null, store, new ShardClusterOptions { Enabled = true, ProcessId = "standby" });
        await using var single = new DiscordGatewayClient(options, info, new LocalIdentifyThrottler(TimeProvider.System), new RecordingSink(), TimeProvider.System);

        var standby = await new GatewayHealthCheck(clustered, clustered).CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());
        var none = await new GatewayHealthCheck(single, single).CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, standby.Status);
        Assert.Contains("standby", standby.Description, StringComparison.Ordinal);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, none.Status);
    }

    /// <summary>A 4-shard gateway emulator and what two "processes" share: the lease store and the identify throttler.</summary>
    private sealed class World(DiscordGatewayEmulator emulator, DiscordGatewayOptions options, GatewayBotInfo info) : IAsyncDisposable
    {
        private readonly InMemoryShardLeaseStore _store = new(TimeProvider.System);
        private readonly LocalIdentifyThrottler _throttler = new(TimeProvider.System);

        public DiscordGatewayEmulator Emulator { get; } = emulator;

        public static async Task<World> StartAsync(bool answerIdentify)
        {
            var emulatorOptions = new DiscordGatewayEmulatorOptions { RecommendedShards = 4, MaxConcurrency = 4, IdentifyWindowSlack = TimeSpan.FromMilliseconds(250), AnswerIdentify = answerIdentify };
            var emulator = new DiscordGatewayEmulator(emulatorOptions);
            await emulator.StartAsync();
            var options = new DiscordGatewayOptions { Token = emulatorOptions.Token, ApiBaseUrl = emulator.ApiBaseUrl, ShardCount = 4, Compression = GatewayCompression.None };
            using var http = new HttpClient();
            var info = await new HttpGatewayInfoSource(http, Microsoft.Extensions.Options.Options.Create(options)).GetGatewayBotAsync(CancellationToken.None);
            return new World(emulator, options, info);
        }

        public DiscordGatewayClient Process(ShardClusterOptions cluster, RecordingSink sink, ILoggerFactory loggers) =>
            new(Microsoft.Extensions.Options.Options.Create(options), new FixedInfo(info), _throttler, sink, TimeProvider.System, loggers, null, _store, cluster);

        public ValueTask DisposeAsync() => Emulator.DisposeAsync();
    }

    private sealed class FixedInfo(GatewayBotInfo info) : IGatewayInfoSource
    {
        public ValueTask<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken) => ValueTask.FromResult(info);
    }

    private static Task WaitAsync(Func<bool> condition, string what) => WaitAsync(condition, () => what);

    private static async Task WaitAsync(Func<bool> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Gave up waiting for: " + what());
            }

            await Task.Delay(50);
        }
    }
}
