using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Plugins;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Runtime.Tests.Routing.Fixture;

/// <summary>Lets a test hold a handler mid-flight and see what it bound.</summary>
public sealed class Probe
{
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public object? LastBound { get; set; }
}

/// <summary>An in-process plugin whose handlers are the types in this namespace.</summary>
public sealed class RouterFixturePlugin(Probe probe) : BotPlugin
{
    public override PluginManifest Manifest { get; } = new("test.router", "1.0.0", "[1.0,2.0)", "Router fixture");

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration) => services.AddSingleton(probe);
}

public enum TaskKind
{
    TwitterFollow,
    DiscordJoin,
    Custom,
}

public sealed class CreateOptions
{
    [Option("title", "Title", MaxLength = 100)]
    public string Title { get; set; } = string.Empty;

    [Option("points", "Points", MinValue = 1, MaxValue = 10000)]
    public long Points { get; set; }

    [Option("kind", "Kind")]
    public TaskKind Kind { get; set; }

    [Option("hours", "Duration", MinValue = 1, MaxValue = 8760)]
    public int? Hours { get; set; }

    [Option("public", "Public")]
    public bool? Public { get; set; }

    [Option("channel", "Channel")]
    public DiscordChannel? Channel { get; set; }

    [Option("user", "User")]
    public DiscordUser? User { get; set; }

    [Option("role", "Role")]
    public DiscordRole? Role { get; set; }

    [Option("status", "Status"), Choice("Active", "active"), Choice("All", "all")]
    public string? Status { get; set; }
}

[Command("fx-create", "Create a thing")]
internal sealed class CreateCommand(Probe probe) : CommandHandler<CreateOptions>
{
    public override ValueTask HandleAsync(CommandContext context, CreateOptions options, CancellationToken cancellationToken)
    {
        probe.LastBound = options;
        return context.ReplyAsync($"created {options.Title}", ephemeral: true, cancellationToken);
    }
}

[Command("fx-admin reload", "Reload")]
[CommandGroup("fx-admin", "Admin tools")]
internal sealed class AdminReload : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.ReplyAsync("path:" + context.CommandPath, cancellationToken: cancellationToken);
}

public sealed class PluginNameOptions
{
    [Option("name", "Plugin", Autocomplete = true)]
    public string Name { get; set; } = string.Empty;
}

[Command("fx-admin plugins enable", "Enable a plugin")]
[CommandGroup("fx-admin plugins", "Plugin tools")]
internal sealed class AdminPluginsEnable(Probe probe) : CommandHandler<PluginNameOptions>, IAutocompleteHandler
{
    public override ValueTask HandleAsync(CommandContext context, PluginNameOptions options, CancellationToken cancellationToken)
    {
        probe.LastBound = options;
        return context.ReplyAsync("path:" + context.CommandPath + " name:" + options.Name, cancellationToken: cancellationToken);
    }

    public ValueTask<IReadOnlyList<AutocompleteChoice>> AutocompleteAsync(AutocompleteContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<AutocompleteChoice>>(
            Enumerable.Range(0, 40).Select(i => new AutocompleteChoice($"{context.Value}-{i}", $"{context.Value}-{i}")).ToList());
}

[Command("fx-slow", "Slow")]
internal sealed class SlowCommand(Probe probe) : CommandHandler
{
    public override async ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        probe.Entered.TrySetResult();
        await probe.Release.Task.WaitAsync(cancellationToken);
        await context.ReplyAsync("finally", cancellationToken: cancellationToken);
    }
}

[Command("fx-slow-private", "Slow, ephemeral", Ephemeral = true)]
internal sealed class SlowPrivateCommand(Probe probe) : CommandHandler
{
    public override async ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        probe.Entered.TrySetResult();
        await probe.Release.Task.WaitAsync(cancellationToken);
        await context.ReplyAsync("secret", cancellationToken: cancellationToken);
    }
}

[Command("fx-boom", "Throws")]
internal sealed class BoomCommand : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("kaboom");
}

[Command("fx-silent", "Never replies")]
internal sealed class SilentCommand : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

[Command("fx-modal", "Shows a modal", AutoDefer = false)]
internal sealed class ShowModalCommand : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.ShowModalAsync(Modals.Build<TaskModal>("fx:task:twitter_follow", "Create task"), cancellationToken);
}

public sealed class CompleteArgs
{
    public long TaskId { get; set; }
}

[Component("fx:complete:{taskId}")]
[Component("complete_task_{taskId}")]
internal sealed class CompleteButton(Probe probe) : ComponentHandler<CompleteArgs>
{
    public override ValueTask HandleAsync(ComponentContext context, CompleteArgs arguments, CancellationToken cancellationToken)
    {
        probe.LastBound = arguments;
        return context.ReplyAsync($"completed {arguments.TaskId}", cancellationToken: cancellationToken);
    }
}

[Component("fx:page:{list}:{page}", Defer = ComponentDeferMode.UpdateMessage)]
internal sealed class PageButton : ComponentHandler
{
    public override ValueTask HandleAsync(ComponentContext context, CancellationToken cancellationToken) =>
        context.UpdateMessageAsync(MessagePayload.FromText($"list {context.Captures["list"]} page {context.Captures["page"]}"), cancellationToken);
}

[Component("fx:pick")]
internal sealed class PickMenu : ComponentHandler
{
    public override ValueTask HandleAsync(ComponentContext context, CancellationToken cancellationToken) =>
        context.ReplyAsync("picked " + string.Join(",", context.Values), cancellationToken: cancellationToken);
}

public sealed class TaskModal
{
    public string Type { get; set; } = string.Empty;

    [ModalInput("username", "Twitter username", MaxLength = 15)]
    public string Username { get; set; } = string.Empty;

    [ModalInput("notes", "Notes", Paragraph = true, Required = false, MaxLength = 1000)]
    public string? Notes { get; set; }

    [ModalInput("bonus", "Bonus points", Required = false)]
    public int? Bonus { get; set; }
}

[Modal("fx:task:{type}")]
internal sealed class TaskModalHandler(Probe probe) : ModalHandler<TaskModal>
{
    public override ValueTask HandleAsync(ModalContext context, TaskModal modal, CancellationToken cancellationToken)
    {
        probe.LastBound = modal;
        return context.ReplyAsync($"modal {modal.Type} {modal.Username}", cancellationToken: cancellationToken);
    }
}
