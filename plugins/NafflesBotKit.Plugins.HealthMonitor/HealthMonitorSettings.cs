using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace NafflesBotKit.Plugins.HealthMonitor;

/// <summary>
/// Settings from <c>Plugins:Settings:naffles.health-monitor</c> (read by hand: the configuration binder is not part of
/// the SDK). Defaults are the seed's.
/// </summary>
internal sealed record HealthMonitorSettings
{
    /// <summary>
    /// An explicit URL for the Discord check (HTTP GET expecting 200), replacing the host's probe. Unset (default): the
    /// host's probe, <c>GET {Discord:ApiBaseUrl}/gateway</c>, so the check follows the Discord the bot talks to.
    /// </summary>
    public Uri? DiscordProbeUrl { get; init; }

    public TimeSpan DiscordInterval { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan DiscordTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan NafflesInterval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan NafflesTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval of extra probes (<c>IHealthProbe</c>) that do not name their own.</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Seed: alert when a check takes longer than 5 s.</summary>
    public TimeSpan SlowResponse { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Seed: alert when availability falls under 99 %.</summary>
    public double AvailabilityThreshold { get; init; } = 0.99;

    /// <summary>Consecutive failures before a service counts as unhealthy and alerts (seed: 1).</summary>
    public int UnhealthyAfterFailures { get; init; } = 1;

    /// <summary>The same alert (source, kind, subject) is sent at most once per cooldown.</summary>
    public TimeSpan AlertCooldown { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How many recent checks the live availability / average / p95 are computed over.</summary>
    public int SampleWindow { get; init; } = 100;

    /// <summary>How long check history and security events are kept in the store.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Discord channel the alerts are posted to (also carried in <c>OpsAlert.ChannelId</c>); unset: bus and log only.</summary>
    public ulong? OpsChannelId { get; init; }

    public static HealthMonitorSettings From(IConfiguration configuration)
    {
        var defaults = new HealthMonitorSettings();
        var probe = configuration["DiscordProbeUrl"];
        return new HealthMonitorSettings
        {
            DiscordProbeUrl = probe is null ? defaults.DiscordProbeUrl : Uri.TryCreate(probe, UriKind.Absolute, out var url) ? url : null,
            DiscordInterval = Seconds(configuration, "DiscordIntervalSeconds", defaults.DiscordInterval),
            DiscordTimeout = Seconds(configuration, "DiscordTimeoutSeconds", defaults.DiscordTimeout),
            NafflesInterval = Seconds(configuration, "NafflesIntervalSeconds", defaults.NafflesInterval),
            NafflesTimeout = Seconds(configuration, "NafflesTimeoutSeconds", defaults.NafflesTimeout),
            ProbeInterval = Seconds(configuration, "ProbeIntervalSeconds", defaults.ProbeInterval),
            ProbeTimeout = Seconds(configuration, "ProbeTimeoutSeconds", defaults.ProbeTimeout),
            SlowResponse = TimeSpan.FromMilliseconds(Number(configuration, "SlowResponseMs", defaults.SlowResponse.TotalMilliseconds)),
            AvailabilityThreshold = Number(configuration, "AvailabilityThreshold", defaults.AvailabilityThreshold),
            UnhealthyAfterFailures = (int)Math.Max(1, Number(configuration, "UnhealthyAfterFailures", defaults.UnhealthyAfterFailures)),
            AlertCooldown = Seconds(configuration, "AlertCooldownSeconds", defaults.AlertCooldown),
            SampleWindow = (int)Math.Clamp(Number(configuration, "SampleWindow", defaults.SampleWindow), 10, 10_000),
            Retention = TimeSpan.FromDays(Math.Clamp(Number(configuration, "RetentionDays", defaults.Retention.TotalDays), 1, 365)),
            OpsChannelId = OpsChannel(configuration["OpsChannelId"]),
        };
    }

    /// <summary>A snowflake or nothing; anything else refuses the plugin at start, saying why.</summary>
    private static ulong? OpsChannel(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var channel) && channel > 0
            ? channel
            : throw new InvalidOperationException($"naffles.health-monitor: OpsChannelId '{value}' is not a Discord channel id (a number such as 123456789012345678).");
    }

    private static TimeSpan Seconds(IConfiguration configuration, string key, TimeSpan fallback) =>
        TimeSpan.FromSeconds(Number(configuration, key, fallback.TotalSeconds));

    private static double Number(IConfiguration configuration, string key, double fallback) =>
        double.TryParse(configuration[key], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
