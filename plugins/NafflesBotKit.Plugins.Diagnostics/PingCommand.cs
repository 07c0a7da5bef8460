using NafflesBotKit.Interactions;
using NafflesBotKit.Plugins;

namespace NafflesBotKit.Plugins.Diagnostics;

/// <summary>Answers <c>/naffles-ping</c> privately, naming the plugin version that served it (useful after a hot swap).</summary>
[Command("naffles-ping", "Check that the bot answers", Ephemeral = true)]
internal sealed class PingCommand(PluginManifest manifest) : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.ReplyAsync($"🏓 Pong (naffles.diagnostics {manifest.Version})", ephemeral: true, cancellationToken);
    }
}
