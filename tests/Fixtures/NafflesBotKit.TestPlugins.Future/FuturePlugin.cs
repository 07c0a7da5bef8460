using NafflesBotKit.Interactions;
using NafflesBotKit.Plugins;

namespace NafflesBotKit.TestPlugins.Future;

/// <summary>Needs an SDK this host does not provide.</summary>
public sealed class FuturePlugin : BotPlugin
{
    public override PluginManifest Manifest { get; } = new("test.future", "1.0.0", "[2.0,3.0)", "Fixture: built for SDK 2");
}

[Command("future-cmd", "Never loads")]
internal sealed class FutureCommand : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.ReplyAsync("future", cancellationToken: cancellationToken);
}
