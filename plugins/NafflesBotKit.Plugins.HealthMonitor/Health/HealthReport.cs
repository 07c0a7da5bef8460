namespace NafflesBotKit.Plugins.HealthMonitor.Health;

/// <summary>Report timeframes of <c>/naffles-status</c>-style reports and <c>/naffles-security</c>.</summary>
internal static class Timeframes
{
    public static readonly IReadOnlyList<string> All = ["1h", "24h", "7d", "30d"];

    public static TimeSpan Parse(string? timeframe) => timeframe switch
    {
        "1h" => TimeSpan.FromHours(1),
        "7d" => TimeSpan.FromDays(7),
        "30d" => TimeSpan.FromDays(30),
        _ => TimeSpan.FromHours(24),
    };
}

/// <summary>An outage: consecutive failed checks, from the first failure to the first success after it.</summary>
internal sealed record Incident(DateTimeOffset Start, DateTimeOffset? End, TimeSpan Duration, int FailedChecks, string? Error)
{
    public bool Ongoing => End is null;
}

/// <summary>One service over a timeframe.</summary>
internal sealed record ServiceReport(
    string Service,
    int TotalChecks,
    int SuccessfulChecks,
    double Availability,
    double AverageMs,
    double P95Ms,
    IReadOnlyList<Incident> Incidents,
    string Trend);

/// <summary>The seed's <c>generateHealthReport(timeframe)</c> over the stored history.</summary>
internal sealed record HealthReport(string Timeframe, DateTimeOffset From, DateTimeOffset GeneratedAt, IReadOnlyList<ServiceReport> Services);

internal sealed class HealthReporter(HealthTracker tracker, TimeProvider time)
{
    public async ValueTask<HealthReport> BuildAsync(string timeframe, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = now - Timeframes.Parse(timeframe);
        var samples = await tracker.History.ReadAsync(from, now, cancellationToken).ConfigureAwait(false);
        var services = samples.GroupBy(s => s.Service, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Summarise(g.Key, [.. g], now))
            .ToList();
        return new HealthReport(Timeframes.All.Contains(timeframe) ? timeframe : "24h", from, now, services);
    }

    internal static ServiceReport Summarise(string service, List<HealthSample> samples, DateTimeOffset now)
    {
        var ok = samples.Count(s => s.Ok);
        var times = samples.Select(s => s.Ms).ToList();
        return new ServiceReport(
            service,
            samples.Count,
            ok,
            samples.Count == 0 ? 1 : (double)ok / samples.Count,
            times.Count == 0 ? 0 : times.Average(),
            HealthTracker.Percentile(times, 0.95),
            FindIncidents(samples, now),
            Trend(samples));
    }

    internal static List<Incident> FindIncidents(List<HealthSample> samples, DateTimeOffset now)
    {
        var incidents = new List<Incident>();
        HealthSample? first = null;
        var failed = 0;
        foreach (var sample in samples)
        {
            if (!sample.Ok)
            {
                first ??= sample;
                failed++;
            }
            else if (first is not null)
            {
                incidents.Add(new Incident(first.At, sample.At, sample.At - first.At, failed, first.Error));
                first = null;
                failed = 0;
            }
        }

        if (first is not null)
        {
            incidents.Add(new Incident(first.At, null, now - first.At, failed, first.Error));
        }

        return incidents;
    }

    /// <summary>Compares the second half of the timeframe with the first: response time and availability.</summary>
    internal static string Trend(List<HealthSample> samples)
    {
        if (samples.Count < 4)
        {
            return "not enough data";
        }

        var half = samples.Count / 2;
        var early = samples.Take(half).ToList();
        var late = samples.Skip(half).ToList();
        double Availability(List<HealthSample> s) => (double)s.Count(x => x.Ok) / s.Count;
        var availabilityDelta = Availability(late) - Availability(early);
        var earlyMs = early.Average(s => s.Ms);
        var lateMs = late.Average(s => s.Ms);
        if (availabilityDelta < -0.01 || lateMs > earlyMs * 1.2 + 1)
        {
            return "degrading";
        }

        if (availabilityDelta > 0.01 || lateMs < earlyMs * 0.8 - 1)
        {
            return "improving";
        }

        return "stable";
    }
}
