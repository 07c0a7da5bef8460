using Microsoft.Extensions.Logging;
using NafflesBotKit.Discord;
using NafflesBotKit.Events;
using NafflesBotKit.Messages;
using NafflesBotKit.Naffles;

namespace NafflesBotKit.Plugins.Communities;

/// <summary>
/// The bot joined a guild: post the setup message in the system channel, else in the first text channel (by position)
/// that accepts it.
/// </summary>
internal sealed class GuildJoinedHandler(IDiscordClient discord, ILogger<GuildJoinedHandler> logger) : IEventHandler<GuildJoined>
{
    private const int MaxAttempts = 5;

    public async ValueTask HandleAsync(GuildJoined @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var guild = @event.Guild;
        var candidates = new List<ulong>();
        if (guild.SystemChannelId is { } system)
        {
            candidates.Add(system);
        }

        candidates.AddRange((guild.Channels ?? []).Where(c => c.Type == 0 && c.Id != guild.SystemChannelId).OrderBy(c => c.Position).ThenBy(c => c.Id).Select(c => c.Id));
        foreach (var channel in candidates.Take(MaxAttempts))
        {
            try
            {
                await discord.SendMessageAsync(channel, Welcome(guild.Name), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (DiscordApiException ex) when (ex.Code is DiscordApiException.MissingPermissions or DiscordApiException.MissingAccess)
            {
                logger.LogDebug("Guild {GuildId}: cannot post the setup message in {ChannelId}; trying the next channel", guild.Id, channel);
            }
        }

        logger.LogInformation("Guild {GuildId}: no channel accepted the setup message", guild.Id);
    }

    internal static MessagePayload Welcome(string guildName) => MessagePayload.FromEmbed(new EmbedBuilder()
        .WithTitle("🎉 Welcome to Naffles!")
        .WithDescription($"Thanks for adding the Naffles bot to **{DiscordLimits.Truncate(guildName, 100)}**.")
        .WithColor(NafflesEmbeds.NafflesPurple)
        .AddField("1️⃣ Link your community", "A server admin who owns or administers your Naffles community runs `/naffles-link-community community_id`.")
        .AddField("2️⃣ Engage your members", "Post social tasks with `/naffles-create-task` and allowlists with `/naffles-connect-allowlist`.")
        .AddField("❓ Help", "`/naffles-help` shows every command.")
        .WithFooter(NafflesEmbeds.FooterText)
        .Build());
}

/// <summary>The bot left a guild: remove the guild's link data, then unlink it on Naffles (best effort).</summary>
internal sealed class GuildLeftHandler(LinkStore links, INafflesApi naffles, ILogger<GuildLeftHandler> logger) : IEventHandler<GuildLeft>
{
    public async ValueTask HandleAsync(GuildLeft @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        // Forget the guild here first: Naffles may be slow or down (retries take seconds), and the bot may be added back.
        var communityId = await links.GetIndexedCommunityAsync(@event.GuildId, cancellationToken).ConfigureAwait(false);
        await links.DeleteAsync(@event.GuildId, communityId, cancellationToken).ConfigureAwait(false);
        if (communityId is not null)
        {
            try
            {
                await naffles.Communities.UnlinkDiscordServerAsync(communityId, cancellationToken).ConfigureAwait(false);
            }
            catch (NafflesApiException ex)
            {
                logger.LogWarning(ex, "Guild {GuildId}: unlinking community {CommunityId} on Naffles failed", @event.GuildId, communityId);
            }
        }
    }
}

/// <summary><c>community-updated</c>: drop cached community data (tag <c>community:{id}</c>) and refresh the stored name.</summary>
internal sealed class CommunityUpdatedHandler(CommunityCache communities, LinkStore links) : IEventHandler<NafflesCommunityUpdated>
{
    public async ValueTask HandleAsync(NafflesCommunityUpdated @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        await communities.InvalidateAsync(@event.CommunityId, cancellationToken).ConfigureAwait(false);
        if (@event.Changes.TryGetValue("name", out var name)
            && await links.GetGuildOfAsync(@event.CommunityId, cancellationToken).ConfigureAwait(false) is { } guildId
            && await links.GetAsync(guildId, cancellationToken).ConfigureAwait(false) is { } link)
        {
            await links.SaveAsync(guildId, link with { CommunityName = name }, cancellationToken).ConfigureAwait(false);
        }
    }
}
