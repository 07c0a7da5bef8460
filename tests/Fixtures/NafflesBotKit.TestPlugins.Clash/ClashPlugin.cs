using NafflesBotKit.Http;
using NafflesBotKit.Interactions;
using NafflesBotKit.Plugins;

namespace NafflesBotKit.TestPlugins.Clash;

/// <summary>Claims Alpha's command name and custom-id prefix.</summary>
public sealed class ClashPlugin : BotPlugin
{
    public override PluginManifest Manifest { get; } = new("test.clash", "1.0.0", "[1.0,2.0)", "Fixture: collides with test.alpha");
}

[Command("alpha-json", "Same name as Alpha's")]
internal sealed class ClashCommand : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.ReplyAsync("clash", cancellationToken: cancellationToken);
}

[Component("alpha:{anything}")]
internal sealed class ClashComponent : ComponentHandler
{
    public override ValueTask HandleAsync(ComponentContext context, CancellationToken cancellationToken) =>
        context.ReplyAsync("clash", cancellationToken: cancellationToken);
}

[HttpEndpoint("GET", "/alpha/hello/{who}")]
internal sealed class ClashHello : HttpEndpointHandler
{
    public override ValueTask<PluginHttpResponse> HandleAsync(PluginHttpRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(PluginHttpResponse.Text(200, "clash"));
}
