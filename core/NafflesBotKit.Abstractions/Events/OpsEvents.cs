namespace NafflesBotKit.Events;

/// <summary>How urgent an <see cref="OpsAlert"/> is.</summary>
public enum OpsAlertSeverity
{
    /// <summary>For information (e.g. a service recovered).</summary>
    Info,

    /// <summary>Degraded: worth a look.</summary>
    Warning,

    /// <summary>Down or under attack: act now.</summary>
    Critical,
}

/// <summary>
/// Something operators should see in the ops channel (a service is slow or down, a security signal fired, a service
/// recovered). Published on the <see cref="IEventBus"/> by the health and security monitors, already de-duplicated;
/// whatever owns the Discord client subscribes and posts it to the configured ops channel.
/// </summary>
/// <param name="Source">Who raised it (e.g. <c>health</c>, <c>security</c>).</param>
/// <param name="Kind">Machine-readable kind (e.g. <c>slow_response</c>, <c>service_unhealthy</c>, <c>recovered</c>, <c>rapid_commands</c>).</param>
/// <param name="Severity">How urgent.</param>
/// <param name="Subject">What it is about (a service name, a user or guild id).</param>
/// <param name="Title">One line for humans.</param>
/// <param name="Detail">Details for humans.</param>
/// <param name="OccurredAt">When (from the monitor's clock).</param>
/// <param name="GuildId">The guild it concerns, if any.</param>
/// <param name="ChannelId">The ops channel to post to, when configured; null lets the subscriber decide.</param>
public sealed record OpsAlert(
    string Source,
    string Kind,
    OpsAlertSeverity Severity,
    string Subject,
    string Title,
    string Detail,
    DateTimeOffset OccurredAt,
    ulong? GuildId = null,
    ulong? ChannelId = null);

/// <summary>
/// A webhook delivery was refused (bad or missing signature, stale timestamp, malformed body). Published by the
/// Webhooks plugin so the security report can count rejected webhooks; the body is never included.
/// </summary>
/// <param name="Path">The endpoint path.</param>
/// <param name="StatusCode">The HTTP status answered (401, 400, 413).</param>
/// <param name="Reason">Machine-readable reason (<c>missing_signature</c>, <c>stale_timestamp</c>, <c>invalid_signature</c>, <c>malformed_json</c>).</param>
/// <param name="RemoteAddress">The client's address, when known.</param>
/// <param name="OccurredAt">When.</param>
public sealed record WebhookRejected(string Path, int StatusCode, string Reason, string? RemoteAddress, DateTimeOffset OccurredAt);

/// <summary>
/// An administrator changed something (linked a community, changed permissions, reloaded a plugin). Feature plugins
/// publish it; the security monitor keeps it in its audit trail.
/// </summary>
/// <param name="GuildId">The guild, if any.</param>
/// <param name="UserId">The administrator.</param>
/// <param name="Action">What they did (e.g. <c>community_linked</c>).</param>
/// <param name="Detail">Human-readable detail.</param>
/// <param name="OccurredAt">When.</param>
public sealed record AdminActionPerformed(ulong? GuildId, ulong UserId, string Action, string Detail, DateTimeOffset OccurredAt);
