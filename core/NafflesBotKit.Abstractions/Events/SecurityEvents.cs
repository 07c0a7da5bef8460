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
