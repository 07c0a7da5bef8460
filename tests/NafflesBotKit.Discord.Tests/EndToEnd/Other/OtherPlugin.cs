using NafflesBotKit.Interactions;
using NafflesBotKit.Plugins;

namespace NafflesBotKit.Discord.Tests.EndToEnd.Other;

/// <summary>A second in-process plugin, so a guild's command set can lose one plugin's commands and keep another's.</summary>
public sealed class OtherPlugin : BotPlugin
{
    public override PluginManifest Manifest { get; } = new("test.other", "1.0.0", "[1.0,2.0)", "Second end-to-end fixture");
}

[Command("other-ping", "Answers pong")]
internal sealed class PingCommand : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.ReplyAsync("pong", cancellationToken: cancellationToken);
}
