using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Discord.Gateway;
using NafflesBotKit.Discord.Gateway.Internal;

namespace NafflesBotKit.Discord.Tests.Gateway;

public sealed class ZlibStreamInflaterTests
{
    private static (ZLibStream Deflate, MemoryStream Output) CreateDeflater()
    {
        var output = new MemoryStream();
        return (new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true), output);
    }

    private static byte[] Compress(ZLibStream deflate, MemoryStream output, string json)
    {
        output.SetLength(0);
        deflate.Write(Encoding.UTF8.GetBytes(json));
        deflate.Flush();
        return output.ToArray();
    }

    [Fact]
    public void DotNetZLibStreamFlush_EndsWithSyncFlushMarker()
    {
        var (deflate, output) = CreateDeflater();
        using (deflate)
        {
            var first = Compress(deflate, output, """{"op":10,"d":{"heartbeat_interval":41250}}""");
            var second = Compress(deflate, output, """{"op":11}""");
            Assert.Equal(0x78, first[0]); // zlib header once, at the start of the stream
            Assert.Equal(new byte[] { 0, 0, 0xff, 0xff }, first[^4..]);
            Assert.Equal(new byte[] { 0, 0, 0xff, 0xff }, second[^4..]);
        }
    }

    [Fact]
    public void Inflate_SharesOneContextAcrossMessages()
    {
        var (deflate, output) = CreateDeflater();
        using var inflater = new ZlibStreamInflater(16);
        using (deflate)
        {
            for (var i = 0; i < 50; i++)
            {
                var json = "{\"op\":0,\"s\":" + i + ",\"t\":\"MESSAGE_CREATE\",\"d\":{\"content\":\"" + new string('x', i * 37) + "\"}}";
                inflater.Append(Compress(deflate, output, json));
                Assert.True(inflater.HasCompleteMessage);
                Assert.Equal(json, Encoding.UTF8.GetString(inflater.Inflate()));
            }
        }
    }

    [Fact]
    public void Inflate_WaitsForTheMarker_WhenFedOneByteAtATime()
    {
        var (deflate, output) = CreateDeflater();
        using var inflater = new ZlibStreamInflater();
        using (deflate)
        {
            var json = """{"op":0,"s":1,"t":"READY","d":{"session_id":"abc"}}""";
            var bytes = Compress(deflate, output, json);
            for (var i = 0; i < bytes.Length - 1; i++)
            {
                inflater.Append(bytes.AsSpan(i, 1));
            }

            Assert.False(inflater.HasCompleteMessage);
            inflater.Append(bytes.AsSpan(^1));
            Assert.Equal(json, Encoding.UTF8.GetString(inflater.Inflate()));
        }
    }
}

public sealed class GatewayCloseCodesTests
{
    [Theory]
    [InlineData(null, GatewayRecovery.Resume)]
    [InlineData(1006, GatewayRecovery.Resume)]
    [InlineData(4000, GatewayRecovery.Resume)]
    [InlineData(4001, GatewayRecovery.Resume)]
    [InlineData(4002, GatewayRecovery.Resume)]
    [InlineData(4003, GatewayRecovery.Identify)]
    [InlineData(4005, GatewayRecovery.Identify)]
    [InlineData(4006, GatewayRecovery.Identify)]
    [InlineData(4007, GatewayRecovery.Identify)]
    [InlineData(4008, GatewayRecovery.Identify)]
    [InlineData(4009, GatewayRecovery.Identify)]
    [InlineData(1000, GatewayRecovery.Identify)]
    [InlineData(1001, GatewayRecovery.Identify)]
    [InlineData(4004, GatewayRecovery.Fatal)]
    [InlineData(4010, GatewayRecovery.Fatal)]
    [InlineData(4011, GatewayRecovery.Fatal)]
    [InlineData(4012, GatewayRecovery.Fatal)]
    [InlineData(4013, GatewayRecovery.Fatal)]
    [InlineData(4014, GatewayRecovery.Fatal)]
    public void Classify_FollowsTheCloseCodeTable(int? code, GatewayRecovery expected) =>
        Assert.Equal(expected, GatewayCloseCodes.Classify(code));
}

public sealed class LocalIdentifyThrottlerTests
{
    [Fact]
    public async Task WaitAsync_SameKey_WaitsFiveSecondsAndTheMargin_OtherKeysDoNot()
    {
        var time = new FakeTimeProvider();
        var sut = new LocalIdentifyThrottler(time);
        await sut.WaitAsync(0, 2, CancellationToken.None);
        await sut.WaitAsync(1, 2, CancellationToken.None); // key 1: immediate
        var third = sut.WaitAsync(2, 2, CancellationToken.None).AsTask(); // key 0 again
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(5_249));
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await third.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task IdentifySent_LateAfterItsGrant_TheNextOfItsKeyCountsFromTheSend()
    {
        var time = new FakeTimeProvider();
        var sut = new LocalIdentifyThrottler(time);
        await sut.WaitAsync(0, 1, CancellationToken.None);
        var next = sut.WaitAsync(0, 1, CancellationToken.None).AsTask(); // already waiting for the grant's window
        time.Advance(TimeSpan.FromSeconds(2)); // the first Identify leaves two seconds after its grant
        await sut.IdentifySentAsync(0, 1, CancellationToken.None);

        time.Advance(TimeSpan.FromMilliseconds(5_000)); // 7 s after the grant: its window is over, the send's is not
        await Task.Delay(50);
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(250)); // 5 s and the margin after the send
        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task WaitAsync_AfterTheWindow_DoesNotWait()
    {
        var time = new FakeTimeProvider();
        var sut = new LocalIdentifyThrottler(time);
        await sut.WaitAsync(0, 1, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(sut.WaitAsync(0, 1, CancellationToken.None).IsCompleted);
    }
}

public sealed class GatewaySendLimiterTests
{
    [Fact]
    public async Task Acquire_OrdinaryStopsAtBudget_PriorityMayUseTheRest()
    {
        var time = new FakeTimeProvider();
        var sut = new GatewaySendLimiter(time, 115);
        for (var i = 0; i < 115; i++)
        {
            Assert.True(sut.AcquireAsync(priority: false, CancellationToken.None).IsCompleted);
        }

        var blocked = sut.AcquireAsync(priority: false, CancellationToken.None).AsTask();
        Assert.False(blocked.IsCompleted);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(sut.AcquireAsync(priority: true, CancellationToken.None).IsCompleted);
        }

        var blockedPriority = sut.AcquireAsync(priority: true, CancellationToken.None).AsTask();
        Assert.False(blockedPriority.IsCompleted); // never above Discord's 120
        time.Advance(TimeSpan.FromSeconds(60));
        await Task.WhenAll(blocked, blockedPriority).WaitAsync(TimeSpan.FromSeconds(5));
    }
}

public sealed class GatewayPayloadTests
{
    [Fact]
    public void ReadEnvelope_AnyPropertyOrder_SlicesData()
    {
        var json = """{"t":"INTERACTION_CREATE","s":42,"op":0,"d":{"id":"1","nested":{"a":[1,2]}}}"""u8;
        var env = GatewayPayloadReader.ReadEnvelope(json);
        Assert.Equal(0, env.Op);
        Assert.Equal(42, env.Sequence);
        Assert.Same("INTERACTION_CREATE", env.EventName); // interned: no allocation per event
        Assert.Equal("""{"id":"1","nested":{"a":[1,2]}}""", Encoding.UTF8.GetString(json.Slice(env.DataStart, env.DataLength)));
    }

    [Fact]
    public void ReadReady_ToleratesMissingAndUndocumentedFields()
    {
        var (session, resume, guilds) = GatewayPayloadReader.ReadReady("""{"v":10,"private_channels":[],"guilds":[{"id":"5","unavailable":true}],"session_id":"s"}"""u8);
        Assert.Equal("s", session);
        Assert.Null(resume);
        Assert.Equal([5UL], guilds);
    }

    [Fact]
    public void GatewayBotInfo_Parses()
    {
        var info = GatewayBotInfoParser.Parse("""{"url":"wss://gateway.discord.gg","shards":9,"session_start_limit":{"total":1000,"remaining":999,"reset_after":14400000,"max_concurrency":16}}"""u8);
        Assert.Equal(new Uri("wss://gateway.discord.gg"), info.Url);
        Assert.Equal(9, info.Shards);
        Assert.Equal(16, info.SessionStartLimit.MaxConcurrency);
        Assert.Equal(TimeSpan.FromHours(4), info.SessionStartLimit.ResetAfter);
    }
}

public sealed class DiscordGatewayOptionsTests
{
    private static DiscordGatewayOptions Bind(Dictionary<string, string?> values)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = new DiscordGatewayOptions();
        config.GetSection(DiscordGatewayOptions.Section).Bind(options);
        return options;
    }

    [Fact]
    public void Intents_BindFromNamesOrNumber()
    {
        Assert.Equal(GatewayIntents.Guilds | GatewayIntents.GuildMembers, Bind(new() { ["Discord:Gateway:Intents"] = "Guilds, GuildMembers" }).Intents);
        Assert.Equal(GatewayIntents.Guilds | GatewayIntents.GuildMessages, Bind(new() { ["Discord:Gateway:Intents"] = "513" }).Intents);
    }

    [Fact]
    public void Validate_RejectsBadShardSelection()
    {
        var o = Bind(new() { ["Discord:Gateway:Token"] = "t", ["Discord:Gateway:ShardCount"] = "2", ["Discord:Gateway:ShardIds:0"] = "2" });
        var result = new DiscordGatewayOptionsValidator().Validate(null, o);
        Assert.True(result.Failed);
        Assert.Contains("ShardIds must be < ShardCount", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RejectsMissingTokenAndUndocumentedIntents()
    {
        var o = new DiscordGatewayOptions { Intents = (GatewayIntents)(1 << 30) };
        var result = new DiscordGatewayOptionsValidator().Validate(null, o);
        Assert.Contains("Token is required", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("4013", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void BareToken_StripsBotPrefix() => Assert.Equal("abc", new DiscordGatewayOptions { Token = "Bot abc" }.BareToken);
}
