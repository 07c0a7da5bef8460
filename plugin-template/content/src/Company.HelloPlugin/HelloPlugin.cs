using NafflesBotKit.Discord;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Plugins;

namespace Company.HelloPlugin;

/// <summary>The plugin's entry point: its manifest, and the SDK versions it supports.</summary>
public sealed class HelloPlugin : BotPlugin
{
    /// <inheritdoc />
    public override PluginManifest Manifest { get; } = new("company.hello", "1.0.0", "[1.0,2.0)", "Says hello, counts clicks and collects feedback.");
}

/// <summary>Options of <c>/hello-command</c>; nullable properties are optional.</summary>
public sealed class HelloOptions
{
    /// <summary>Who to greet.</summary>
    [Option("name", "Who to greet", MaxLength = 50)]
    public string Name { get; set; } = string.Empty;

    /// <summary>How many times.</summary>
    [Option("times", "How many times (1-5)", MinValue = 1, MaxValue = 5)]
    public long? Times { get; set; }
}

/// <summary><c>/hello-command name [times]</c>: a greeting with a button and a feedback button.</summary>
[Command("hello-command", "Say hello")]
internal sealed class HelloCommand : CommandHandler<HelloOptions>
{
    public override ValueTask HandleAsync(CommandContext context, HelloOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var greeting = string.Join(" ", Enumerable.Repeat($"Hello, {options.Name}!", (int)(options.Times ?? 1)));
        var buttons = new ComponentBuilder()
            .WithButton("Wave back", $"hello:wave:{options.Name}", ButtonStyle.Primary, "👋")
            .WithButton("Feedback", "hello:feedback", ButtonStyle.Secondary)
            .Build();
        return context.ReplyAsync(NafflesEmbeds.Info("👋 Hello", greeting), buttons, cancellationToken: cancellationToken);
    }
}

/// <summary>What the wave button's custom id captures.</summary>
public sealed class WaveArgs
{
    /// <summary>The name in <c>hello:wave:{name}</c>.</summary>
    public string Name { get; set; } = string.Empty;
}

/// <summary>The "Wave back" button: <c>hello:wave:{name}</c>.</summary>
[Component("hello:wave:{name}")]
internal sealed class WaveButton : ComponentHandler<WaveArgs>
{
    public override ValueTask HandleAsync(ComponentContext context, WaveArgs arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(arguments);
        return context.ReplyAsync($"{context.User.Mention} waves back at {arguments.Name}!", ephemeral: true, cancellationToken);
    }
}

/// <summary>The feedback modal's fields.</summary>
public sealed class FeedbackModal
{
    /// <summary>A rating.</summary>
    [ModalInput("rating", "Rating (1-5)", MaxLength = 1)]
    public int Rating { get; set; }

    /// <summary>Free text.</summary>
    [ModalInput("comment", "Comment", Paragraph = true, Required = false, MaxLength = 500)]
    public string? Comment { get; set; }
}

/// <summary>The "Feedback" button shows the modal (it must be the first response: no auto-defer).</summary>
[Component("hello:feedback", Defer = ComponentDeferMode.None)]
internal sealed class FeedbackButton : ComponentHandler
{
    public override ValueTask HandleAsync(ComponentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.ShowModalAsync(Modals.Build<FeedbackModal>("hello:feedback:submit", "Your feedback"), cancellationToken);
    }
}

/// <summary>
/// Receives the modal: posts the feedback in the channel through <see cref="IDiscordClient"/> (a host service,
/// injected like any other) and thanks the user privately.
/// </summary>
[Modal("hello:feedback:submit")]
internal sealed class FeedbackSubmitted(IDiscordClient discord) : ModalHandler<FeedbackModal>
{
    public override async ValueTask HandleAsync(ModalContext context, FeedbackModal modal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(modal);
        if (context.ChannelId is { } channel)
        {
            var comment = string.IsNullOrWhiteSpace(modal.Comment) ? string.Empty : $": {modal.Comment}";
            await discord.SendMessageAsync(channel, MessagePayload.FromText($"📝 {context.User.Username} rated us {modal.Rating}/5{comment}"), cancellationToken);
        }

        await context.ReplyAsync($"Thanks! You rated us {modal.Rating}/5.", ephemeral: true, cancellationToken);
    }
}
