using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Events;

namespace NafflesBotKit.Runtime.Events;

/// <summary>
/// In-process typed publish/subscribe. Subscribers run concurrently; one failing is logged and does not affect the
/// others. Subscriptions are removed by disposing their token (plugins' subscriptions end when they unload).
/// </summary>
public sealed partial class EventBus : IEventBus
{
    private readonly ILogger<EventBus> _logger;
    private ImmutableDictionary<Type, ImmutableArray<Subscription>> _subscriptions = ImmutableDictionary<Type, ImmutableArray<Subscription>>.Empty;

    /// <summary>Creates the bus.</summary>
    /// <param name="logger">Logger.</param>
    public EventBus(ILogger<EventBus> logger) => _logger = logger;

    /// <summary>Number of subscriptions for <typeparamref name="TEvent"/> (diagnostics and tests).</summary>
    /// <typeparam name="TEvent">Event type.</typeparam>
    public int SubscriberCount<TEvent>() =>
        _subscriptions.TryGetValue(typeof(TEvent), out var list) ? list.Length : 0;

    /// <summary>Number of event types with subscribers.</summary>
    public int EventTypeCount => _subscriptions.Count;

    /// <inheritdoc />
    public async ValueTask PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (!Volatile.Read(ref _subscriptions).TryGetValue(typeof(TEvent), out var subscribers) || subscribers.IsEmpty)
        {
            return;
        }

        if (subscribers.Length == 1)
        {
            await InvokeAsync(subscribers[0], @event, cancellationToken).ConfigureAwait(false);
            return;
        }

        var tasks = new Task[subscribers.Length];
        for (var i = 0; i < subscribers.Length; i++)
        {
            tasks[i] = InvokeAsync(subscribers[i], @event, cancellationToken).AsTask();
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IDisposable Subscribe<TEvent>(Func<TEvent, CancellationToken, ValueTask> handler)
        where TEvent : class => Subscribe(handler, owner: "host");

    /// <summary>Subscribes a delegate on behalf of <paramref name="owner"/> (named in failure logs).</summary>
    /// <typeparam name="TEvent">Event type.</typeparam>
    /// <param name="handler">The handler.</param>
    /// <param name="owner">Who subscribed (plugin id or "host").</param>
    public IDisposable Subscribe<TEvent>(Func<TEvent, CancellationToken, ValueTask> handler, string owner)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new Subscription(this, typeof(TEvent), owner, (e, ct) => handler((TEvent)e, ct));
        ImmutableInterlocked.AddOrUpdate(ref _subscriptions, typeof(TEvent), _ => [subscription], (_, list) => list.Add(subscription));
        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        while (true)
        {
            var current = Volatile.Read(ref _subscriptions);
            if (!current.TryGetValue(subscription.EventType, out var list))
            {
                return;
            }

            var remaining = list.Remove(subscription);
            var next = remaining.IsEmpty ? current.Remove(subscription.EventType) : current.SetItem(subscription.EventType, remaining);
            if (Interlocked.CompareExchange(ref _subscriptions, next, current) == current)
            {
                return;
            }
        }
    }

    private async ValueTask InvokeAsync(Subscription subscription, object @event, CancellationToken cancellationToken)
    {
        try
        {
            await subscription.Handler(@event, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSubscriberFailed(_logger, ex, subscription.EventType.Name, subscription.Owner);
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Subscriber of {EventType} owned by {Owner} failed; other subscribers were not affected")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception, string eventType, string owner);

    private sealed class Subscription(EventBus bus, Type eventType, string owner, Func<object, CancellationToken, ValueTask> handler) : IDisposable
    {
        private EventBus? _bus = bus;

        public Type EventType { get; } = eventType;

        public string Owner { get; } = owner;

        public Func<object, CancellationToken, ValueTask> Handler { get; } = handler;

        public void Dispose() => Interlocked.Exchange(ref _bus, null)?.Remove(this);
    }
}
