using NafflesBotKit.Naffles;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.HealthMonitor.Health;

/// <summary>One monitored service: how to check it and how often.</summary>
internal interface IServiceCheck
{
    string Name { get; }

    TimeSpan Interval { get; }

    TimeSpan Timeout { get; }

    /// <summary>One result per service the check covers (a group covers several, e.g. one per gateway shard).</summary>
    ValueTask<IReadOnlyList<NamedHealthProbeResult>> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A Discord check against an explicitly configured URL (<c>DiscordProbeUrl</c>): <c>GET {url}</c> expecting 200. By
/// default the host's own probe is used instead (<c>GET {Discord:ApiBaseUrl}/gateway</c>).
/// </summary>
internal sealed class HttpGetCheck(string name, Uri url, TimeSpan interval, TimeSpan timeout, HttpClient http) : IServiceCheck
{
    public string Name => name;

    public TimeSpan Interval => interval;

    public TimeSpan Timeout => timeout;

    public async ValueTask<IReadOnlyList<NamedHealthProbeResult>> CheckAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return [new(name, (int)response.StatusCode == 200
            ? HealthProbeResult.Ok()
            : HealthProbeResult.Fail($"Unexpected status code: {(int)response.StatusCode}"))];
    }
}

/// <summary>The seed's Naffles check: <c>GET /health</c> through the host's Naffles client, healthy when it says so.</summary>
internal sealed class NafflesCheck(INafflesApi api, TimeSpan interval, TimeSpan timeout) : IServiceCheck
{
    public string Name => "naffles";

    public TimeSpan Interval => interval;

    public TimeSpan Timeout => timeout;

    public async ValueTask<IReadOnlyList<NamedHealthProbeResult>> CheckAsync(CancellationToken cancellationToken)
    {
        var health = await api.Health.GetHealthAsync(cancellationToken).ConfigureAwait(false);
        return [new(Name, health.IsHealthy ? HealthProbeResult.Ok() : HealthProbeResult.Fail($"Naffles reports status '{health.Status}'"))];
    }
}

/// <summary>A probe from the host (Discord GET /gateway, Redis ping) or the plugin's own registrations.</summary>
internal sealed class ProbeCheck(IHealthProbe probe, TimeSpan interval, TimeSpan timeout) : IServiceCheck
{
    public string Name => probe.Name;

    public TimeSpan Interval => interval;

    public TimeSpan Timeout => timeout;

    public async ValueTask<IReadOnlyList<NamedHealthProbeResult>> CheckAsync(CancellationToken cancellationToken) =>
        [new(Name, await probe.CheckAsync(cancellationToken).ConfigureAwait(false))];
}

/// <summary>A probe group from the host (gateway heartbeat latency, one service per shard).</summary>
internal sealed class ProbeGroupCheck(IHealthProbeGroup group, TimeSpan interval, TimeSpan timeout) : IServiceCheck
{
    public string Name => group.Name;

    public TimeSpan Interval => interval;

    public TimeSpan Timeout => timeout;

    public ValueTask<IReadOnlyList<NamedHealthProbeResult>> CheckAsync(CancellationToken cancellationToken) => group.CheckAllAsync(cancellationToken);
}
