using NafflesBotKit.Interactions;
using NafflesBotKit.Plugins;

namespace NafflesBotKit.Discord.Tests.EndToEnd.Plugin;

/// <summary>An in-process plugin whose handlers are found by the runtime's scanner.</summary>
public sealed class E2EPlugin : BotPlugin
{
    public override PluginManifest Manifest { get; } = new("test.e2e", "1.0.0", "[1.0,2.0)", "End-to-end fixture");
}

public sealed class AddOptions
{
    [Option("a", "First number", MinValue = 0)]
    public long A { get; set; }

    [Option("b", "Second number")]
    public long? B { get; set; }
}

[Command("e2e-add", "Adds numbers")]
internal sealed class AddCommand : CommandHandler<AddOptions>
{
    public override ValueTask HandleAsync(CommandContext context, AddOptions options, CancellationToken cancellationToken) =>
        context.ReplyAsync($"sum {options.A + (options.B ?? 0)}", cancellationToken: cancellationToken);
}
