using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NafflesBotKit.Host.Configuration;
using NafflesBotKit.Host.Health;
using NafflesBotKit.Interactions;
using NafflesBotKit.Plugins.HealthMonitor;
using NafflesBotKit.Plugins.Tests.Support;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.Tests.Host;

/// <summary>The host's metric wrappers and the WEBHOOK_SECRET alias, in-process.</summary>
public sealed class ObservabilityTests
{
    [Fact]
    public async Task MeteredRouter_CountsInteractionsByPluginCommandAndOutcome_WithDuration()
    {
        await using var host = await PluginTestHost.StartAsync(new Dictionary<string, string?> { ["Plugins:Settings:naffles.health-monitor:DiscordProbeUrl"] = "" });
        await host.AddAsync(new HealthMonitorPlugin());
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new BotMetrics(meters.GetRequiredService<IMeterFactory>());
        var router = new MeteredInteractionRouter(host.Router, host.Services.GetRequiredService<ICommandCatalog>(), metrics, TimeProvider.System);
        var measurements = Listen(out var listener);
        using (listener)
        {
            var all = Permissions.ViewChannel | Permissions.SendMessages | Permissions.EmbedLinks;
            Assert.Equal(DispatchOutcome.Handled, await router.DispatchAsync(TestInteractions.Command("naffles-status", 1001, Permissions.None, all), new RecordingResponder(), CancellationToken.None));
            Assert.Equal(DispatchOutcome.Denied, await router.DispatchAsync(TestInteractions.Command("naffles-security", 1002, Permissions.None, all, TestInteractions.Text("action", "status")), new RecordingResponder(), CancellationToken.None));
            Assert.Equal(DispatchOutcome.Unknown, await router.DispatchAsync(TestInteractions.Command("no-such-command", 1003, Permissions.None, all), new RecordingResponder(), CancellationToken.None));
        }

        var counted = measurements.Where(m => m.Instrument == "nafflesbotkit.interactions").Select(m => (m.Tags["plugin"], m.Tags["command"], m.Tags["outcome"])).ToList();
        Assert.Equal(
            [("naffles.health-monitor", "naffles-status", "handled"), ("naffles.health-monitor", "naffles-security", "denied"), ("unknown", "no-such-command", "unknown")],
            counted);
        Assert.Equal(3, measurements.Count(m => m.Instrument == "nafflesbotkit.interaction.duration"));
    }

    [Fact]
    public async Task MeteredCache_CountsHitsAndMisses()
    {
        await using var host = await PluginTestHost.StartAsync();
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var cache = new MeteredBotCache(host.Cache, new BotMetrics(meters.GetRequiredService<IMeterFactory>()));
        var measurements = Listen(out var listener);
        using (listener)
        {
            await cache.GetOrCreateAsync("k", TestJsonContext.Default.String, _ => ValueTask.FromResult("v"), CacheEntryKind.Communities);
            await cache.GetOrCreateAsync("k", TestJsonContext.Default.String, _ => ValueTask.FromResult("v"), CacheEntryKind.Communities);
        }

        Assert.Equal(
            ["miss", "hit"],
            measurements.Where(m => m.Instrument == "nafflesbotkit.cache.lookups").Select(m => m.Tags["result"]).ToList());
    }

    [Fact]
    public void WebhookSecretAlias_ShowsTheHostSecretInThePluginSection_Live()
    {
        var manager = new ConfigurationManager();
        manager.AddInMemoryCollection(new Dictionary<string, string?> { ["Webhooks:Secret"] = "from-env" });
        manager.AddWebhookSecretAlias();
        var section = manager.GetSection("Plugins:Settings:naffles.webhooks");
        Assert.Equal("from-env", section["HostSecret"]);
        Assert.Contains(section.GetChildren(), c => c.Key == "HostSecret" && c.Value == "from-env");

        manager["Webhooks:Secret"] = "rotated";
        Assert.Equal("rotated", section["HostSecret"]);
        Assert.Null(manager["Plugins:Settings:naffles.webhooks:Other"]);
    }

    private static List<(string Instrument, Dictionary<string, string?> Tags)> Listen(out MeterListener listener)
    {
        var measurements = new List<(string, Dictionary<string, string?>)>();
        listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == BotMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, string?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value?.ToString();
            }

            lock (measurements)
            {
                measurements.Add((instrument.Name, copy));
            }
        }

        listener.SetMeasurementEventCallback<long>((i, _, tags, _) => Record(i, tags));
        listener.SetMeasurementEventCallback<double>((i, _, tags, _) => Record(i, tags));
        listener.Start();
        return measurements;
    }
}
