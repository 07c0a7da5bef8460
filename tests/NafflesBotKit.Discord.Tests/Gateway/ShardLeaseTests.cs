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
        var emulatorOptions = new DiscordGatewayEmulatorOptions { RecommendedShards = 4, MaxConcurrency = 4, IdentifyWindowSlack = TimeSpan.FromMilliseconds(250) };
        await using var emulator = new DiscordGatewayEmulator(emulatorOptions);
        await emulator.StartAsync();
        var store = new InMemoryShardLeaseStore(TimeProvider.System);
        var throttler = new LocalIdentifyThrottler(TimeProvider.System);
        using var http = new HttpClient();
        var options = new DiscordGatewayOptions { Token = emulatorOptions.Token, ApiBaseUrl = emulator.ApiBaseUrl, ShardCount = 4, Compression = GatewayCompression.None };
        var info = await new HttpGatewayInfoSource(http, Microsoft.Extensions.Options.Options.Create(options)).GetGatewayBotAsync(CancellationToken.None);

        (DiscordGatewayClient Client, RecordingSink Sink) Process(string id)
        {
            var sink = new RecordingSink();
            var cluster = new ShardClusterOptions { Enabled = true, ProcessId = id, LeaseDuration = TimeSpan.FromSeconds(2), RenewInterval = TimeSpan.FromMilliseconds(200), JoinDelay = TimeSpan.FromMilliseconds(300) };
            return (new DiscordGatewayClient(Microsoft.Extensions.Options.Options.Create(options), new FixedInfo(info), throttler, sink, TimeProvider.System, NullLoggerFactory.Instance, null, store, cluster), sink);
        }

        var (a, _) = Process("a");
        var (b, sinkB) = Process("b");
        await using (a)
        await using (b)
        {
            await Task.WhenAll(a.StartAsync(CancellationToken.None), b.StartAsync(CancellationToken.None));
            await WaitAsync(() => a.OwnedShards.Count == 2 && b.OwnedShards.Count == 2 && Enumerable.Range(0, 4).All(emulator.IsLive), "a 2/2 split, all live");
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
            await WaitAsync(() => sinkB.Count("TYPING_START") == handedOver.Length, "the events dispatched during the hand-over reach b");
            Assert.Equal(4, emulator.Connections.Count(c => c.Identified)); // resumed, not identified again
            Assert.All(handedOver, shard => Assert.Contains(emulator.Connections, c => c.ShardId == shard && c.Resumed));
            Assert.Empty(emulator.ConcurrentConnections);
            Assert.Empty(emulator.Violations);
        }
    }

    private sealed class FixedInfo(GatewayBotInfo info) : IGatewayInfoSource
    {
        public ValueTask<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken) => ValueTask.FromResult(info);
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Gave up waiting for: " + what);
            }

            await Task.Delay(50);
        }
    }
}
