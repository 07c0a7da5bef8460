namespace NafflesBotKit.Services;

/// <summary>
/// One dependency the bot relies on, checked periodically by the health monitor (gateway heartbeat latency per shard,
/// Redis ping, ...). The host exports every probe it registers (<c>AddPluginExports&lt;IHealthProbe&gt;()</c>), so a plugin
/// resolves them all as <c>IEnumerable&lt;IHealthProbe&gt;</c>; plugins may register their own in their container.
/// </summary>
public interface IHealthProbe
{
    /// <summary>A short stable name (e.g. <c>redis</c>, <c>gateway-shard-0</c>), used as the service key in reports.</summary>
    string Name { get; }

    /// <summary>How often the probe should run; null uses the monitor's default (60 s).</summary>
    TimeSpan? Interval => null;

    /// <summary>How long one check may take before it counts as failed; null uses the monitor's default (5 s).</summary>
    TimeSpan? Timeout => null;

    /// <summary>Checks the dependency once. Expected failures are results, not exceptions; an exception counts as unhealthy.</summary>
    /// <param name="cancellationToken">Cancelled when the probe's timeout passes or the host stops.</param>
    /// <returns>The outcome.</returns>
    ValueTask<HealthProbeResult> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>The outcome of one <see cref="IHealthProbe.CheckAsync"/>.</summary>
/// <param name="Healthy">Whether the dependency works.</param>
/// <param name="Latency">
/// The latency the probe itself measured (e.g. the last gateway heartbeat round trip); null lets the monitor use the
/// time the check took.
/// </param>
/// <param name="Error">Why it is unhealthy, for operators.</param>
public sealed record HealthProbeResult(bool Healthy, TimeSpan? Latency = null, string? Error = null)
{
    /// <summary>A healthy result.</summary>
    /// <param name="latency">Measured latency, if any.</param>
    public static HealthProbeResult Ok(TimeSpan? latency = null) => new(true, latency);

    /// <summary>An unhealthy result.</summary>
    /// <param name="error">Why.</param>
    public static HealthProbeResult Fail(string error) => new(false, null, error);
}

/// <summary>
/// Several dependencies checked together, each reported as its own service — for sets known only at run time, such as
/// one entry per gateway shard. Exported and consumed like <see cref="IHealthProbe"/>.
/// </summary>
public interface IHealthProbeGroup
{
    /// <summary>The group's name; failures of the group as a whole (timeout, exception) are reported under it.</summary>
    string Name { get; }

    /// <summary>How often the group should run; null uses the monitor's default (60 s).</summary>
    TimeSpan? Interval => null;

    /// <summary>How long one run may take; null uses the monitor's default (5 s).</summary>
    TimeSpan? Timeout => null;

    /// <summary>Checks every member once.</summary>
    /// <param name="cancellationToken">Cancelled when the timeout passes or the host stops.</param>
    /// <returns>One result per member (at least one: report the empty set as a failure under <see cref="Name"/>).</returns>
    ValueTask<IReadOnlyList<NamedHealthProbeResult>> CheckAllAsync(CancellationToken cancellationToken);
}

/// <summary>The result of one member of an <see cref="IHealthProbeGroup"/>.</summary>
/// <param name="Name">The member's service name (e.g. <c>gateway-shard-0</c>).</param>
/// <param name="Result">Its outcome.</param>
public sealed record NamedHealthProbeResult(string Name, HealthProbeResult Result);
