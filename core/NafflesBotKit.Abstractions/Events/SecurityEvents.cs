namespace NafflesBotKit.Events;

/// <summary>Kinds of <see cref="SecurityEvent"/>.</summary>
public enum SecurityEventKind
{
    /// <summary>A member was refused a command or component for lacking a permission or community role.</summary>
    PermissionDenied,

    /// <summary>One rate-limit key was refused more often than the alert threshold (default 10) within an hour.</summary>
    RateLimitAbuse,
}

/// <summary>Severity of a <see cref="SecurityEvent"/>.</summary>
public enum SecuritySeverity
{
    /// <summary>Worth counting.</summary>
    Low,

    /// <summary>Worth a look.</summary>
    Medium,

    /// <summary>Worth an alert.</summary>
    High,
}

/// <summary>
/// Published on the <see cref="IEventBus"/> when the host notices something a security report should count
/// (permission denials, rate-limit abuse).
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Severity">How serious it is.</param>
/// <param name="GuildId">The guild, if any.</param>
/// <param name="UserId">The user, if any.</param>
/// <param name="Subject">What was attempted: a command path, a custom-id template or a rate-limit key.</param>
/// <param name="Detail">Human-readable detail (e.g. "Missing permissions: Manage Server").</param>
/// <param name="OccurredAt">When (from the host's clock).</param>
/// <param name="Count">For repeated events, how many times it happened in the counting window.</param>
public sealed record SecurityEvent(
    SecurityEventKind Kind,
    SecuritySeverity Severity,
    ulong? GuildId,
    ulong? UserId,
    string Subject,
    string Detail,
    DateTimeOffset OccurredAt,
    int Count = 1);

/// <summary>
/// Published on the <see cref="IEventBus"/> by the router for every command, component and modal interaction it routes
/// to a plugin, before the guards decide — so activity monitors (rapid commands, bot-like timing, command abuse) see
/// every interaction, whichever plugin handles it and whether it is allowed or denied. Autocomplete is not included.
/// </summary>
/// <param name="GuildId">The guild, if any.</param>
/// <param name="UserId">Who invoked it.</param>
/// <param name="Kind"><c>command</c>, <c>component</c> or <c>modal</c>.</param>
/// <param name="Name">The command path or the matched custom-id template.</param>
/// <param name="PluginId">The plugin it is routed to.</param>
/// <param name="OccurredAt">When the router saw it (host clock).</param>
public sealed record InteractionObserved(
    ulong? GuildId,
    ulong UserId,
    string Kind,
    string Name,
    string PluginId,
    DateTimeOffset OccurredAt);
