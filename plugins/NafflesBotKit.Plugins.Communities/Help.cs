using System.Text;
using NafflesBotKit.Events;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Naffles;

namespace NafflesBotKit.Plugins.Communities;

/// <summary>
/// Renders <c>/naffles-help</c>: what the guild can do now (linked or not), the commands the loaded plugins actually
/// register (<see cref="ICommandCatalog"/>), and a topic menu whose topics come from the loaded plugins, collected by
/// publishing <see cref="HelpTopicsRequested"/> on the event bus (each plugin answers with its own pages).
/// </summary>
internal sealed class HelpRenderer(ICommandCatalog catalog, IEventBus bus, LinkStore links, CommunityCache communities)
{
    public async ValueTask<MessagePayload> RenderAsync(ulong? guildId, string? topicId, CancellationToken cancellationToken)
    {
        var link = guildId is { } g ? await links.GetAsync(g, cancellationToken).ConfigureAwait(false) : null;
        var request = new HelpTopicsRequested(guildId, link is not null);
        request.Add(new HelpTopic("linking", "Linking Your Server", LinkingText(link is not null), "🔗", 10));
        request.Add(new HelpTopic("troubleshooting", "Troubleshooting", "• **Buttons do nothing?** The bot needs Send Messages, Embed Links and Use Application Commands.\n• **Not linked?** An admin runs `/naffles-link-community`.\n• **Account not linked?** Use the 🔗 button the bot shows you.\n• **Naffles unavailable?** Try again in a few minutes.", "🛠️", 90));
        await bus.PublishAsync(request, cancellationToken).ConfigureAwait(false);
        var topics = request.Topics;

        var embed = new EmbedBuilder().WithColor(NafflesEmbeds.NafflesPurple).WithFooter(NafflesEmbeds.FooterText);
        if (topicId is not null && topics.FirstOrDefault(t => t.Id == topicId) is { } topic)
        {
            embed.WithTitle(DiscordLimits.Truncate($"{topic.Emoji} {topic.Title}".Trim(), DiscordLimits.EmbedTitleLength))
                .WithDescription(DiscordLimits.Truncate(topic.Body, DiscordLimits.EmbedDescriptionLength));
        }
        else
        {
            embed.WithTitle("ℹ️ Naffles Bot Help");
            if (link is not null)
            {
                var name = link.CommunityName ?? link.CommunityId;
                try
                {
                    name = (await communities.GetAsync(link.CommunityId, cancellationToken).ConfigureAwait(false)).Name ?? name;
                }
                catch (NafflesApiException)
                {
                    // Help must work while Naffles is down: fall back to the stored name.
                }

                embed.WithDescription($"This server is linked to **{name}**. Pick a topic below for details.");
            }
            else
            {
                embed.WithDescription("This server is **not linked** to a Naffles community yet.\n**Get started:** a server admin runs `/naffles-link-community community_id`.");
            }

            var commands = new StringBuilder();
            foreach (var command in catalog.Commands.Where(c => c.Name.StartsWith("naffles-", StringComparison.Ordinal)).OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                commands.Append('`').Append('/').Append(command.Name).Append("` — ").Append(command.Description).Append('\n');
            }

            if (commands.Length > 0)
            {
                embed.AddField("📋 Commands", DiscordLimits.Truncate(commands.ToString().TrimEnd(), DiscordLimits.EmbedFieldValueLength));
            }
        }

        var options = topics.Take(DiscordLimits.SelectOptions).Select(t => new SelectOption(
            DiscordLimits.Truncate(t.Title, DiscordLimits.SelectOptionLabelLength), t.Id, null, t.Emoji, t.Id == topicId));
        var components = new ComponentBuilder().WithSelectMenu("help:topic", options, "Choose a help topic").Build();
        return MessagePayload.FromEmbed(embed.Build(), components);
    }

    private static string LinkingText(bool linked) => (linked ? "This server is linked. " : "This server is not linked yet. ")
        + "A member with **Manage Server** who is an owner or admin of the community on Naffles runs `/naffles-link-community community_id`. "
        + "`/naffles-unlink-community` removes the link. Each community can be linked to one Discord server at a time.";
}

public sealed class HelpOptions
{
    [Option("topic", "A help topic")]
    public string? Topic { get; set; }
}

[Command("naffles-help", "Get help with the Naffles bot", Ephemeral = true)]
[Cooldown(2)]
internal sealed class HelpCommand(HelpRenderer help) : CommandHandler<HelpOptions>
{
    public override async ValueTask HandleAsync(CommandContext context, HelpOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        await context.ReplyAsync(await help.RenderAsync(context.GuildId, options.Topic, cancellationToken).ConfigureAwait(false), ephemeral: true, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The topic menu (also the v1 <c>help_topic</c>): shows the chosen page in place.</summary>
[Component("help:topic", Defer = ComponentDeferMode.UpdateMessage)]
[Component("help_topic", Defer = ComponentDeferMode.UpdateMessage)]
internal sealed class HelpTopicMenu(HelpRenderer help) : ComponentHandler
{
    public override async ValueTask HandleAsync(ComponentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var topic = context.Values.Count > 0 ? context.Values[0] : null;
        await context.UpdateMessageAsync(await help.RenderAsync(context.GuildId, topic, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }
}
