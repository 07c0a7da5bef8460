using NafflesBotKit.Discord;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
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

public sealed class AnnounceOptions
{
    [Option("channel", "Where to announce")]
    public DiscordChannel Channel { get; set; } = null!;
}

[Command("e2e-announce", "Announces in a channel")]
internal sealed class AnnounceCommand(IDiscordClient discord) : CommandHandler<AnnounceOptions>
{
    public override async ValueTask HandleAsync(CommandContext context, AnnounceOptions options, CancellationToken cancellationToken)
    {
        var id = await discord.SendMessageAsync(options.Channel.Id, MessagePayload.FromEmbed(new Embed { Title = "Raffle live", Color = 0x57F287 }), cancellationToken);
        await context.ReplyAsync($"posted {id}", cancellationToken: cancellationToken);
    }
}
