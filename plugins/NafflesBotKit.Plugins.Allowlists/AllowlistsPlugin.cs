using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NafflesBotKit.Plugins.Shared;

namespace NafflesBotKit.Plugins.Allowlists;

/// <summary>
/// Naffles allowlists in Discord: <c>/naffles-connect-allowlist</c> posts an allowlist with Enter and Details buttons (the
/// v1 bot's <c>enter_allowlist_{id}</c>/<c>view_allowlist_{id}</c> keep working), live entry counts, status changes,
/// winner announcements (with an optional winner role), CSV export and analytics.
/// </summary>
public sealed class AllowlistsPlugin : BotPlugin
{
    /// <inheritdoc />
    public override PluginManifest Manifest { get; } = new(
        "naffles.allowlists",
        "1.0.0",
        "[1.0,2.0)",
        "Naffles allowlists: connect, enter, export, analytics, winner announcements.");

    /// <inheritdoc />
    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(AllowlistsOptions.From(configuration));
        services.AddSingleton<GuildLinkReader>();
        services.AddSingleton<KeyedLocks>();
        services.AddSingleton<AllowlistPostStore>();
        services.AddSingleton<AllowlistPostRefresher>();
        services.AddSingleton<EntryService>();
        services.AddSingleton<WinnerAnnouncer>();
        services.AddSingleton<AllowlistPostSynchronizer>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<AllowlistPostSynchronizer>());
    }
}

/// <summary>Settings (configuration <c>Plugins:Settings:naffles.allowlists</c>).</summary>
internal sealed record AllowlistsOptions
{
    public TimeSpan EditInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(30);

    public int SyncBatchSize { get; init; } = 10;

    public bool RepostDeleted { get; init; }

    public static AllowlistsOptions From(IConfiguration configuration)
    {
        var options = new AllowlistsOptions
        {
            EditInterval = Seconds(configuration, "EditIntervalSeconds", 5),
            SyncInterval = Seconds(configuration, "SyncIntervalSeconds", 30),
            SyncBatchSize = int.TryParse(configuration["SyncBatchSize"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var b) ? b : 10,
            RepostDeleted = bool.TryParse(configuration["RepostDeleted"], out var r) && r,
        };
        if (options.EditInterval <= TimeSpan.Zero || options.SyncInterval <= TimeSpan.Zero || options.SyncBatchSize is < 1 or > 100)
        {
            throw new InvalidOperationException("naffles.allowlists: EditIntervalSeconds and SyncIntervalSeconds must be positive and SyncBatchSize 1-100.");
        }

        return options;
    }

    private static TimeSpan Seconds(IConfiguration configuration, string key, double fallback) =>
        TimeSpan.FromSeconds(double.TryParse(configuration[key], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : fallback);
}
