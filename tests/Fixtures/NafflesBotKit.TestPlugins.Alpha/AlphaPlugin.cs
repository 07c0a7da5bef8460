using System.Reflection;
using NafflesBotKit.Events;
using NafflesBotKit.Http;
using NafflesBotKit.Interactions;
using NafflesBotKit.Plugins;
using Newtonsoft.Json;

namespace NafflesBotKit.TestPlugins.Alpha;

public sealed class AlphaPlugin : BotPlugin
{
    public override PluginManifest Manifest { get; } = new("test.alpha", "1.0.0", "[1.0,2.0)", "Fixture: uses Newtonsoft.Json 12");
}

[Command("alpha-json", "Reports the Newtonsoft.Json this plugin sees")]
internal sealed class AlphaJsonCommand : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var version = typeof(JsonConvert).Assembly.GetCustomAttribute<AssemblyFileVersionAttribute>()?.Version;
        // JsonConvert.ToString is library code without reflection caches: reflection-based serialisation
        // (SerializeObject) would pin this plugin's load context through host-wide type caches.
        var json = $"{{\"plugin\":{JsonConvert.ToString("alpha")},\"version\":{JsonConvert.ToString(version)}}}";
        return context.ReplyAsync(json, cancellationToken: cancellationToken);
    }
}

internal sealed class EchoArgs
{
    public string Value { get; set; } = string.Empty;
}

[Component("alpha:echo:{value}")]
internal sealed class AlphaEcho : ComponentHandler<EchoArgs>
{
    public override ValueTask HandleAsync(ComponentContext context, EchoArgs arguments, CancellationToken cancellationToken) =>
        context.ReplyAsync("echo " + arguments.Value, cancellationToken: cancellationToken);
}

internal sealed class AlphaGuildJoined : IEventHandler<GuildJoined>
{
    public ValueTask HandleAsync(GuildJoined @event, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

public sealed class AddOptions
{
    [Option("a", "First number", MinValue = 0)]
    public long A { get; set; }

    [Option("b", "Second number")]
    public long? B { get; set; }
}

[Command("alpha-add", "Adds numbers")]
internal sealed class AlphaAdd : CommandHandler<AddOptions>
{
    public override ValueTask HandleAsync(CommandContext context, AddOptions options, CancellationToken cancellationToken) =>
        context.ReplyAsync($"sum {options.A + (options.B ?? 0)}", cancellationToken: cancellationToken);
}

[HttpEndpoint("GET", "/alpha/hello/{name}")]
internal sealed class AlphaHello : HttpEndpointHandler
{
    public override ValueTask<PluginHttpResponse> HandleAsync(PluginHttpRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(PluginHttpResponse.Text(200, "hello " + request.RouteValues["name"]));
}
