namespace NafflesBotKit.Discord.Gateway;

/// <summary>Where a shard is in its life.</summary>
public enum GatewayShardState
{
    /// <summary>Not started.</summary>
    Idle,

    /// <summary>Opening a socket.</summary>
    Connecting,

    /// <summary>Socket open, Identify sent, waiting for READY.</summary>
    Identifying,

    /// <summary>Socket open, Resume sent, waiting for RESUMED.</summary>
    Resuming,

    /// <summary>READY or RESUMED received: events flow.</summary>
    Ready,

    /// <summary>Lost the connection; waiting before the next attempt.</summary>
    Reconnecting,

    /// <summary>Stopped on a close code that must not be retried (4004, 4010-4014).</summary>
    Faulted,

    /// <summary>Stopped on request.</summary>
    Stopped,
}

/// <summary>A snapshot of one shard, for health checks.</summary>
/// <param name="ShardId">Shard id.</param>
/// <param name="ShardCount">Total shards.</param>
/// <param name="State">State.</param>
/// <param name="Latency">Round trip of the last acknowledged heartbeat.</param>
/// <param name="HasSession">Whether a resumable session exists.</param>
/// <param name="LastSequence">Last sequence number received.</param>
/// <param name="ReconnectCount">Connections opened after the first.</param>
/// <param name="LastCloseCode">The last close code seen, if any.</param>
/// <param name="FatalReason">Why the shard stopped, when <see cref="GatewayShardState.Faulted"/>.</param>
/// <param name="LastHeartbeatAck">When the last heartbeat ACK arrived (null before the first).</param>
public sealed record GatewayShardStatus(
    int ShardId,
    int ShardCount,
    GatewayShardState State,
    TimeSpan? Latency,
    bool HasSession,
    long? LastSequence,
    int ReconnectCount,
    int? LastCloseCode,
    string? FatalReason,
    DateTimeOffset? LastHeartbeatAck = null);

/// <summary>Per-shard status of the gateway (health checks, dashboards).</summary>
public interface IGatewayStatus
{
    /// <summary>The shards this process runs.</summary>
    IReadOnlyList<GatewayShardStatus> Shards { get; }
}
