using System.Globalization;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Naffles;
using NafflesBotKit.Plugins.Shared;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.Communities;

public sealed class LinkCommunityOptions
{
    [Option("community_id", "Your Naffles community ID", MaxLength = 50)]
    public string CommunityId { get; set; } = "";
}

/// <summary>
/// <c>/naffles-link-community</c> (Manage Server). The invoker must be an owner or admin of the community on Naffles, checked
/// with the membership API (the host's <c>[RequireCommunityRole]</c> needs an already linked guild, so it cannot gate
/// linking). Already linked, not found, not permitted and linked elsewhere each get their own message.
/// </summary>
[Command("naffles-link-community", "Link this Discord server to your Naffles community", Ephemeral = true)]
[RequirePermission(Permissions.ManageGuild)]
[Cooldown(30)]
internal sealed class LinkCommunityCommand(LinkStore links, CommunityCache communities, INafflesApi naffles, TimeProvider time, IAccountLinking? linking = null) : CommandHandler<LinkCommunityOptions>
{
    public override async ValueTask HandleAsync(CommandContext context, LinkCommunityOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var guildId = context.GuildId!.Value;
        var communityId = options.CommunityId.Trim();
        if (await links.GetAsync(guildId, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            var embed = new EmbedBuilder()
                .WithTitle("🔗 Server Already Linked")
                .WithDescription($"This server is already linked to **{existing.CommunityName ?? existing.CommunityId}** (`{existing.CommunityId}`) since {NafflesEmbeds.RelativeTime(existing.LinkedAt)}.\nUnlink it first to link another community.")
                .WithColor(NafflesEmbeds.WarningAmber)
                .WithFooter(NafflesEmbeds.FooterText)
                .Build();
            var buttons = new ComponentBuilder().WithButton("Unlink Community", "community:unlink", ButtonStyle.Danger, "🔓").Build();
            await context.ReplyAsync(embed, buttons, ephemeral: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            var user = await naffles.Users.GetUserByDiscordIdAsync(context.User.Id.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            if (user is null)
            {
                await context.ReplyAsync(NafflesReplies.AccountNotLinked(linking, context.User.Id, guildId), ephemeral: true, cancellationToken).ConfigureAwait(false);
                return;
            }

            NafflesCommunity community;
            try
            {
                community = await naffles.Communities.GetCommunityAsync(communityId, cancellationToken).ConfigureAwait(false);
            }
            catch (NafflesApiException ex) when (ex.Kind == NafflesErrorKind.NotFound)
            {
                await context.ReplyAsync(NafflesEmbeds.Error("Community Not Found", $"Naffles has no community with the ID `{DiscordLimits.Truncate(communityId, 50)}`.", ["Copy the ID from your community's settings on naffles.com", $"Create a community at {NafflesReplies.SetupUrl}"]), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }

            var membership = await naffles.Communities.GetCommunityMembershipAsync(communityId, user.Id, cancellationToken).ConfigureAwait(false);
            if (membership is null || !membership.HasAtLeast(CommunityRoles.Admin))
            {
                await context.ReplyAsync(NafflesEmbeds.Error("Not Permitted", $"Only an owner or admin of **{community.Name ?? communityId}** on Naffles can link it{(membership is null ? " (you are not a member)" : $" (your role is {membership.Role})")}.", ["Ask the community owner to run this command", "Or have them make you an admin on naffles.com"]), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }

            if (community.DiscordGuildId is { Length: > 0 } other && other != guildId.ToString(CultureInfo.InvariantCulture))
            {
                await context.ReplyAsync(LinkedElsewhere(community), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }

            try
            {
                await naffles.Communities.LinkDiscordServerAsync(communityId, guildId.ToString(CultureInfo.InvariantCulture), context.User.Id.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            }
            catch (NafflesApiException ex) when (ex.Kind == NafflesErrorKind.Conflict)
            {
                await context.ReplyAsync(NafflesEmbeds.Error("Server Linked Elsewhere", $"Naffles says this Discord server is already linked to another community: {ex.Message}", ["Unlink it from the other community on naffles.com first"]), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }

            await links.SaveAsync(guildId, new GuildCommunityLink(communityId, community.Name, context.User.Id, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            await communities.InvalidateAsync(communityId, cancellationToken).ConfigureAwait(false);
            var success = new EmbedBuilder()
                .WithTitle("✅ Community Linked Successfully!")
                .WithDescription($"This server is now linked to **{community.Name ?? communityId}**. Members can complete social tasks and enter allowlists here.")
                .WithColor(NafflesEmbeds.SuccessGreen)
                .AddField("🏘️ Community", community.Name ?? communityId, inline: true)
                .AddField("👥 Members", community.MemberCount?.ToString("N0", CultureInfo.InvariantCulture) ?? "—", inline: true)
                .AddField("🚀 Next Steps", "• `/naffles-create-task` to post a social task\n• `/naffles-connect-allowlist` to post an allowlist\n• `/naffles-help` for everything else")
                .WithFooter(NafflesEmbeds.FooterText)
                .Build();
            var components = new ComponentBuilder().WithLinkButton("Open on Naffles", $"https://naffles.com/community/{Uri.EscapeDataString(communityId)}").Build();
            await context.ReplyAsync(success, components, ephemeral: true, cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex)
        {
            await context.ReplyAsync(NafflesReplies.FromApi(ex, "Community"), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private static Embed LinkedElsewhere(NafflesCommunity community) => NafflesEmbeds.Error(
        "Community Already Linked",
        $"**{community.Name ?? community.Id}** is already linked to another Discord server. Each community can only be linked to one Discord server at a time.",
        ["Unlink it in the other server with `/naffles-unlink-community`"]);
}

/// <summary><c>/naffles-unlink-community</c> and the Unlink button (also the v1 <c>unlink_community</c>).</summary>
internal static class Unlinking
{
    public static async ValueTask<Embed> UnlinkAsync(ulong guildId, LinkStore links, INafflesApi naffles, CancellationToken cancellationToken)
    {
        if (await links.GetAsync(guildId, cancellationToken).ConfigureAwait(false) is not { } link)
        {
            return NafflesReplies.ServerNotLinked();
        }

        try
        {
            await naffles.Communities.UnlinkDiscordServerAsync(link.CommunityId, cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex) when (ex.Kind == NafflesErrorKind.NotFound)
        {
            // Already gone on Naffles: forget it here too.
        }
        catch (NafflesApiException ex)
        {
            return NafflesReplies.FromApi(ex, "Community");
        }

        await links.DeleteAsync(guildId, link.CommunityId, cancellationToken).ConfigureAwait(false);
        return new EmbedBuilder()
            .WithTitle("🔓 Community Unlinked")
            .WithDescription($"This server is no longer linked to **{link.CommunityName ?? link.CommunityId}**. Use `/naffles-link-community` to link a community again.")
            .WithColor(NafflesEmbeds.WarningAmber)
            .WithFooter(NafflesEmbeds.FooterText)
            .Build();
    }
}

[Command("naffles-unlink-community", "Unlink this Discord server from its Naffles community", Ephemeral = true)]
[RequirePermission(Permissions.ManageGuild)]
[Cooldown(30)]
internal sealed class UnlinkCommunityCommand(LinkStore links, INafflesApi naffles) : CommandHandler
{
    public override async ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.ReplyAsync(await Unlinking.UnlinkAsync(context.GuildId!.Value, links, naffles, cancellationToken).ConfigureAwait(false), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

[Component("community:unlink")]
[Component("unlink_community")]
[RequirePermission(Permissions.ManageGuild)]
internal sealed class UnlinkCommunityButton(LinkStore links, INafflesApi naffles) : ComponentHandler
{
    public override async ValueTask HandleAsync(ComponentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.ReplyAsync(await Unlinking.UnlinkAsync(context.GuildId!.Value, links, naffles, cancellationToken).ConfigureAwait(false), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
