using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Plugins.HealthMonitor.Health;
using NafflesBotKit.Plugins.HealthMonitor.Security;

namespace NafflesBotKit.Plugins.HealthMonitor;

/// <summary>
/// Periodic health checks (Discord, Naffles, extra <c>IHealthProbe</c>s) with history, reports and de-duplicated ops
/// alerts; <c>/naffles-status</c>; <c>/naffles-security</c> with a security monitor. See README.md.
/// </summary>
public sealed class HealthMonitorPlugin : BotPlugin
{
    /// <inheritdoc />
    public override PluginManifest Manifest { get; } = new(
        "naffles.health-monitor",
        "1.0.0",
        "[1.0,2.0)",
        "Health checks, alerts and reports; /naffles-status and /naffles-security.");

    /// <inheritdoc />
    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(HealthMonitorSettings.From(configuration));
        services.AddSingleton(SecuritySettings.From(configuration.GetSection("Security")));
        services.AddSingleton<IOpsAlertSink, EventBusAlertSink>();
        services.AddSingleton<AlertDispatcher>();
        services.AddSingleton<HealthTracker>();
        services.AddSingleton<HealthReporter>();
        services.AddSingleton<ProbeHttpClient>();
        services.AddSingleton<HealthMonitorService>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<HealthMonitorService>());
        services.AddSingleton<SecurityMonitor>();
        services.AddSingleton<PluginUptime>();
    }

    /// <inheritdoc />
    public override ValueTask StartAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        // Uptime counts from here.
        _ = services.GetRequiredService<PluginUptime>();
        var settings = services.GetRequiredService<HealthMonitorSettings>();
        if (settings.OpsChannelId is { } channel && services.GetService<NafflesBotKit.Discord.IDiscordClient>() is null)
        {
            services.GetRequiredService<ILogger<HealthMonitorPlugin>>().LogWarning(
                "OpsChannelId {ChannelId} is set but the host gives plugins no Discord client: alerts are logged and published, not posted", channel);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>When the plugin started, on the injected clock.</summary>
internal sealed class PluginUptime(TimeProvider time)
{
    public long StartedTimestamp { get; } = time.GetTimestamp();
}
