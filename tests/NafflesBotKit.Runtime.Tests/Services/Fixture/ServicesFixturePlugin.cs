using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NafflesBotKit.Interactions;
using NafflesBotKit.Plugins;
using NafflesBotKit.Services;

namespace NafflesBotKit.Runtime.Tests.Services.Fixture;

/// <summary>An in-process plugin whose handlers carry the precondition attributes the core services enforce.</summary>
public sealed class ServicesFixturePlugin : BotPlugin
{
    public const string Id = "test.services";

    public override PluginManifest Manifest { get; } = new(Id, "1.0.0", "[1.0,2.0)", "Services fixture");

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
    }
}

[Command("naffles-create-task", "Create a social task")]
[RequirePermission(Permissions.ManageGuild, Customizable = true)]
internal sealed class CreateTask : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.ReplyAsync("created", ephemeral: true, cancellationToken);
}

[Command("fx-manage", "Needs two permissions")]
[RequirePermission(Permissions.ManageGuild | Permissions.ManageMessages)]
internal sealed class Manage : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.ReplyAsync("managed", ephemeral: true, cancellationToken);
}

[Command("fx-moderate", "Needs a community role")]
[RequireCommunityRole("moderator")]
internal sealed class Moderate : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.ReplyAsync("moderated", ephemeral: true, cancellationToken);
}

[Command("fx-remember", "Writes to the plugin's store")]
internal sealed class Remember(IPluginStore store) : CommandHandler
{
    public override async ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await store.ForGuild(context.GuildId!.Value).SetAsync("last-user", context.User.Username, TestJsonContext.Default.String, cancellationToken: cancellationToken);
        await context.ReplyAsync("store:" + store.PluginId, ephemeral: true, cancellationToken);
    }
}

public sealed class TaskArgs
{
    public string TaskId { get; set; } = string.Empty;
}

[Component("complete_task_{taskId}")]
[Component("task:complete:{taskId}")]
internal sealed class CompleteTask : ComponentHandler<TaskArgs>
{
    public override ValueTask HandleAsync(ComponentContext context, TaskArgs arguments, CancellationToken cancellationToken) =>
        context.ReplyAsync("completed " + arguments.TaskId, ephemeral: true, cancellationToken);
}

public sealed class AllowlistArgs
{
    public string AllowlistId { get; set; } = string.Empty;
}

[Component("enter_allowlist_{allowlistId}")]
internal sealed class EnterAllowlist : ComponentHandler<AllowlistArgs>
{
    public override ValueTask HandleAsync(ComponentContext context, AllowlistArgs arguments, CancellationToken cancellationToken) =>
        context.ReplyAsync("entered " + arguments.AllowlistId, ephemeral: true, cancellationToken);
}
