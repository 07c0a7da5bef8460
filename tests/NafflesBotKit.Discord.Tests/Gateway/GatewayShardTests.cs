using System.Text.Json;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Discord.Gateway;

namespace NafflesBotKit.Discord.Tests.Gateway;

public sealed class GatewayShardTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task Connect_IdentifiesAndReceivesReadyThenGuildCreates()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitReadyAsync();
        await h.WaitAsync(() => h.Sink.Count("GUILD_CREATE") == 2, "two GUILD_CREATE");

        var connection = Assert.Single(h.Emulator.Connections);
        Assert.Equal("?v=10&encoding=json&compress=zlib-stream", connection.Query);
        var identify = Assert.Single(h.Emulator.Received, m => m.Op == 2).Data!;
        Assert.Equal("emulator-token", identify["token"]!.GetValue<string>());
        Assert.Equal((int)(GatewayIntents.Guilds | GatewayIntents.GuildMembers), identify["intents"]!.GetValue<int>());
        Assert.Equal("NafflesBotKit", identify["properties"]!["browser"]!.GetValue<string>());
        Assert.Equal("NafflesBotKit", identify["properties"]!["device"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(identify["properties"]!["os"]!.GetValue<string>()));
        Assert.Equal([0, 1], identify["shard"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal(50, identify["large_threshold"]!.GetValue<int>());

        var events = h.Sink.Dispatches.ToArray();
        Assert.Equal(["READY", "GUILD_CREATE", "GUILD_CREATE"], events.Select(e => e.EventName));
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Sequence));
        using (var doc = events[1].ParseData())
        {
            Assert.Equal("81384788765712384", doc.RootElement.GetProperty("id").GetString());
        }

        var status = h.Client.GetShard(0)!;
        Assert.True(status.HasSession);
        Assert.Equal(3, status.LastSequence);
        Assert.Empty(h.Emulator.Violations);
    }

    [Fact]
    public async Task Heartbeat_FirstBeatAfterIntervalTimesJitter_ThenEveryInterval()
    {
        await using var h = await GatewayHarness.StartAsync(e => e.HeartbeatIntervalMs = 40_000, random: 0.25);
        await h.WaitReadyAsync();
        int Beats() => h.Emulator.Received.Count(m => m.Op == 1);

        // Hello arrived at fake t0; first beat due at 40 s * 0.25 = 10 s.
        h.Time.Advance(TimeSpan.FromMilliseconds(9_990));
        await Task.Delay(50);
        Assert.Equal(0, Beats());
        h.Time.Advance(TimeSpan.FromMilliseconds(10));
        await h.WaitAsync(() => Beats() == 1, "first beat");
        Assert.Equal(3, h.Emulator.Received.Single(m => m.Op == 1).Data!.GetValue<long>()); // last seq

        await h.WaitAsync(() => h.Client.GetShard(0)!.Latency is not null && h.Client.GetShard(0)!.LastHeartbeatAck == h.Time.GetUtcNow(), "ACK measured");
        h.Time.Advance(TimeSpan.FromMilliseconds(39_990));
        await Task.Delay(50);
        Assert.Equal(1, Beats());
        h.Time.Advance(TimeSpan.FromMilliseconds(10));
        await h.WaitAsync(() => Beats() == 2, "second beat");
        await h.WaitAsync(() => h.Client.GetShard(0)!.LastHeartbeatAck == h.Time.GetUtcNow(), "second ACK"); // else a jump of the fake clock makes a zombie
        h.Time.Advance(TimeSpan.FromSeconds(40));
        await h.WaitAsync(() => Beats() == 3, "third beat");
        Assert.Single(h.Emulator.Connections);
        Assert.Equal(TimeSpan.Zero, h.Client.GetShard(0)!.Latency); // the fake clock stood still during the round trip
    }

    [Fact]
    public async Task Heartbeat_RequestedByServer_IsSentAtOnce()
    {
        await using var h = await GatewayHarness.StartAsync(e => e.HeartbeatIntervalMs = 40_000, random: 0.9);
        await h.WaitReadyAsync();
        await h.Emulator.RequestHeartbeatAsync(0);
        await h.WaitAsync(() => h.Emulator.Received.Any(m => m.Op == 1), "requested beat");
    }

    [Fact]
    public async Task Zombie_NoAckBeforeNextBeat_ClosesWithNon1000AndResumes()
    {
        await using var h = await GatewayHarness.StartAsync(e => e.HeartbeatIntervalMs = 10_000, random: 0.5);
        await h.WaitReadyAsync();
        h.Emulator.MakeZombie(0);
        h.Time.Advance(TimeSpan.FromSeconds(5)); // first beat, never ACKed
        await h.WaitAsync(() => h.Emulator.Received.Any(m => m.Op == 1), "first beat");
        h.Time.Advance(TimeSpan.FromSeconds(10)); // next beat due: zombie
        await h.WaitAsync(() => h.Emulator.Connections.Count == 2 && h.Emulator.Connections[1].Resumed, "resumed on a new connection");

        var first = h.Emulator.Connections[0];
        Assert.Equal(GatewayCloseCodes.Resumable, first.ClientCloseCode);
        Assert.Equal("/resume", h.Emulator.Connections[1].Path);
        Assert.Equal("?v=10&encoding=json&compress=zlib-stream", h.Emulator.Connections[1].Query);
        Assert.Single(h.Emulator.Received, m => m.Op == 2);
        var resume = Assert.Single(h.Emulator.Received, m => m.Op == 6).Data!;
        Assert.Equal(3, resume["seq"]!.GetValue<long>());
        await h.WaitAsync(() => h.Sink.Count("RESUMED") == 1, "RESUMED dispatched");
        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("zombie", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconnect_Op7_Resumes()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitReadyAsync();
        await h.Emulator.SendReconnectAsync(0);
        await h.WaitAsync(() => h.Emulator.Connections.Count == 2 && h.Emulator.Connections[1].Resumed && h.Sink.Count("RESUMED") == 1, "resumed");
        Assert.NotEqual(1000, h.Emulator.Connections[0].ClientCloseCode);
        Assert.NotEqual(1001, h.Emulator.Connections[0].ClientCloseCode);
        Assert.Single(h.Emulator.Received, m => m.Op == 2);
        Assert.Equal(1, h.Client.GetShard(0)!.ReconnectCount);
    }

    [Fact]
    public async Task InvalidSession_Resumable_ResumesAndEventSentDuringFaultIsNotLost()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitReadyAsync();
        await h.Emulator.SendInvalidSessionAsync(0, resumable: true);
        var seq = await h.Emulator.DispatchAsync(0, "MESSAGE_CREATE", """{"id":"1","content":"during the fault"}""");
        await h.WaitAsync(() => h.Sink.Count("RESUMED") == 1 && h.Sink.Count("MESSAGE_CREATE") == 1, "resumed with the event");

        Assert.Single(h.Emulator.Received, m => m.Op == 2);
        Assert.Single(h.Emulator.Received, m => m.Op == 6);
        Assert.Equal(seq, h.Sink.Of("MESSAGE_CREATE").Single().Sequence);
        var seqs = h.Sink.Dispatches.Select(d => d.Sequence).ToArray();
        Assert.Equal(Enumerable.Range(1, seqs.Length).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task InvalidSession_NotResumable_IdentifiesAnewAfterOneToFiveSeconds()
    {
        await using var h = await GatewayHarness.StartAsync(random: 0.5); // 1 s + 0.5 * 4 s = 3 s
        await h.WaitReadyAsync();
        h.Time.Advance(TimeSpan.FromSeconds(10)); // past the identify window, so only the op 9 wait applies
        await h.Emulator.SendInvalidSessionAsync(0, resumable: false);
        await h.WaitAsync(() => h.Emulator.Connections[0].Ended, "old connection closed");
        await Task.Delay(50);
        h.Time.Advance(TimeSpan.FromMilliseconds(2_900));
        await Task.Delay(100);
        Assert.Single(h.Emulator.Connections);
        h.Time.Advance(TimeSpan.FromMilliseconds(200));
        await h.WaitAsync(() => h.Emulator.Received.Count(m => m.Op == 2) == 2, "second identify");
        await h.WaitReadyAsync();

        Assert.DoesNotContain(h.Emulator.Received, m => m.Op == 6);
        Assert.Equal("/", h.Emulator.Connections[1].Path);
        await h.WaitAsync(() => h.Sink.Count("READY") == 2, "second READY delivered");
        Assert.Empty(h.Emulator.Violations);
    }

    [Theory]
    [InlineData(4004)]
    [InlineData(4010)]
    [InlineData(4011)]
    [InlineData(4012)]
    [InlineData(4013)]
    [InlineData(4014)]
    public async Task FatalCloseCode_StopsShardWithoutReconnecting_AndLogsCritical(int code)
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitReadyAsync();
        await h.Emulator.CloseAsync(0, code);
        await h.WaitAsync(() => h.Client.GetShard(0)!.State == GatewayShardState.Faulted, "faulted");

        // Plenty of (fake) time for any reconnect or backoff: nothing happens.
        for (var i = 0; i < 20; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(5);
        }

        Assert.Single(h.Emulator.Connections);
        var status = h.Client.GetShard(0)!;
        Assert.Equal(code, status.LastCloseCode);
        Assert.StartsWith(code.ToString(System.Globalization.CultureInfo.InvariantCulture), status.FatalReason, StringComparison.Ordinal);
        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Critical && e.Message.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        await h.Client.Completion.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task BadToken_ClosesWith4004_AndNeverRetries()
    {
        await using var h = await GatewayHarness.StartAsync(client: o => o.Token = "wrong", connect: false);
        // GET /gateway/bot already succeeded with the right token; now the identify carries a wrong one.
        await h.Client.StartAsync(CancellationToken.None);
        await h.WaitAsync(() => h.Client.GetShard(0)?.State == GatewayShardState.Faulted, "faulted", Step, 200);
        Assert.Single(h.Emulator.Connections);
        Assert.Equal(4004, h.Emulator.Connections[0].ServerCloseCode);
    }

    [Theory]
    [InlineData(4000)]
    [InlineData(4001)]
    [InlineData(4002)]
    [InlineData(4999)]
    public async Task ResumableCloseCode_Resumes(int code)
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitReadyAsync();
        await h.Emulator.CloseAsync(0, code);
        await h.WaitAsync(() => h.Emulator.Connections.Count == 2 && h.Emulator.Connections[1].Resumed && h.Sink.Count("RESUMED") == 1, "resumed", Step);
        Assert.Single(h.Emulator.Received, m => m.Op == 2);
        Assert.Equal("/resume", h.Emulator.Connections[1].Path);
    }

    [Theory]
    [InlineData(4003)]
    [InlineData(4005)]
    [InlineData(4006)]
    [InlineData(4007)]
    [InlineData(4008)]
    [InlineData(4009)]
    [InlineData(1000)]
    [InlineData(1001)]
    public async Task SessionEndingCloseCode_IdentifiesAnew(int code)
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitReadyAsync();
        await h.Emulator.CloseAsync(0, code);
        await h.WaitAsync(() => h.Emulator.Received.Count(m => m.Op == 2) == 2 && h.Sink.Count("READY") == 2, "identified anew", Step);
        Assert.DoesNotContain(h.Emulator.Received, m => m.Op == 6);
        Assert.Empty(h.Emulator.Violations);
    }

    [Fact]
    public async Task NetworkDrop_Resumes()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitReadyAsync();
        h.Emulator.Drop(0);
        await h.WaitAsync(() => h.Emulator.Connections.Count == 2 && h.Emulator.Connections[1].Resumed, "resumed", Step);
        Assert.Single(h.Emulator.Received, m => m.Op == 2);
    }

    [Fact]
    public async Task OneByteFragments_OfZlibFrames_StillDecode()
    {
        await using var h = await GatewayHarness.StartAsync(e => e.FragmentSize = 1);
        await h.WaitReadyAsync();
        await h.WaitAsync(() => h.Sink.Count("GUILD_CREATE") == 2, "guilds");
        await h.Emulator.DispatchAsync(0, "MESSAGE_CREATE", """{"id":"9","content":"fragmented"}""");
        await h.WaitAsync(() => h.Sink.Count("MESSAGE_CREATE") == 1, "message");
        Assert.Empty(h.Emulator.Violations);
    }

    [Fact]
    public async Task PayloadSplitOverTwoMessages_Decodes()
    {
        await using var h = await GatewayHarness.StartAsync(e => e.SplitMessages = 2);
        await h.WaitReadyAsync();
        await h.WaitAsync(() => h.Sink.Count("GUILD_CREATE") == 2, "guilds");
        using var doc = h.Sink.Of("GUILD_CREATE")[1].ParseData();
        Assert.Equal("Raffle Room", doc.RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task SplitAndFragmented_AcrossResume_UsesAFreshInflateContext()
    {
        await using var h = await GatewayHarness.StartAsync(e => { e.SplitMessages = 3; e.FragmentSize = 7; });
        await h.WaitReadyAsync();
        await h.Emulator.SendReconnectAsync(0);
        await h.WaitAsync(() => h.Sink.Count("RESUMED") == 1, "resumed", Step);
        await h.Emulator.DispatchAsync(0, "MESSAGE_CREATE", """{"id":"9"}""");
        await h.WaitAsync(() => h.Sink.Count("MESSAGE_CREATE") == 1, "message");
    }

    [Fact]
    public async Task Uncompressed_TextFrames_Work()
    {
        await using var h = await GatewayHarness.StartAsync(client: o => o.Compression = GatewayCompression.None);
        await h.WaitReadyAsync();
        Assert.Equal("?v=10&encoding=json", h.Emulator.Connections[0].Query);
        await h.WaitAsync(() => h.Sink.Count("GUILD_CREATE") == 2, "guilds");
    }

    [Fact]
    public async Task SendBudget_StaysUnder120PerMinute()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitReadyAsync();
        var presence = """{"op":3,"d":{"since":null,"activities":[],"status":"online","afk":false}}"""u8.ToArray();
        var sends = Enumerable.Range(0, 130).Select(_ => h.Client.SendAsync(0, presence, CancellationToken.None).AsTask()).ToArray();
        await h.WaitAsync(() => h.Emulator.Received.Count(m => m.Op == 3) == 114, "the budget (115 minus Identify)");
        await Task.Delay(100);
        Assert.Equal(114, h.Emulator.Received.Count(m => m.Op == 3));
        h.Time.Advance(TimeSpan.FromSeconds(61));
        await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(10));
        await h.WaitAsync(() => h.Emulator.Received.Count(m => m.Op == 3) == 130, "the rest in the next window");
        Assert.Empty(h.Emulator.Violations);
        Assert.Single(h.Emulator.Connections);
    }

    [Fact]
    public async Task SendCommand_Over4096Bytes_IsRejectedBeforeSending()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitReadyAsync();
        var big = new byte[4097];
        await Assert.ThrowsAsync<ArgumentException>(() => h.Client.SendAsync(0, big, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task ReadyWithUndocumentedFields_IsTolerated()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitAsync(() => h.Sink.Count("READY") == 1, "READY delivered");
        using var doc = h.Sink.Of("READY").Single().ParseData();
        Assert.True(doc.RootElement.TryGetProperty("private_channels", out _));
        Assert.True(h.Client.GetShard(0)!.HasSession);
    }

    [Fact]
    public async Task HelloTimeout_ReconnectsWithANewSocket()
    {
        await using var h = await GatewayHarness.StartAsync(e => e.SendHello = false, client: o => o.HelloTimeout = TimeSpan.FromSeconds(60));
        await h.WaitAsync(() => h.Emulator.Connections.Count == 1, "first connection");
        await Task.Delay(50);
        h.Time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(50);
        Assert.Single(h.Emulator.Connections);
        h.Emulator.Options.SendHello = true;
        await h.WaitAsync(() => h.Emulator.Connections.Count == 2, "second connection", Step);
        await h.WaitReadyAsync(0, Step);
        Assert.Equal(GatewayCloseCodes.Resumable, h.Emulator.Connections[0].ClientCloseCode);
    }

    [Fact]
    public async Task ReadyTimeout_IdentifiesAgainOnANewSocket_WithinTheThrottle()
    {
        await using var h = await GatewayHarness.StartAsync(e => e.AnswerIdentify = false, client: o => o.ReadyTimeout = TimeSpan.FromSeconds(15));
        await h.WaitAsync(() => h.Emulator.Received.Any(m => m.Op == 2), "first identify");
        h.Time.Advance(TimeSpan.FromSeconds(14));
        await Task.Delay(50);
        Assert.Single(h.Emulator.Connections);
        h.Emulator.Options.AnswerIdentify = true;
        await h.WaitReadyAsync(0, Step);
        Assert.Equal(2, h.Emulator.Received.Count(m => m.Op == 2));
        Assert.True(h.Emulator.IdentifyTimes[1] - h.Emulator.IdentifyTimes[0] >= TimeSpan.FromSeconds(5));
        Assert.Empty(h.Emulator.Violations);
    }

    [Fact]
    public async Task Stop_ClosesWith1000_AndEndsTheShard()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitReadyAsync();
        await h.Client.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await h.WaitAsync(() => h.Emulator.Connections[0].Ended, "server saw the close");
        Assert.Equal(1000, h.Emulator.Connections[0].ClientCloseCode);
        Assert.Equal(GatewayShardState.Stopped, h.Client.GetShard(0)!.State);
    }

    [Fact]
    public async Task HealthCheck_HealthyWhenReady_UnhealthyWhenFaulted()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitReadyAsync();
        var check = new GatewayHealthCheck(h.Client);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, (await check.CheckHealthAsync(new())).Status);
        await h.Emulator.CloseAsync(0, 4014);
        await h.WaitAsync(() => h.Client.GetShard(0)!.State == GatewayShardState.Faulted, "faulted");
        var result = await check.CheckHealthAsync(new());
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, result.Status);
        Assert.Contains("4014", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GatewayInfo_BadToken_IsRefusedWith401()
    {
        await using var emulator = new NafflesBotKit.Testing.Discord.DiscordGatewayEmulator();
        await emulator.StartAsync();
        using var http = new HttpClient();
        var options = Microsoft.Extensions.Options.Options.Create(new DiscordGatewayOptions { Token = "wrong", ApiBaseUrl = emulator.ApiBaseUrl });
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => new HttpGatewayInfoSource(http, options).GetGatewayBotAsync(CancellationToken.None).AsTask());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, ex.StatusCode);
    }

    [Fact]
    public async Task GatewayUnreachable_RetriesWithExponentialBackoff()
    {
        await using var h = await GatewayHarness.StartAsync(client: o => { o.ReconnectBaseDelay = TimeSpan.FromSeconds(1); o.ReconnectMaxDelay = TimeSpan.FromSeconds(8); });
        await h.WaitReadyAsync();
        await h.Emulator.DisposeAsync(); // the gateway goes away: every reconnect attempt fails
        var backoffs = () => h.Logs.Entries.Where(e => e.Message.Contains("before reconnecting", StringComparison.Ordinal)).Select(e => e.Message).ToList();
        await h.WaitAsync(() => backoffs().Count >= 5, "five backoffs", TimeSpan.FromMilliseconds(250), 4000);

        // Random fixed at 0.5: delay = 0.75 x min(max, base x 2^(n-1)).
        var delays = backoffs().Take(5).Select(m => TimeSpan.Parse(m.Split("waiting ")[1].Split(" before")[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([0.75, 1.5, 3, 6, 6], delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task CorruptZlibStream_ReconnectsWithAFreshContext_AndResumes()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitReadyAsync();
        await h.Emulator.SendRawAsync(0, [0x12, 0x34, 0x56, 0x78, 0x9a, 0x00, 0x00, 0xff, 0xff]);
        await h.WaitAsync(() => h.Emulator.Connections.Count == 2 && h.Emulator.Connections[1].Resumed && h.Sink.Count("RESUMED") == 1, "resumed", Step);
        await h.Emulator.DispatchAsync(0, "MESSAGE_CREATE", """{"id":"1"}""");
        await h.WaitAsync(() => h.Sink.Count("MESSAGE_CREATE") == 1, "decoding works again");
        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("fresh zlib context", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThrottlerFailure_DoesNotStrandTheShard()
    {
        var failOnce = new FailingOnceThrottler();
        await using var h = await GatewayHarness.StartAsync(throttler: (t, _) => { failOnce.Inner = t; return failOnce; });
        await h.WaitReadyAsync(0, Step);
        Assert.Equal(2, h.Emulator.Connections.Count);
        Assert.Equal(2, failOnce.Calls); // failed once, then identified on a new socket
    }

    private sealed class FailingOnceThrottler : IIdentifyThrottler
    {
        public IIdentifyThrottler Inner { get; set; } = null!;

        public int Calls { get; private set; }

        public ValueTask WaitAsync(int shardId, int maxConcurrency, CancellationToken cancellationToken)
        {
            if (Calls++ == 0)
            {
                throw new InvalidOperationException("Redis is down");
            }

            return Inner.WaitAsync(shardId, maxConcurrency, cancellationToken);
        }
    }
}
