using NafflesBotKit.Discord;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Plugins;

namespace NafflesBotKit.Runtime.Tests.Plugins.Announcer;

/// <summary>A plugin that posts through <see cref="IDiscordClient"/>, for the harness's Discord emulator.</summary>
public sealed class AnnouncerPlugin : BotPlugin
{
    public override PluginManifest Manifest { get; } = new("test.announcer", "1.0.0", "[1.0,2.0)", "Posts and DMs.");
}

public sealed class AnnounceOptions
{
    [Option("text", "What to post")]
    public string Text { get; set; } = string.Empty;
}

[Command("announce", "Posts in the channel and DMs the invoker")]
internal sealed class Announce(IDiscordClient discord) : CommandHandler<AnnounceOptions>
{
    public override async ValueTask HandleAsync(CommandContext context, AnnounceOptions options, CancellationToken cancellationToken)
    {
        var posted = await discord.SendMessageAsync(context.ChannelId!.Value, MessagePayload.FromText(options.Text), cancellationToken);
        await discord.SendDirectMessageAsync(context.User.Id, MessagePayload.FromText("You announced: " + options.Text), cancellationToken);
        await context.ReplyAsync($"Posted {posted}.", ephemeral: true, cancellationToken);
    }
}
