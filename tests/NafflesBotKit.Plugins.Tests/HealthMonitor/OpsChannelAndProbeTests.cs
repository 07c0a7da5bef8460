using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Discord.Gateway;
using NafflesBotKit.Events;
using NafflesBotKit.Plugins.HealthMonitor;
using NafflesBotKit.Plugins.HealthMonitor.Health;
using NafflesBotKit.Plugins.Tests.Support;
using NafflesBotKit.Services;
using NafflesBotKit.Testing.Discord;

namespace NafflesBotKit.Plugins.Tests.HealthMonitor;

/// <summary>
/// Alerts posted to the ops channel of the Discord REST emulator through the host's <c>IDiscordClient</c>; the host's
/// probes (Discord <c>GET {ApiBaseUrl}/gateway</c>, gateway latency per shard, Redis ping) exported to the plugin.
/// </summary>
public sealed class OpsChannelAndProbeTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ScriptedProbe _probe = new("fake", TimeSpan.FromDays(1));
    private readonly DiscordEmulator _emulator = new(new DiscordEmulatorOptions { DefaultRouteLimit = 1000, GlobalLimitPerSecond = 1000 });
    private PluginTestHost? _host;
    private IServiceProvider _plugin = null!;

    private HealthMonitorService Monitor => _plugin.GetRequiredService<HealthMonitorService>();

    private HealthTracker Tracker => _plugin.GetRequiredService<HealthTracker>();

    public async Task InitializeAsync() => await _emulator.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Alerts_ArePostedToTheOpsChannel_OncePerCooldown_WithARecoveryNotice()
    {
        var (_, channel) = _emulator.AddGuild();
        await StartAsync(channel.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var check = Monitor.Checks.Single(c => c.Name == "fake");

        _probe.Then(HealthProbeResult.Fail("connection refused"));
        _probe.Then(HealthProbeResult.Fail("connection refused again"));
        _probe.Then(HealthProbeResult.Ok(TimeSpan.FromMilliseconds(20)));
        await Monitor.RunCheckAsync(check, CancellationToken.None);
        await Monitor.RunCheckAsync(check, CancellationToken.None);
        await Monitor.RunCheckAsync(check, CancellationToken.None);

        var titles = Posted(channel).Select(e => (string)e["title"]!).ToList();
        Assert.Single(titles, t => t == "🔴 fake is unhealthy");
        Assert.Single(titles, t => t == "✅ fake recovered");
        Assert.Single(titles, t => t.StartsWith("📉 fake availability", StringComparison.Ordinal));
        Assert.Equal(3, titles.Count);
        var down = Posted(channel).Single(e => (string)e["title"]! == "🔴 fake is unhealthy");
        Assert.Equal(0xED4245, (int)down["color"]!);
        Assert.Contains("connection refused", (string)down["description"]!, StringComparison.Ordinal);
        Assert.Contains(down["fields"]!.AsArray(), f => (string)f!["name"]! == "Severity" && (string)f["value"]! == "Critical");
        var recovered = Posted(channel).Single(e => (string)e["title"]! == "✅ fake recovered");
        Assert.Equal(0x57F287, (int)recovered["color"]!);

        // The next outage after the recovery posts at once, within the cooldown of the first.
        _probe.Then(HealthProbeResult.Fail("down again"));
        await Monitor.RunCheckAsync(check, CancellationToken.None);
        Assert.Equal(2, Posted(channel).Count(e => (string)e["title"]! == "🔴 fake is unhealthy"));
    }

    [Fact]
    public async Task AFailedPost_IsLogged_NotThrown_AndTheAlertStillGoesOnTheBus()
    {
        // A channel the emulator does not know: Discord answers 404.
        await StartAsync("999999999999999999");
        var check = Monitor.Checks.Single(c => c.Name == "fake");
        _probe.Then(HealthProbeResult.Fail("boom"));

        var sample = await Monitor.RunCheckAsync(check, CancellationToken.None);

        Assert.False(sample.Ok);
        Assert.Contains(_host!.EventsOf<OpsAlert>(), a => a.Kind == "service_unhealthy" && a.Subject == "fake" && a.ChannelId == 999999999999999999);
        Assert.Contains(_emulator.Requests, r => r.Method == "POST" && r.Path.EndsWith("/channels/999999999999999999/messages", StringComparison.Ordinal) && r.Status == 404);
    }

    [Fact]
    public async Task AnOpsChannelThatIsNotASnowflake_RefusesThePluginAtStart()
    {
        _host = await PluginTestHost.StartAsync(new Dictionary<string, string?> { ["Plugins:Settings:naffles.health-monitor:OpsChannelId"] = "#ops" }, _time);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _host.AddAsync(new HealthMonitorPlugin()));
        Assert.Contains("OpsChannelId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDiscordCheck_FollowsDiscordApiBaseUrl()
    {
        await StartAsync(null);
        var check = Monitor.Checks.Single(c => c.Name == "discord");
        Assert.Equal((TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5)), (check.Interval, check.Timeout));

        var sample = await Monitor.RunCheckAsync(check, CancellationToken.None);

        Assert.True(sample.Ok, sample.Error);
        Assert.Contains(_emulator.Requests, r => r is { Method: "GET", Path: "/gateway", Status: 200 });
        Assert.DoesNotContain(Monitor.Checks, c => c is HttpGetCheck);
    }

    [Fact]
    public async Task GatewayLatency_IsOneServicePerShard_InTheTrackerAndTheReport()
    {
        var gateway = new FakeGatewayStatus(
        [
            new GatewayShardStatus(0, 2, GatewayShardState.Ready, TimeSpan.FromMilliseconds(42), true, 10, 0, null, null),
            new GatewayShardStatus(1, 2, GatewayShardState.Reconnecting, TimeSpan.FromMilliseconds(900), true, 7, 3, 1006, null),
        ]);
        await StartAsync(null, services => services.AddSingleton<IHealthProbeGroup>(new GatewayLatencyProbe(gateway)));
        var check = Monitor.Checks.Single(c => c.Name == "discord-gateway");

        var samples = await Monitor.RunAllAsync(check, CancellationToken.None);

        Assert.Equal(["gateway-shard-0", "gateway-shard-1"], samples.Select(s => s.Service));
        var shard0 = Tracker.Snapshot("gateway-shard-0")!;
        Assert.Equal((true, 42.0), (shard0.Healthy, shard0.LastMs!.Value));
        var shard1 = Tracker.Snapshot("gateway-shard-1")!;
        Assert.False(shard1.Healthy);
        Assert.Equal("Shard is Reconnecting", shard1.LastError);
        var report = await _plugin.GetRequiredService<HealthReporter>().BuildAsync("1h", CancellationToken.None);
        Assert.Contains(report.Services, s => s.Service == "gateway-shard-1" && s.TotalChecks >= 1);
    }

    private IEnumerable<System.Text.Json.Nodes.JsonObject> Posted(ulong channel) =>
        _emulator.Messages(channel).SelectMany(m => m.Embeds.OfType<System.Text.Json.Nodes.JsonObject>());

    private async Task StartAsync(string? opsChannel, Action<IServiceCollection>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Discord:Token"] = _emulator.BotToken,
            ["Discord:ApiBaseUrl"] = _emulator.Urls.RestBaseUrl.ToString(),
            ["Discord:CommandSync:Mode"] = "Off",
            ["Plugins:Settings:naffles.health-monitor:OpsChannelId"] = opsChannel,
        };
        _host = await PluginTestHost.StartAsync(settings, _time, services =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            services.AddDiscordRest(configuration);
            services.AddDiscordHealthProbes(gateway: false);
            services.AddPluginExport<NafflesBotKit.Discord.IDiscordClient>();
            services.AddSingleton<IHealthProbe>(_probe);
            services.AddPluginExports<IHealthProbe>();
            services.AddPluginExports<IHealthProbeGroup>();
            more?.Invoke(services);
        });
        _host.Record<OpsAlert>();
        _plugin = (await _host.AddAsync(new HealthMonitorPlugin())).Services!;

        // The monitor's loop runs every check once at start, on a thread-pool thread (BackgroundService), so it may
        // call the scripted probe only after a test has queued its results. It would then take the first scripted
        // result and raise (and post) that alert itself, unawaited by the test: the test's own runs see a cooldown
        // and the post arrives after the assertions. Scripting starts once that initial (passing) check is recorded.
        await PluginTestHost.WaitUntilAsync(() => Tracker.Snapshot(_probe.Name)?.Checks >= 1, "the initial check");
    }

    private sealed class FakeGatewayStatus(IReadOnlyList<GatewayShardStatus> shards) : IGatewayStatus
    {
        public IReadOnlyList<GatewayShardStatus> Shards => shards;
    }
}

/// <summary>With Redis configured, the host exports a Redis PING probe and the monitor checks it.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisProbeTests(RedisServerFixture redis)
{
    [Fact]
    public async Task RedisPing_IsCheckedWhenRedisIsUsed()
    {
        await using var host = await PluginTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = redis.Configuration,
            ["Redis:KeyPrefix"] = RedisServerFixture.UniquePrefix(),
            ["Plugins:Settings:naffles.health-monitor:DiscordProbeUrl"] = "",
        });
        var plugin = (await host.AddAsync(new HealthMonitorPlugin())).Services!;
        var monitor = plugin.GetRequiredService<HealthMonitorService>();
        var check = monitor.Checks.Single(c => c.Name == "redis");

        var sample = await monitor.RunCheckAsync(check, CancellationToken.None);

        Assert.True(sample.Ok, sample.Error);
        Assert.Equal("redis", sample.Service);
    }
}
