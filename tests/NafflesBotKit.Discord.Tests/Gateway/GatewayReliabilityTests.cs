using System.Text.Json;
using NafflesBotKit.Discord.Gateway;

namespace NafflesBotKit.Discord.Tests.Gateway;

public sealed class GatewayReliabilityTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task IdentifyConcurrency_FiveSecondsPerKey_HeldAcrossReconnects()
    {
        RecordingThrottler? recorder = null;
        await using var h = await GatewayHarness.StartAsync(
            e => { e.RecommendedShards = 4; e.MaxConcurrency = 2; e.IdentifyWindowSlack = TimeSpan.FromMilliseconds(500); },
            throttler: (t, time) => recorder = new RecordingThrottler(t, time));
        for (var shard = 0; shard < 4; shard++)
        {
            await h.WaitReadyAsync(shard, Step);
        }

        // Each round ends every session at once (4009 = identify anew): the throttler must still space each key by 5 s.
        for (var round = 0; round < 3; round++)
        {
            for (var shard = 0; shard < 4; shard++)
            {
                await h.Emulator.CloseAsync(shard, 4009);
            }

            await h.WaitAsync(() => h.Emulator.Received.Count(m => m.Op == 2) == 4 * (round + 2), $"round {round} identifies", Step);
            for (var shard = 0; shard < 4; shard++)
            {
                await h.WaitReadyAsync(shard, Step);
            }
        }

        Assert.Equal(16, recorder!.Claims.Count);
        Assert.True(recorder.SmallestGapPerKey() >= TimeSpan.FromSeconds(5), $"smallest gap {recorder.SmallestGapPerKey()}");
        Assert.Empty(h.Emulator.Violations);
    }

    [Fact]
    public async Task TwoHundredForcedDisconnects_LoseNoEvent_AndKeepIdentifyConcurrency()
    {
        RecordingThrottler? recorder = null;
        await using var h = await GatewayHarness.StartAsync(
            e => { e.HeartbeatIntervalMs = 41_250; e.IdentifyWindowSlack = TimeSpan.FromMilliseconds(750); },
            client: o => o.ReconnectBaseDelay = TimeSpan.FromMilliseconds(500),
            throttler: (t, time) => recorder = new RecordingThrottler(t, time));
        await h.WaitReadyAsync(0, Step);
        var next = 0;
        var expected = new List<string>();

        async Task SendEventsAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var id = $"e{next++}";
                expected.Add(id);
                await h.Emulator.DispatchAsync(0, "MESSAGE_CREATE", $$"""{"id":"{{id}}","content":"x"}""");
            }
        }

        int Received() => h.Sink.Count("MESSAGE_CREATE");

        for (var i = 0; i < 200; i++)
        {
            await SendEventsAsync(3);
            var kind = i % 8;
            var connections = h.Emulator.Connections.Count;
            switch (kind)
            {
                case 0: await h.Emulator.SendReconnectAsync(0); break;
                case 1: await h.Emulator.SendInvalidSessionAsync(0, resumable: true); break;
                case 2: await h.Emulator.CloseAsync(0, 4000); break;
                case 3: h.Emulator.Drop(0); break;
                case 4: await h.Emulator.CloseAsync(0, 4002); break;
                case 5:
                case 6:
                    // A session that ends loses what it had not delivered (as on Discord): let the stream drain first.
                    var target = expected.Count;
                    await h.WaitAsync(() => Received() == target, "drain before a session-ending fault");
                    if (kind == 5)
                    {
                        await h.Emulator.SendInvalidSessionAsync(0, resumable: false);
                    }
                    else
                    {
                        await h.Emulator.CloseAsync(0, 4009);
                    }

                    break;
                case 7:
                    h.Emulator.MakeZombie(0);
                    h.Time.Advance(TimeSpan.FromMilliseconds(41_250)); // a beat goes unanswered...
                    await Task.Delay(5);
                    h.Time.Advance(TimeSpan.FromMilliseconds(41_250)); // ...and the next one is due
                    break;
            }

            await SendEventsAsync(2); // sent while the client is away
            await h.WaitAsync(() => h.Emulator.Connections.Count > connections && h.Emulator.IsLive(0) && h.Client.GetShard(0)!.State == GatewayShardState.Ready, $"fault {i} (kind {kind}) recovered", Step, 4000);
        }

        await SendEventsAsync(1);
        await h.WaitAsync(() => Received() == expected.Count, "every event");

        var got = h.Sink.Of("MESSAGE_CREATE").Select(d => JsonDocument.Parse(d.Data).RootElement.GetProperty("id").GetString()!).ToList();
        Assert.Equal(expected, got); // each once, in order

        long previous = 0;
        foreach (var d in h.Sink.Dispatches)
        {
            if (d.EventName == "READY")
            {
                Assert.Equal(1, d.Sequence);
            }
            else
            {
                Assert.Equal(previous + 1, d.Sequence);
            }

            previous = d.Sequence;
        }

        Assert.True(h.Emulator.Connections.Count > 200);
        Assert.True(recorder!.SmallestGapPerKey() >= TimeSpan.FromSeconds(5), $"smallest gap {recorder.SmallestGapPerKey()}");
        Assert.Empty(h.Emulator.Violations);
    }
}
