namespace NafflesBotKit.Events;

/// <summary>
/// Receives events of type <typeparamref name="TEvent"/>. Classes implementing it in a plugin assembly are found by
/// scanning and subscribed while the plugin is loaded; the subscription ends when the plugin unloads.
/// </summary>
/// <typeparam name="TEvent">The event type (an SDK type, so every plugin can see it).</typeparam>
public interface IEventHandler<in TEvent>
    where TEvent : class
{
    /// <summary>Handles one event. An exception is logged and does not affect other subscribers.</summary>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask HandleAsync(TEvent @event, CancellationToken cancellationToken);
}

/// <summary>Typed in-process publish/subscribe between the host and plugins.</summary>
public interface IEventBus
{
    /// <summary>
    /// Delivers <paramref name="event"/> to every subscriber of its type, concurrently; a failing subscriber is
    /// logged and does not stop the others. Completes when all subscribers have finished.
    /// </summary>
    /// <typeparam name="TEvent">Event type.</typeparam>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : class;

    /// <summary>Subscribes a delegate; dispose the result to unsubscribe.</summary>
    /// <typeparam name="TEvent">Event type.</typeparam>
    /// <param name="handler">The handler.</param>
    IDisposable Subscribe<TEvent>(Func<TEvent, CancellationToken, ValueTask> handler)
        where TEvent : class;
}

/// <summary>A channel of a guild, as known from GUILD_CREATE.</summary>
/// <param name="Id">Channel id.</param>
/// <param name="Name">Name.</param>
/// <param name="Type">Discord channel type (0 text, 5 announcement, ...).</param>
/// <param name="Position">Sorting position.</param>
public sealed record GuildChannel(ulong Id, string? Name, int Type, int Position = 0);

/// <summary>A guild, as known from GUILD_CREATE.</summary>
/// <param name="Id">Guild id.</param>
/// <param name="Name">Name.</param>
/// <param name="OwnerId">Owner's user id.</param>
/// <param name="SystemChannelId">Channel for system messages, if any.</param>
/// <param name="MemberCount">Members, if known.</param>
/// <param name="Channels">Channels, if sent.</param>
public sealed record DiscordGuild(ulong Id, string Name, ulong OwnerId, ulong? SystemChannelId = null, int MemberCount = 0, IReadOnlyList<GuildChannel>? Channels = null);

/// <summary>The bot joined a guild (GUILD_CREATE for a guild that was not in READY).</summary>
/// <param name="Guild">The guild.</param>
public sealed record GuildJoined(DiscordGuild Guild);

/// <summary>A guild became available (GUILD_CREATE during start-up or after an outage).</summary>
/// <param name="Guild">The guild.</param>
public sealed record GuildAvailable(DiscordGuild Guild);

/// <summary>The bot left or was removed from a guild (GUILD_DELETE without <c>unavailable</c>).</summary>
/// <param name="GuildId">The guild.</param>
public sealed record GuildLeft(ulong GuildId);

/// <summary>A user joined a guild (GUILD_MEMBER_ADD; needs the GUILD_MEMBERS intent).</summary>
/// <param name="GuildId">The guild.</param>
/// <param name="User">The user.</param>
/// <param name="JoinedAt">When.</param>
public sealed record MemberJoined(ulong GuildId, NafflesBotKit.Interactions.DiscordUser User, DateTimeOffset JoinedAt);
