using System.Reflection;
using NafflesBotKit.Interactions;
using NafflesBotKit.Plugins;
using Newtonsoft.Json;

namespace NafflesBotKit.TestPlugins.Beta;

public sealed class BetaPlugin : BotPlugin
{
    public override PluginManifest Manifest { get; } = new("test.beta", "2.1.0", "[1.0,2.0)", "Fixture: uses Newtonsoft.Json 13");
}

[Command("beta-json", "Reports the Newtonsoft.Json this plugin sees")]
internal sealed class BetaJsonCommand : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var version = typeof(JsonConvert).Assembly.GetCustomAttribute<AssemblyFileVersionAttribute>()?.Version;
        return context.ReplyAsync($"{{\"plugin\":{JsonConvert.ToString("beta")},\"version\":{JsonConvert.ToString(version)}}}", cancellationToken: cancellationToken);
    }
}
