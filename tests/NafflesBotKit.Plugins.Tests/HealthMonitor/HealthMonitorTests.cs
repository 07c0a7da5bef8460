using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Events;
using NafflesBotKit.Plugins.HealthMonitor;
using NafflesBotKit.Plugins.HealthMonitor.Health;
using NafflesBotKit.Plugins.Tests.Support;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.Tests.HealthMonitor;

/// <summary>The HealthMonitor plugin in-process on a fake clock, probing a scripted <see cref="IHealthProbe"/> the host exports.</summary>
public sealed class HealthMonitorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ScriptedProbe _probe = new("fake", TimeSpan.FromDays(1));
    private PluginTestHost _host = null!;
    private IServiceProvider _plugin = null!;
    private IServiceCheck _check = null!;

    private HealthMonitorService Monitor => _plugin.GetRequiredService<HealthMonitorService>();

    private HealthTracker Tracker => _plugin.GetRequiredService<HealthTracker>();

    public async Task InitializeAsync() => await StartAsync(new Dictionary<string, string?>());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task SlowResponse_AlertsOncePerCooldown_AndAgainAfterIt()
    {
        _probe.Then(HealthProbeResult.Ok(TimeSpan.FromSeconds(6)));
        _probe.Then(HealthProbeResult.Ok(TimeSpan.FromSeconds(7)));
        _probe.Then(HealthProbeResult.Ok(TimeSpan.FromSeconds(8)));
        _probe.Then(HealthProbeResult.Ok(TimeSpan.FromSeconds(4.9)));

        await RunAsync();
        await RunAsync();
        Assert.Single(Alerts("slow_response"));

        _time.Advance(TimeSpan.FromMinutes(16));
        await RunAsync();
        Assert.Equal(2, Alerts("slow_response").Count);
        await RunAsync();
        Assert.Equal(2, Alerts("slow_response").Count);
        Assert.All(Alerts("slow_response"), a => Assert.Equal(OpsAlertSeverity.Warning, a.Severity));
    }

    [Fact]
    public async Task Unhealthy_AlertsOnce_RecoveryIsAnnounced_AndTheNextOutageAlertsAtOnce()
    {
        _probe.Then(HealthProbeResult.Fail("boom"));
        _probe.Then(HealthProbeResult.Fail("boom again"));
        await RunAsync();
        await RunAsync();
        var down = Assert.Single(Alerts("service_unhealthy"));
        Assert.Equal(OpsAlertSeverity.Critical, down.Severity);
        Assert.Contains("boom", down.Detail, StringComparison.Ordinal);
        var snapshot = Tracker.Snapshot("fake")!;
        Assert.Equal((2, "boom again"), (snapshot.ConsecutiveFailures, snapshot.LastError));

        await RunAsync();
        var recovered = Assert.Single(Alerts("recovered"));
        Assert.Equal(OpsAlertSeverity.Info, recovered.Severity);
        Assert.Equal(0, Tracker.Snapshot("fake")!.ConsecutiveFailures);

        _probe.Then(HealthProbeResult.Fail("down again"));
        await RunAsync();
        Assert.Equal(2, Alerts("service_unhealthy").Count);
    }

    [Fact]
    public async Task ExceptionsAndTimeouts_AreFailedChecks()
    {
        _probe.ThenHang();
        var running = Monitor.RunCheckAsync(_check, CancellationToken.None).AsTask();
        await PluginTestHost.WaitUntilAsync(() => _probe.Calls >= 2, "the hanging check to start");
        _time.Advance(TimeSpan.FromSeconds(6));
        var sample = await running;
        Assert.False(sample.Ok);
        Assert.Contains("Timed out", sample.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LowAvailability_AlertsBelowTheConfiguredThreshold()
    {
        await _host.DisposeAsync();
        await StartAsync(new Dictionary<string, string?> { ["SampleWindow"] = "10", ["AvailabilityThreshold"] = "0.85" });
        for (var i = 0; i < 8; i++)
        {
            await RunAsync();
        }

        _probe.Then(HealthProbeResult.Fail("x"));
        await RunAsync();
        Assert.Equal(0.9, Tracker.Snapshot("fake")!.Availability, 3);
        Assert.Empty(Alerts("low_availability"));

        _probe.Then(HealthProbeResult.Fail("x"));
        await RunAsync();
        Assert.Equal(0.8, Tracker.Snapshot("fake")!.Availability, 3);
        Assert.Single(Alerts("low_availability"));
    }

    [Fact]
    public async Task Snapshot_HasAverageAndP95()
    {
        foreach (var ms in new[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 1000 })
        {
            _probe.Then(HealthProbeResult.Ok(TimeSpan.FromMilliseconds(ms)));
            await RunAsync();
        }

        var snapshot = Tracker.Snapshot("fake")!;
        Assert.Equal(11, snapshot.Checks);
        Assert.Equal(1000, snapshot.P95Ms);
        Assert.Equal((10 + 10 + 20 + 30 + 40 + 50 + 60 + 70 + 80 + 90 + 1000) / 11.0, snapshot.AverageMs, 1);
    }

    [Fact]
    public async Task Report_ListsIncidentsWithStartEndAndDuration_PerTimeframe()
    {
        var start = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMinutes(1));
        _probe.Then(HealthProbeResult.Fail("outage"));
        await RunAsync();
        _time.Advance(TimeSpan.FromMinutes(1));
        _probe.Then(HealthProbeResult.Fail("outage"));
        await RunAsync();
        _time.Advance(TimeSpan.FromMinutes(1));
        await RunAsync();
        _time.Advance(TimeSpan.FromMinutes(2));
        _probe.Then(HealthProbeResult.Fail("second"));
        await RunAsync();

        var reporter = _plugin.GetRequiredService<HealthReporter>();
        var report = await reporter.BuildAsync("1h", CancellationToken.None);
        var service = Assert.Single(report.Services);
        Assert.Equal((5, 2), (service.TotalChecks, service.SuccessfulChecks));
        Assert.Equal(2, service.Incidents.Count);
        var first = service.Incidents[0];
        Assert.Equal(start.AddMinutes(1), first.Start);
        Assert.Equal(start.AddMinutes(3), first.End);
        Assert.Equal(TimeSpan.FromMinutes(2), first.Duration);
        Assert.Equal(2, first.FailedChecks);
        Assert.True(service.Incidents[1].Ongoing);
        Assert.Equal("degrading", service.Trend);

        _time.Advance(TimeSpan.FromHours(2));
        Assert.Empty((await reporter.BuildAsync("1h", CancellationToken.None)).Services);
        Assert.Equal(5, Assert.Single((await reporter.BuildAsync("24h", CancellationToken.None)).Services).TotalChecks);
    }

    [Fact]
    public async Task History_OutlivesThePlugin_InTheStore()
    {
        _probe.Then(HealthProbeResult.Fail("kept"));
        await RunAsync();
        await _host.Plugins.UnloadAllAsync(CancellationToken.None);
        var reloaded = await _host.AddAsync(new HealthMonitorPlugin());
        var report = await reloaded.Services!.GetRequiredService<HealthReporter>().BuildAsync("24h", CancellationToken.None);
        Assert.Contains(report.Services.Single(s => s.Service == "fake").Incidents, i => i.Error == "kept");
    }

    [Fact]
    public async Task PeriodicTimer_RunsTheCheckEveryInterval_OnTheInjectedClock()
    {
        var periodic = new ScriptedProbe("periodic", TimeSpan.FromSeconds(30));
        await _host.DisposeAsync();
        await StartAsync(new Dictionary<string, string?>(), periodic);
        await PluginTestHost.WaitUntilAsync(() => Tracker.Snapshot("periodic")?.Checks == 1, "the first check");
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, periodic.Calls);
        _time.Advance(TimeSpan.FromSeconds(1));
        await PluginTestHost.WaitUntilAsync(() => Tracker.Snapshot("periodic")?.Checks == 2, "the second check");
        _time.Advance(TimeSpan.FromSeconds(30));
        await PluginTestHost.WaitUntilAsync(() => Tracker.Snapshot("periodic")?.Checks == 3, "the third check");
    }

    private IReadOnlyList<OpsAlert> Alerts(string kind) => [.. _host.EventsOf<OpsAlert>().Where(a => a.Kind == kind && a.Subject is "fake" or "periodic")];

    private async Task RunAsync() => await Monitor.RunCheckAsync(_check, CancellationToken.None);

    private async Task StartAsync(Dictionary<string, string?> pluginSettings, ScriptedProbe? probe = null)
    {
        probe ??= _probe;
        var settings = new Dictionary<string, string?> { ["Plugins:Settings:naffles.health-monitor:DiscordProbeUrl"] = "" };
        foreach (var (key, value) in pluginSettings)
        {
            settings["Plugins:Settings:naffles.health-monitor:" + key] = value;
        }

        _host = await PluginTestHost.StartAsync(settings, _time, services =>
        {
            services.AddSingleton<IHealthProbe>(probe);
            services.AddPluginExport<IHealthProbe>();
        });
        _host.Record<OpsAlert>();
        var loaded = await _host.AddAsync(new HealthMonitorPlugin());
        _plugin = loaded.Services!;
        _check = Monitor.Checks.Single(c => c.Name == probe.Name);
        await PluginTestHost.WaitUntilAsync(() => Tracker.Snapshot(probe.Name)?.Checks >= 1, "the initial check");
    }
}
