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
        services.AddSingleton(PostSyncOptions.From(configuration, "naffles.allowlists"));
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

