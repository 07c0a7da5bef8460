using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NafflesBotKit.Discord.Gateway.Internal;
using NafflesBotKit.Events;
using NafflesBotKit.Interactions;

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
                foreach (var id in GatewayPayloadReader.ReadReady(dispatch.Data.Span).GuildIds)
                {
                    _knownGuilds[id] = 0;
                }

                break;
            case "GUILD_CREATE":
                var guild = ParseGuild(dispatch.Data.Span);
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
                var (guildId, unavailable) = ParseGuildDelete(dispatch.Data.Span);
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
                if (ParseMemberAdd(dispatch.Data.Span) is { } joined)
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

    internal static DiscordGuild? ParseGuild(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        ulong id = 0, owner = 0;
        ulong? systemChannel = null;
        string? name = null;
        var memberCount = 0;
        var unavailable = false;
        List<GuildChannel>? channels = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                GatewayPayloadReader.TryReadSnowflake(ref reader, out id);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("owner_id"u8))
            {
                reader.Read();
                GatewayPayloadReader.TryReadSnowflake(ref reader, out owner);
            }
            else if (reader.ValueTextEquals("system_channel_id"u8))
            {
                reader.Read();
                systemChannel = GatewayPayloadReader.TryReadSnowflake(ref reader, out var sc) ? sc : null;
            }
            else if (reader.ValueTextEquals("member_count"u8))
            {
                reader.Read();
                memberCount = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : 0;
            }
            else if (reader.ValueTextEquals("unavailable"u8))
            {
                reader.Read();
                unavailable = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("channels"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    channels = [];
                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        channels.Add(ReadChannel(ref reader));
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (id == 0 || (unavailable && name is null))
        {
            return null; // an unavailable guild carries no data
        }

        return new DiscordGuild(id, name ?? "", owner, systemChannel, memberCount, channels);
    }

    internal static (ulong GuildId, bool Unavailable) ParseGuildDelete(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        ulong id = 0;
        var unavailable = false;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                GatewayPayloadReader.TryReadSnowflake(ref reader, out id);
            }
            else if (reader.ValueTextEquals("unavailable"u8))
            {
                reader.Read();
                unavailable = reader.TokenType == JsonTokenType.True;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (id, unavailable);
    }

    internal static MemberJoined? ParseMemberAdd(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        var root = doc.RootElement;
        if (!root.TryGetProperty("guild_id", out var g) || !ulong.TryParse(g.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var guildId)
            || !root.TryGetProperty("user", out var u) || !u.TryGetProperty("id", out var uid)
            || !ulong.TryParse(uid.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
        {
            return null;
        }

        var user = new DiscordUser(
            userId,
            u.TryGetProperty("username", out var un) && un.ValueKind == JsonValueKind.String ? un.GetString()! : "",
            u.TryGetProperty("global_name", out var gn) && gn.ValueKind == JsonValueKind.String ? gn.GetString() : null,
            u.TryGetProperty("avatar", out var av) && av.ValueKind == JsonValueKind.String ? av.GetString() : null,
            u.TryGetProperty("bot", out var bot) && bot.ValueKind == JsonValueKind.True);
        var joinedAt = root.TryGetProperty("joined_at", out var j) && j.ValueKind == JsonValueKind.String && j.TryGetDateTimeOffset(out var at) ? at : DateTimeOffset.MinValue;
        return new MemberJoined(guildId, user, joinedAt);
    }

    private static GuildChannel ReadChannel(ref Utf8JsonReader reader)
    {
        ulong id = 0;
        string? name = null;
        int type = 0, position = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                GatewayPayloadReader.TryReadSnowflake(ref reader, out id);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : 0;
            }
            else if (reader.ValueTextEquals("position"u8))
            {
                reader.Read();
                position = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : 0;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new GuildChannel(id, name, type, position);
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
