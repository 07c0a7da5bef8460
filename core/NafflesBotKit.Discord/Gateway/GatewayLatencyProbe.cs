using System.Globalization;
using NafflesBotKit.Services;

namespace NafflesBotKit.Discord.Gateway;

/// <summary>
/// Gateway heartbeat latency per shard, for the health monitor: one service <c>gateway-shard-{id}</c> per shard this
/// process runs, healthy when the shard is READY, with the round trip of its last acknowledged heartbeat as latency.
/// Registered by <c>AddDiscordHealthProbes</c> when the gateway runs.
/// </summary>
/// <param name="status">The gateway's per-shard status.</param>
public sealed class GatewayLatencyProbe(IGatewayStatus status) : IHealthProbeGroup
{
    /// <inheritdoc />
    public string Name => "discord-gateway";

    /// <inheritdoc />
    public TimeSpan? Interval => TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<NamedHealthProbeResult>> CheckAllAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var shards = status.Shards;
        IReadOnlyList<NamedHealthProbeResult> results = shards.Count == 0
            ? [new NamedHealthProbeResult(Name, HealthProbeResult.Fail("No gateway shard is running."))]
            : [.. shards.OrderBy(s => s.ShardId).Select(s => new NamedHealthProbeResult(
                "gateway-shard-" + s.ShardId.ToString(CultureInfo.InvariantCulture),
                s.State == GatewayShardState.Ready
                    ? HealthProbeResult.Ok(s.Latency)
                    : new HealthProbeResult(false, s.Latency, s.State == GatewayShardState.Faulted ? $"Faulted: {s.FatalReason}" : $"Shard is {s.State}")))];
        return ValueTask.FromResult(results);
    }
}
