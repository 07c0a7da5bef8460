using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NafflesBotKit.Discord.Gateway;

/// <summary>
/// Health of the gateway: healthy when every shard is READY, degraded while some reconnect, unhealthy when a shard
/// stopped on a fatal close code (or none runs — except in a cluster, where a process holding no shard lease is a healthy
/// standby that still serves HTTP). Register with <c>AddHealthChecks().AddDiscordGateway()</c>.
/// </summary>
public sealed class GatewayHealthCheck : IHealthCheck
{
    private readonly IGatewayStatus _status;
    private readonly IShardOwnership? _ownership;

    /// <summary>Creates the check.</summary>
    /// <param name="status">Gateway status.</param>
    /// <param name="ownership">Shard ownership, when shards are leased by several processes.</param>
    public GatewayHealthCheck(IGatewayStatus status, IShardOwnership? ownership = null)
    {
        _status = status;
        _ownership = ownership;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var shards = _status.Shards;
        var data = shards.ToDictionary(
            s => "shard " + s.ShardId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            s => (object)$"{s.State} latency={s.Latency?.TotalMilliseconds:0}ms seq={s.LastSequence} reconnects={s.ReconnectCount}");
        if (shards.Count == 0 && _ownership is { Clustered: true } cluster)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"Process {cluster.ProcessId} holds no shard lease (standby).", data));
        }

        if (shards.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("No gateway shard is running.", data: data));
        }

        if (shards.FirstOrDefault(s => s.State == GatewayShardState.Faulted) is { } faulted)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"Shard {faulted.ShardId} stopped: {faulted.FatalReason}", data: data));
        }

        var notReady = shards.Count(s => s.State != GatewayShardState.Ready);
        return Task.FromResult(notReady == 0
            ? HealthCheckResult.Healthy($"{shards.Count} shard(s) ready.", data)
            : HealthCheckResult.Degraded($"{notReady} of {shards.Count} shard(s) not ready.", data: data));
    }
}
