using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NafflesBotKit.Discord.Gateway.Internal;
using NafflesBotKit.Events;

namespace NafflesBotKit.Discord.Gateway;

/// <summary>
/// The default <see cref="IGatewayEventSink"/>: maps guild events to SDK events on the <see cref="IEventBus"/>
/// (<see cref="GuildJoined"/>, <see cref="GuildAvailable"/>, <see cref="GuildLeft"/>, <see cref="MemberJoined"/>) and
/// hands INTERACTION_CREATE to the <see cref="IGatewayInteractionHandler"/>, each interaction on its own task so they
/// run concurrently. Event-bus publishes run in dispatch order on one queue off the shard's pump, so a slow
/// subscriber never delays interactions or heartbeats.
/// </summary>
public sealed class GatewayEventPublisher : IGatewayEventSink, IAsyncDisposable
{
    private readonly IEventBus _bus;
    private readonly IGatewayInteractionHandler? _interactions;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<ulong, byte> _knownGuilds = new();
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly Lock _busLock = new();
    private Task _busTail = Task.CompletedTask;

    /// <summary>Creates the publisher.</summary>
    /// <param name="bus">The event bus.</param>
    /// <param name="interactions">The INTERACTION_CREATE seam (null: interactions are logged and dropped).</param>
    /// <param name="logger">Logger.</param>
    public GatewayEventPublisher(IEventBus bus, IGatewayInteractionHandler? interactions = null, ILogger<GatewayEventPublisher>? logger = null)
    {
        _bus = bus;
        _interactions = interactions;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Work started and not finished yet (interactions and publishes).</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>Guild ids known from READY or GUILD_CREATE.</summary>
    public bool IsKnownGuild(ulong guildId) => _knownGuilds.ContainsKey(guildId);

    /// <inheritdoc />
    public ValueTask OnDispatchAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dispatch);
        switch (dispatch.EventName)
        {
            case "INTERACTION_CREATE":
                if (_interactions is null)
                {
                    Log.NoInteractionHandler(_logger, dispatch.ShardId, dispatch.Sequence);
                }
                else
                {
                    Track(Task.Run(() => HandleInteractionAsync(dispatch, cancellationToken), CancellationToken.None));
                }

                break;
            case "READY":
                foreach (var id in GatewayEventReader.ReadReady(dispatch.Data.Span).GuildIds)
                {
                    _knownGuilds[id] = 0;
                }

                break;
            case "GUILD_CREATE":
                var guild = GatewayEventReader.ReadGuildCreate(dispatch.Data.Span);
                if (guild is not null)
                {
                    // Decide now, in dispatch order; publish off the pump.
                    var known = !_knownGuilds.TryAdd(guild.Id, 0);
                    if (known)
                    {
                        Enqueue(new GuildAvailable(guild), dispatch, cancellationToken);
                    }
                    else
                    {
                        Enqueue(new GuildJoined(guild), dispatch, cancellationToken);
                    }
                }

                break;
            case "GUILD_DELETE":
                var (guildId, unavailable) = GatewayEventReader.ReadGuildDelete(dispatch.Data.Span);
                if (guildId != 0)
                {
                    if (unavailable)
                    {
                        _knownGuilds[guildId] = 0; // outage: it comes back as GuildAvailable
                    }
                    else
                    {
                        _knownGuilds.TryRemove(guildId, out _);
                        Enqueue(new GuildLeft(guildId), dispatch, cancellationToken);
                    }
                }

                break;
            case "GUILD_MEMBER_ADD":
                if (GatewayEventReader.ReadGuildMemberAdd(dispatch.Data.Span) is { } joined)
                {
                    Enqueue(joined, dispatch, cancellationToken);
                }

                break;
            default:
                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Waits for in-flight work (interactions, publishes) to finish.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    public Task DrainAsync(CancellationToken cancellationToken) => Task.WhenAll(_inFlight.Keys).WaitAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await DrainAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private async Task HandleInteractionAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
    {
        try
        {
            await _interactions!.HandleAsync(dispatch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.InteractionFailed(_logger, ex, dispatch.ShardId, dispatch.Sequence);
        }
    }

    private void Enqueue<TEvent>(TEvent @event, GatewayDispatch dispatch, CancellationToken cancellationToken)
        where TEvent : class
    {
        lock (_busLock)
        {
            _busTail = _busTail.ContinueWith(_ => PublishAsync(@event, dispatch, cancellationToken), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            Track(_busTail);
        }
    }

    private async Task PublishAsync<TEvent>(TEvent @event, GatewayDispatch dispatch, CancellationToken cancellationToken)
        where TEvent : class
    {
        try
        {
            await _bus.PublishAsync(@event, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.PublishFailed(_logger, ex, dispatch.ShardId, dispatch.EventName, dispatch.Sequence);
        }
    }

    private void Track(Task task)
    {
        if (task.IsCompleted)
        {
            return;
        }

        _inFlight[task] = 0;
        _ = task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _), _inFlight, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
