using NafflesBotKit.Naffles;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.HealthMonitor.Health;

/// <summary>One monitored service: how to check it and how often.</summary>
internal interface IServiceCheck
{
    string Name { get; }

    TimeSpan Interval { get; }

    TimeSpan Timeout { get; }

    ValueTask<HealthProbeResult> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The seed's Discord check: <c>GET {url}</c> expecting 200. The URL is configurable (default Discord's
/// <c>/api/v10/gateway</c>) until the Discord layer provides a gateway probe of its own.
/// </summary>
internal sealed class HttpGetCheck(string name, Uri url, TimeSpan interval, TimeSpan timeout, HttpClient http) : IServiceCheck
{
    public string Name => name;

    public TimeSpan Interval => interval;

    public TimeSpan Timeout => timeout;

    public async ValueTask<HealthProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return (int)response.StatusCode == 200
            ? HealthProbeResult.Ok()
            : HealthProbeResult.Fail($"Unexpected status code: {(int)response.StatusCode}");
    }
}

/// <summary>The seed's Naffles check: <c>GET /health</c> through the host's Naffles client, healthy when it says so.</summary>
internal sealed class NafflesCheck(INafflesApi api, TimeSpan interval, TimeSpan timeout) : IServiceCheck
{
    public string Name => "naffles";

    public TimeSpan Interval => interval;

    public TimeSpan Timeout => timeout;

    public async ValueTask<HealthProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        var health = await api.Health.GetHealthAsync(cancellationToken).ConfigureAwait(false);
        return health.IsHealthy ? HealthProbeResult.Ok() : HealthProbeResult.Fail($"Naffles reports status '{health.Status}'");
    }
}

/// <summary>An extra probe from the host or another registration (gateway latency per shard, Redis ping).</summary>
internal sealed class ProbeCheck(IHealthProbe probe, TimeSpan defaultInterval, TimeSpan timeout) : IServiceCheck
{
    public string Name => probe.Name;

    public TimeSpan Interval => probe.Interval ?? defaultInterval;

    public TimeSpan Timeout => timeout;

    public ValueTask<HealthProbeResult> CheckAsync(CancellationToken cancellationToken) => probe.CheckAsync(cancellationToken);
}
