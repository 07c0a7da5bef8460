using NafflesBotKit.Services;

namespace NafflesBotKit.Runtime.Services;

/// <summary>
/// Redis <c>PING</c> round trip for the health monitor (service <c>redis</c>). Registered and exported to plugins by
/// <c>AddNafflesBotServices</c> when <c>Redis:Configuration</c> is set.
/// </summary>
/// <param name="redis">The host's Redis connection.</param>
public sealed class RedisPingProbe(RedisConnection redis) : IHealthProbe
{
    /// <inheritdoc />
    public string Name => "redis";

    /// <inheritdoc />
    public async ValueTask<HealthProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var database = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var latency = await database.PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return HealthProbeResult.Ok(latency);
    }
}
