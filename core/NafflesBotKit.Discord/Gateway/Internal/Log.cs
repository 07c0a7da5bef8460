using Microsoft.Extensions.Logging;

namespace NafflesBotKit.Discord.Gateway.Internal;

internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Shard {ShardId}/{ShardCount}: connecting to {Url} ({Mode})")]
    public static partial void Connecting(ILogger logger, int shardId, int shardCount, string url, string mode);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Shard {ShardId}: READY, session established with {GuildCount} guilds")]
    public static partial void Ready(ILogger logger, int shardId, int guildCount);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Shard {ShardId}: RESUMED at seq {Sequence}")]
    public static partial void Resumed(ILogger logger, int shardId, long? sequence);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Shard {ShardId}: connection ended ({Reason}, close {CloseCode}); next: {Recovery}")]
    public static partial void ConnectionEnded(ILogger logger, int shardId, string reason, int? closeCode, GatewayRecovery recovery);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Critical, Message = "Shard {ShardId}: stopped for good on close code {CloseCode}: {Description}. Not reconnecting (fix the configuration and restart).")]
    public static partial void Fatal(ILogger logger, int shardId, int closeCode, string description);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Shard {ShardId}: no heartbeat ACK before the next beat; zombie connection, reconnecting to resume")]
    public static partial void Zombie(ILogger logger, int shardId);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Shard {ShardId}: {What} timed out after {Timeout}")]
    public static partial void Timeout(ILogger logger, int shardId, string what, TimeSpan timeout);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Shard {ShardId}: invalid session (resumable: {Resumable})")]
    public static partial void InvalidSession(ILogger logger, int shardId, bool resumable);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Information, Message = "Shard {ShardId}: waiting {Delay} before reconnecting (attempt {Attempt})")]
    public static partial void Backoff(ILogger logger, int shardId, TimeSpan delay, int attempt);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Error, Message = "Shard {ShardId}: event sink failed on {EventName} #{Sequence}")]
    public static partial void SinkFailed(ILogger logger, Exception exception, int shardId, string eventName, long sequence);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Shard {ShardId}: could not decode a gateway payload")]
    public static partial void DecodeFailed(ILogger logger, Exception exception, int shardId);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Debug, Message = "Shard {ShardId}: send failed")]
    public static partial void SendFailed(ILogger logger, Exception exception, int shardId);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Gateway: {Remaining} of {Total} identifies left (resets in {ResetAfter})")]
    public static partial void LowSessionStarts(ILogger logger, int remaining, int total, TimeSpan resetAfter);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Information, Message = "Gateway: running shards [{ShardIds}] of {ShardCount} (max_concurrency {MaxConcurrency})")]
    public static partial void Starting(ILogger logger, string shardIds, int shardCount, int maxConcurrency);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Error, Message = "Interaction handler failed for dispatch #{Sequence} on shard {ShardId}")]
    public static partial void InteractionFailed(ILogger logger, Exception exception, int shardId, long sequence);

    [LoggerMessage(EventId = 4016, Level = LogLevel.Warning, Message = "No IGatewayInteractionHandler is registered; INTERACTION_CREATE #{Sequence} on shard {ShardId} was not handled")]
    public static partial void NoInteractionHandler(ILogger logger, int shardId, long sequence);

    [LoggerMessage(EventId = 4017, Level = LogLevel.Error, Message = "Publishing {EventName} #{Sequence} on shard {ShardId} failed")]
    public static partial void PublishFailed(ILogger logger, Exception exception, int shardId, string eventName, long sequence);

    [LoggerMessage(EventId = 4018, Level = LogLevel.Critical, Message = "GET /gateway/bot was refused (401/403): the bot token is wrong; the gateway will not start")]
    public static partial void GatewayInfoUnauthorized(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4019, Level = LogLevel.Warning, Message = "GET /gateway/bot failed (attempt {Attempt}); retrying in {Delay}")]
    public static partial void GatewayInfoFailed(ILogger logger, Exception exception, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Error, Message = "Shard {ShardId}: the connection failed to decode a payload; reconnecting with a fresh zlib context")]
    public static partial void ConnectionFaulted(ILogger logger, Exception exception, int shardId);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Error, Message = "Shard {ShardId}: sending Identify/Resume failed; reconnecting")]
    public static partial void AuthenticateFailed(ILogger logger, Exception exception, int shardId);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Critical, Message = "Shard {ShardId}: crashed on an unexpected error and stopped")]
    public static partial void ShardCrashed(ILogger logger, Exception exception, int shardId);

    [LoggerMessage(EventId = 4023, Level = LogLevel.Warning, Message = "Shard {ShardId}: this process no longer holds the shard's lease; not identifying or resuming")]
    public static partial void LeaseLost(ILogger logger, int shardId);

    [LoggerMessage(EventId = 4024, Level = LogLevel.Information, Message = "Shard {ShardId}: lease acquired by {Owner} (fence {Fence}); {Mode}")]
    public static partial void LeaseAcquired(ILogger logger, int shardId, string owner, long fence, string mode);

    [LoggerMessage(EventId = 4025, Level = LogLevel.Warning, Message = "Shard {ShardId}: lease renewal failed; stopping the shard (another process takes it over)")]
    public static partial void LeaseRenewFailed(ILogger logger, int shardId);

    [LoggerMessage(EventId = 4026, Level = LogLevel.Information, Message = "Shard {ShardId}: handing over to another process (session kept for resume)")]
    public static partial void HandingOver(ILogger logger, int shardId);

    [LoggerMessage(EventId = 4027, Level = LogLevel.Error, Message = "Shard lease round failed; retrying next round")]
    public static partial void LeaseRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4028, Level = LogLevel.Information, Message = "Cluster member {Owner}: {Members} live processes, target {Target} of {ShardCount} shards")]
    public static partial void ClusterShare(ILogger logger, string owner, int members, int target, int shardCount);

    [LoggerMessage(EventId = 4029, Level = LogLevel.Warning, Message = "Shard {ShardId}: could not record when its Identify was sent (the identify spacing counts from the grant)")]
    public static partial void IdentifySentNotRecorded(ILogger logger, Exception exception, int shardId);
}
