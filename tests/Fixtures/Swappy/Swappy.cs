using NafflesBotKit.Interactions;
using NafflesBotKit.Plugins;

namespace NafflesBotKit.TestPlugins.Swappy;

// One source, several builds (see the Swappy.*.csproj next to it): versions of the same plugin for hot-swap tests.
public sealed class SwappyPlugin : BotPlugin
{
#if SWAPPY_NO_SDK
    public override PluginManifest Manifest { get; } = new("test.swappy", SwappyInfo.Version, "", "Swap fixture without an SDK range");
#else
    public override PluginManifest Manifest { get; } = new("test.swappy", SwappyInfo.Version, "[1.0,2.0)", "Swap fixture");
#endif

#if SWAPPY_THROWS_ON_START
    public override ValueTask StartAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("this version refuses to start");
#endif
}

internal static class SwappyInfo
{
#if SWAPPY_V1
    public const string Version = "1.0.0";
#else
    public const string Version = "2.0.0";
#endif
}

[Command("swappy", "Says which version answers")]
internal sealed class SwappyCommand : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.ReplyAsync("swappy " + SwappyInfo.Version, cancellationToken: cancellationToken);
}

#if !SWAPPY_DROPS_BUTTON
[Component("swappy:btn:{n}")]
internal sealed class SwappyButton : ComponentHandler
{
    public override ValueTask HandleAsync(ComponentContext context, CancellationToken cancellationToken) =>
        context.ReplyAsync($"button {context.Captures["n"]} by {SwappyInfo.Version}", cancellationToken: cancellationToken);
}
#endif

#if !SWAPPY_V1
[Command("swappy-new", "Only in version 2")]
internal sealed class SwappyNewCommand : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.ReplyAsync("new in " + SwappyInfo.Version, cancellationToken: cancellationToken);
}
#endif
