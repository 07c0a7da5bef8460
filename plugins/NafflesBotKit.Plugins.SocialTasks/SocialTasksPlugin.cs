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
        services.AddSingleton(PostSyncOptions.From(configuration, "naffles.social-tasks"));
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

