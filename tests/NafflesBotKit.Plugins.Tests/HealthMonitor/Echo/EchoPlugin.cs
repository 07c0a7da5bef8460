using NafflesBotKit.Interactions;

namespace NafflesBotKit.Plugins.Tests.HealthMonitor.Echo;

/// <summary>Another plugin whose interactions the security monitor must see (through the router, not its own commands).</summary>
public sealed class EchoPlugin : BotPlugin
{
    public override PluginManifest Manifest { get; } = new("test.echo", "1.0.0", "[1.0,2.0)", "Echo fixture");
}

[Command("echo-test", "Answers ok")]
internal sealed class EchoCommand : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.ReplyAsync("ok", cancellationToken: cancellationToken);
}

[Component("echo:btn:{n}")]
internal sealed class EchoButton : ComponentHandler
{
    public override ValueTask HandleAsync(ComponentContext context, CancellationToken cancellationToken) =>
        context.ReplyAsync("clicked", ephemeral: true, cancellationToken: cancellationToken);
}
