using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NafflesBotKit.Plugins.Shared;

namespace NafflesBotKit.Plugins.SocialTasks;

/// <summary>
/// Naffles social tasks in Discord: <c>/naffles-create-task</c>, <c>/naffles-list-tasks</c>, task posts with Complete and
/// Details buttons (the v1 bot's <c>complete_task_{id}</c>/<c>view_task_{id}</c> buttons keep working), live completion
/// counts and a periodic re-sync of the posts.
/// </summary>
public sealed class SocialTasksPlugin : BotPlugin
{
    /// <inheritdoc />
    public override PluginManifest Manifest { get; } = new(
        "naffles.social-tasks",
        Edition.Version,
        "[1.0,2.0)",
        "Naffles social tasks: create, list, complete, live task posts.");

    /// <inheritdoc />
    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(SocialTasksOptions.From(configuration));
        services.AddSingleton<GuildLinkReader>();
        services.AddSingleton<KeyedLocks>();
        services.AddSingleton<TaskPostStore>();
        services.AddSingleton<TaskLookup>();
        services.AddSingleton<TaskPostRefresher>();
        services.AddSingleton<TaskCreator>();
        services.AddSingleton<TaskListView>();
        services.AddSingleton<TaskPostSynchronizer>();
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => sp.GetRequiredService<TaskPostSynchronizer>());
    }
}

/// <summary>Settings (configuration <c>Plugins:Settings:naffles.social-tasks</c>).</summary>
internal sealed record SocialTasksOptions
{
    /// <summary>Least time between two edits of one task post (default 5 s).</summary>
    public TimeSpan EditInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often posts are re-synced with Naffles (default 30 s).</summary>
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Posts synced concurrently (default 10).</summary>
    public int SyncBatchSize { get; init; } = 10;

    /// <summary>Whether a post whose message was deleted is posted again (default false: it is unmapped).</summary>
    public bool RepostDeleted { get; init; }

    public static SocialTasksOptions From(IConfiguration configuration)
    {
        var options = new SocialTasksOptions
        {
            EditInterval = Seconds(configuration, "EditIntervalSeconds", 5),
            SyncInterval = Seconds(configuration, "SyncIntervalSeconds", 30),
            SyncBatchSize = int.TryParse(configuration["SyncBatchSize"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var b) ? b : 10,
            RepostDeleted = bool.TryParse(configuration["RepostDeleted"], out var r) && r,
        };
        if (options.EditInterval <= TimeSpan.Zero || options.SyncInterval <= TimeSpan.Zero || options.SyncBatchSize is < 1 or > 100)
        {
            throw new InvalidOperationException("naffles.social-tasks: EditIntervalSeconds and SyncIntervalSeconds must be positive and SyncBatchSize 1-100.");
        }

        return options;
    }

    private static TimeSpan Seconds(IConfiguration configuration, string key, double fallback) =>
        TimeSpan.FromSeconds(double.TryParse(configuration[key], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : fallback);
}
