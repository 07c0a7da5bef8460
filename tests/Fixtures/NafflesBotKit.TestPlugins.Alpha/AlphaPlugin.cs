using System.Reflection;
using NafflesBotKit.Events;
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
        var json = JsonConvert.SerializeObject(new { plugin = "alpha", version });
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
