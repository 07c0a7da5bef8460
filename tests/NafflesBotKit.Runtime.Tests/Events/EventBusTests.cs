using Microsoft.Extensions.Logging.Abstractions;
using NafflesBotKit.Events;
using NafflesBotKit.Runtime.Events;

namespace NafflesBotKit.Runtime.Tests.Events;

public sealed class EventBusTests
{
    private readonly EventBus _bus = new(NullLogger<EventBus>.Instance);

    [Fact]
    public async Task PublishAsync_DeliversToEverySubscriberOfThatType()
    {
        var seen = new List<string>();
        using var a = _bus.Subscribe<GuildLeft>((e, _) => { lock (seen) { seen.Add("a" + e.GuildId); } return ValueTask.CompletedTask; });
        using var b = _bus.Subscribe<GuildLeft>((e, _) => { lock (seen) { seen.Add("b" + e.GuildId); } return ValueTask.CompletedTask; });
        using var other = _bus.Subscribe<GuildJoined>((_, _) => { lock (seen) { seen.Add("wrong"); } return ValueTask.CompletedTask; });

        await _bus.PublishAsync(new GuildLeft(7));

        Assert.Equal(["a7", "b7"], seen.Order());
    }

    [Fact]
    public async Task PublishAsync_FailingSubscriber_DoesNotStopOthers()
    {
        var delivered = 0;
        using var bad = _bus.Subscribe<GuildLeft>((_, _) => throw new InvalidOperationException("bad subscriber"));
        using var good = _bus.Subscribe<GuildLeft>((_, _) => { Interlocked.Increment(ref delivered); return ValueTask.CompletedTask; });

        await _bus.PublishAsync(new GuildLeft(1));

        Assert.Equal(1, delivered);
    }

    [Fact]
    public async Task Dispose_Unsubscribes()
    {
        var delivered = 0;
        var subscription = _bus.Subscribe<GuildLeft>((_, _) => { delivered++; return ValueTask.CompletedTask; });
        subscription.Dispose();
        subscription.Dispose();

        await _bus.PublishAsync(new GuildLeft(1));

        Assert.Equal(0, delivered);
        Assert.Equal(0, _bus.SubscriberCount<GuildLeft>());
        Assert.Equal(0, _bus.EventTypeCount);
    }
}
