using System.Globalization;
using NafflesBotKit.Events;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.HealthMonitor.Health;

/// <summary>Live numbers of one service over the recent checks.</summary>
internal sealed record ServiceSnapshot(
    string Service,
    int Checks,
    double Availability,
    double AverageMs,
    double P95Ms,
    int ConsecutiveFailures,
    string? LastError,
    DateTimeOffset? LastCheck,
    bool? LastOk,
    double? LastMs)
{
    public bool Healthy => LastOk != false;
}

/// <summary>
/// Records check results: live numbers per service (recent window), history in the store, and the seed's alerts —
/// slow response (over 5 s), low availability (under 99 %), unhealthy — plus a recovery notice when a service that
/// alerted as unhealthy passes again.
/// </summary>
internal sealed class HealthTracker
{
    public const string Source = "health";

    private readonly HealthMonitorSettings _settings;
    private readonly AlertDispatcher _alerts;
    private readonly Dictionary<string, ServiceState> _services = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public HealthTracker(HealthMonitorSettings settings, AlertDispatcher alerts, IPluginStore store)
    {
        _settings = settings;
        _alerts = alerts;
        History = new HourlyLog<HealthSample>(store, "health", HealthJsonContext.Default.ListHealthSample, s => s.At, settings.Retention);
    }

    public HourlyLog<HealthSample> History { get; }

    public IReadOnlyList<ServiceSnapshot> Snapshot()
    {
        lock (_gate)
        {
            return [.. _services.Values.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => s.ToSnapshot())];
        }
    }

    public ServiceSnapshot? Snapshot(string service)
    {
        lock (_gate)
        {
            return _services.TryGetValue(service, out var state) ? state.ToSnapshot() : null;
        }
    }

    public async ValueTask RecordAsync(HealthSample sample, CancellationToken cancellationToken)
    {
        ServiceSnapshot snapshot;
        bool recovered;
        lock (_gate)
        {
            if (!_services.TryGetValue(sample.Service, out var state))
            {
                _services[sample.Service] = state = new ServiceState(sample.Service, _settings.SampleWindow);
            }

            recovered = state.Add(sample, _settings.UnhealthyAfterFailures);
            snapshot = state.ToSnapshot();
        }

        await History.AppendAsync(sample, cancellationToken).ConfigureAwait(false);
        var service = sample.Service;
        if (recovered)
        {
            _alerts.Reset(Source, "service_unhealthy", service);
            await _alerts.RaiseAsync(Source, "recovered", OpsAlertSeverity.Info, service, $"✅ {service} recovered",
                $"Healthy again after the outage; response {Ms(sample.Ms)}.", null, cancellationToken).ConfigureAwait(false);
        }

        if (sample.Ms > _settings.SlowResponse.TotalMilliseconds)
        {
            await _alerts.RaiseAsync(Source, "slow_response", OpsAlertSeverity.Warning, service, $"🐢 {service} is slow",
                $"Response time {Ms(sample.Ms)} is over the {Ms(_settings.SlowResponse.TotalMilliseconds)} threshold.", null, cancellationToken).ConfigureAwait(false);
        }

        if (snapshot.Availability < _settings.AvailabilityThreshold)
        {
            await _alerts.RaiseAsync(Source, "low_availability", OpsAlertSeverity.Warning, service, $"📉 {service} availability {Percent(snapshot.Availability)}",
                $"Availability over the last {snapshot.Checks} checks is under {Percent(_settings.AvailabilityThreshold)}.", null, cancellationToken).ConfigureAwait(false);
        }

        if (snapshot.ConsecutiveFailures >= _settings.UnhealthyAfterFailures)
        {
            await _alerts.RaiseAsync(Source, "service_unhealthy", OpsAlertSeverity.Critical, service, $"🔴 {service} is unhealthy",
                $"{snapshot.ConsecutiveFailures} consecutive failed check(s). Last error: {sample.Error ?? "unknown"}", null, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static string Ms(double ms) => ms >= 1000
        ? (ms / 1000).ToString("0.0#", CultureInfo.InvariantCulture) + " s"
        : Math.Round(ms).ToString(CultureInfo.InvariantCulture) + " ms";

    internal static string Percent(double ratio) => (ratio * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";

    internal static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    private sealed class ServiceState(string name, int window)
    {
        private readonly Queue<HealthSample> _recent = new();
        private bool _alertedUnhealthy;

        public string Name { get; } = name;

        public int ConsecutiveFailures { get; private set; }

        public string? LastError { get; private set; }

        /// <summary>Adds a sample; true when this sample ends an unhealthy spell.</summary>
        public bool Add(HealthSample sample, int unhealthyAfter)
        {
            _recent.Enqueue(sample);
            while (_recent.Count > window)
            {
                _recent.Dequeue();
            }

            if (sample.Ok)
            {
                ConsecutiveFailures = 0;
                var recovered = _alertedUnhealthy;
                _alertedUnhealthy = false;
                return recovered;
            }

            ConsecutiveFailures++;
            LastError = sample.Error;
            if (ConsecutiveFailures >= unhealthyAfter)
            {
                _alertedUnhealthy = true;
            }

            return false;
        }

        public ServiceSnapshot ToSnapshot()
        {
            var samples = _recent.ToList();
            var times = samples.Select(s => s.Ms).ToList();
            var last = samples.Count > 0 ? samples[^1] : null;
            return new ServiceSnapshot(
                Name,
                samples.Count,
                samples.Count == 0 ? 1 : (double)samples.Count(s => s.Ok) / samples.Count,
                times.Count == 0 ? 0 : times.Average(),
                Percentile(times, 0.95),
                ConsecutiveFailures,
                LastError,
                last?.At,
                last?.Ok,
                last?.Ms);
        }
    }
}
