using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Naffles;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.HealthMonitor.Health;

/// <summary>The plugin's own HTTP client for the Discord probe, disposed with the plugin.</summary>
internal sealed class ProbeHttpClient : IDisposable
{
    public HttpClient Http { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        // Each check brings its own timeout (a cancellation token from the monitor's clock).
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    public void Dispose() => Http.Dispose();
}

/// <summary>
/// Runs every check on its own <see cref="PeriodicTimer"/> (driven by the injected <see cref="TimeProvider"/>): once at
/// start, then every interval, never overlapping itself. A check that throws or times out is a failed check.
/// </summary>
internal sealed partial class HealthMonitorService(
    HealthMonitorSettings settings,
    HealthTracker tracker,
    ProbeHttpClient http,
    IServiceProvider services,
    TimeProvider time,
    ILogger<HealthMonitorService> logger) : BackgroundService
{
    private IReadOnlyList<IServiceCheck>? _checks;

    /// <summary>The checks this monitor runs.</summary>
    public IReadOnlyList<IServiceCheck> Checks => _checks ??= BuildChecks();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Checks.Select(check => LoopAsync(check, stoppingToken)));

    /// <summary>Runs one check now and records it; the first (for single checks the only) sample.</summary>
    public async ValueTask<HealthSample> RunCheckAsync(IServiceCheck check, CancellationToken cancellationToken) =>
        (await RunAllAsync(check, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Runs one check now and records every service it covers.</summary>
    public async ValueTask<IReadOnlyList<HealthSample>> RunAllAsync(IServiceCheck check, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        IReadOnlyList<NamedHealthProbeResult> results;
        using (var timeout = new CancellationTokenSource(check.Timeout, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                results = await check.CheckAsync(linked.Token).ConfigureAwait(false);
                if (results.Count == 0)
                {
                    results = [new(check.Name, HealthProbeResult.Fail("The check reported nothing"))];
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                results = [new(check.Name, HealthProbeResult.Fail($"Timed out after {HealthTracker.Ms(check.Timeout.TotalMilliseconds)}"))];
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                results = [new(check.Name, HealthProbeResult.Fail(ex is NafflesApiException api ? $"{api.Message} ({api.StatusCode})" : ex.Message))];
            }
        }

        var elapsed = time.GetElapsedTime(started);
        var samples = new List<HealthSample>(results.Count);
        foreach (var (service, result) in results)
        {
            var ms = (result.Latency ?? elapsed).TotalMilliseconds;
            var sample = new HealthSample(service, time.GetUtcNow(), result.Healthy, Math.Round(ms, 1), result.Error);
            await tracker.RecordAsync(sample, cancellationToken).ConfigureAwait(false);
            samples.Add(sample);
        }

        return samples;
    }

    private async Task LoopAsync(IServiceCheck check, CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(check.Interval, time);
            do
            {
                try
                {
                    await RunAllAsync(check, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Recording failed (e.g. the store is down); the loop goes on.
                    LogRecordFailed(logger, ex, check.Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private List<IServiceCheck> BuildChecks()
    {
        var checks = new List<IServiceCheck>();
        var probes = services.GetServices<IHealthProbe>().ToList();
        if (settings.DiscordProbeUrl is { } url)
        {
            // An explicit URL replaces the host's Discord probe.
            checks.Add(new HttpGetCheck("discord", url, settings.DiscordInterval, settings.DiscordTimeout, http.Http));
            probes.RemoveAll(p => p.Name == "discord");
        }

        if (services.GetService<INafflesApi>() is { } api)
        {
            checks.Add(new NafflesCheck(api, settings.NafflesInterval, settings.NafflesTimeout));
        }

        foreach (var probe in probes.DistinctBy(p => p.Name, StringComparer.Ordinal))
        {
            // The host's Discord probe (GET {Discord:ApiBaseUrl}/gateway) runs on the seed's Discord schedule.
            checks.Add(probe.Name == "discord"
                ? new ProbeCheck(probe, settings.DiscordInterval, settings.DiscordTimeout)
                : new ProbeCheck(probe, probe.Interval ?? settings.ProbeInterval, probe.Timeout ?? settings.ProbeTimeout));
        }

        foreach (var group in services.GetServices<IHealthProbeGroup>().DistinctBy(g => g.Name, StringComparer.Ordinal))
        {
            checks.Add(new ProbeGroupCheck(group, group.Interval ?? settings.ProbeInterval, group.Timeout ?? settings.ProbeTimeout));
        }

        LogChecks(logger, string.Join(", ", checks.Select(c => $"{c.Name} every {c.Interval.TotalSeconds:0}s")));
        return checks;
    }

    [LoggerMessage(EventId = 6110, Level = LogLevel.Information, Message = "Health monitor checks: {Checks}")]
    private static partial void LogChecks(ILogger logger, string checks);

    [LoggerMessage(EventId = 6111, Level = LogLevel.Error, Message = "Recording the {Service} health check failed")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string service);
}
