using System.Globalization;
using NafflesBotKit.Discord;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Naffles;
using NafflesBotKit.Plugins.Shared;

namespace NafflesBotKit.Plugins.Allowlists;

public sealed class ConnectAllowlistOptions
{
    [Option("allowlist_id", "The Naffles allowlist ID", MaxLength = 50)]
    public string AllowlistId { get; set; } = "";

    [Option("channel", "Channel to post the allowlist in (default: this channel)", ChannelTypes = [0, 5])]
    public DiscordChannel? Channel { get; set; }

    [Option("winner_role", "Role given to the winners when they are drawn")]
    public DiscordRole? WinnerRole { get; set; }
}

/// <summary><c>/naffles-connect-allowlist</c>: posts the allowlist and records the connection on Naffles and in the store.</summary>
[Command("naffles-connect-allowlist", "Connect a Naffles allowlist to this server and post it")]
[RequirePermission(Permissions.ManageGuild, Customizable = true)]
[Cooldown(15)]
internal sealed class ConnectAllowlistCommand(GuildLinkReader links, INafflesApi naffles, IDiscordClient discord, AllowlistPostStore posts, TimeProvider time) : CommandHandler<ConnectAllowlistOptions>
{
    public override async ValueTask HandleAsync(CommandContext context, ConnectAllowlistOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (await links.GetAsync(context.GuildId, cancellationToken).ConfigureAwait(false) is not { } link)
        {
            await context.ReplyAsync(NafflesReplies.ServerNotLinked(), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        var id = options.AllowlistId.Trim();
        var channel = options.Channel?.Id ?? context.ChannelId ?? 0;
        try
        {
            var allowlist = await naffles.Allowlists.GetAllowlistAsync(id, cancellationToken).ConfigureAwait(false);
            if (allowlist.CommunityId is { } owner && owner != link.CommunityId)
            {
                await context.ReplyAsync(NafflesEmbeds.Error("Wrong Community", "This allowlist belongs to another Naffles community than the one this server is linked to.", ["Check the allowlist ID", "Connect allowlists of your own community"]), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }

            var now = time.GetUtcNow();
            var post = AllowlistPost.From(allowlist, context.GuildId!.Value, channel, 0, now) with { WinnerRoleId = options.WinnerRole?.Id, CommunityId = allowlist.CommunityId ?? link.CommunityId };
            ulong messageId;
            try
            {
                messageId = await discord.SendMessageAsync(channel, AllowlistEmbeds.Post(post, now), cancellationToken).ConfigureAwait(false);
            }
            catch (DiscordApiException ex)
            {
                await context.ReplyAsync(NafflesEmbeds.Error("Could Not Post", $"Posting in <#{channel}> failed: {ex.DiscordMessage}", ["Give the bot Send Messages and Embed Links in that channel"]), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }

            post = post with { MessageId = messageId };
            await naffles.Allowlists.ConnectAllowlistToDiscordAsync(id, new AllowlistConnectionRequest
            {
                GuildId = post.GuildId.ToString(CultureInfo.InvariantCulture),
                ChannelId = channel.ToString(CultureInfo.InvariantCulture),
                MessageId = messageId.ToString(CultureInfo.InvariantCulture),
                ConnectedBy = context.User.Id.ToString(CultureInfo.InvariantCulture),
            }, cancellationToken).ConfigureAwait(false);
            await posts.SaveAsync(post, cancellationToken).ConfigureAwait(false);
            await context.ReplyAsync(NafflesEmbeds.Success("Allowlist Connected", $"Allowlist \"{DiscordLimits.Truncate(allowlist.Title, 100)}\" has been connected and posted in <#{channel}>!"), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex)
        {
            await context.ReplyAsync(NafflesReplies.FromApi(ex, "Allowlist"), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}

public sealed class AllowlistArgs
{
    public string AllowlistId { get; set; } = "";
}

/// <summary>The Details button (and the v1 <c>view_allowlist_{id}</c>).</summary>
[Component("allowlist:view:{allowlistId}")]
[Component("view_allowlist_{allowlistId}")]
internal sealed class ViewAllowlistButton(INafflesApi naffles, AllowlistPostStore posts, TimeProvider time) : ComponentHandler<AllowlistArgs>
{
    public override async ValueTask HandleAsync(ComponentContext context, AllowlistArgs arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(arguments);
        try
        {
            var allowlist = await naffles.Allowlists.GetAllowlistAsync(arguments.AllowlistId, cancellationToken).ConfigureAwait(false);
            var post = await posts.GetAsync(arguments.AllowlistId, cancellationToken).ConfigureAwait(false);
            var view = post?.With(allowlist) ?? AllowlistPost.From(allowlist, 0, 0, 0, time.GetUtcNow());
            await context.ReplyAsync(AllowlistEmbeds.Detail(view, time.GetUtcNow()), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex)
        {
            await context.ReplyAsync(NafflesReplies.FromApi(ex, "Allowlist"), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// The Enter button (and the v1 <c>enter_allowlist_{id}</c>): account link, open, requirements (a checklist of what is
/// missing), then exactly one entry per user; replies privately with the entry number and the odds.
/// </summary>
[Component("allowlist:enter:{allowlistId}")]
[Component("enter_allowlist_{allowlistId}")]
internal sealed class EnterAllowlistButton(
    INafflesApi naffles,
    IDiscordClient discord,
    EntryService entries,
    AllowlistPostRefresher refresher,
    TimeProvider time,
    Services.IAccountLinking? linking = null) : ComponentHandler<AllowlistArgs>
{
    public override async ValueTask HandleAsync(ComponentContext context, AllowlistArgs arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(arguments);
        try
        {
            var user = await naffles.Users.GetUserByDiscordIdAsync(context.User.Id.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            if (user is null)
            {
                await context.ReplyAsync(NafflesReplies.AccountNotLinked(linking, context.User.Id, context.GuildId), ephemeral: true, cancellationToken).ConfigureAwait(false);
                return;
            }

            var allowlist = await naffles.Allowlists.GetAllowlistAsync(arguments.AllowlistId, cancellationToken).ConfigureAwait(false);
            var view = AllowlistPost.From(allowlist, context.GuildId ?? 0, 0, 0, time.GetUtcNow());
            if (!AllowlistEmbeds.IsOpen(view, time.GetUtcNow()))
            {
                refresher.Request(allowlist.Id);
                await ReplyAsync(context, Closed(view), cancellationToken).ConfigureAwait(false);
                return;
            }

            var checklist = await CheckAsync(view.Requirements, user, context, cancellationToken).ConfigureAwait(false);
            if (checklist.Any(c => c.Met == false))
            {
                var lines = checklist.Select(c => $"{(c.Met switch { true => "✅", false => "❌", null => "ℹ️" })} {c.Requirement.Label}");
                await ReplyAsync(context, NafflesEmbeds.Error("Requirements Not Met", "You cannot enter yet:\n" + string.Join('\n', lines), ["Meet the ❌ requirements, then press Enter again"]), cancellationToken).ConfigureAwait(false);
                return;
            }

            var outcome = await entries.EnterAsync(allowlist, user, context.User.Id, context.User.Username, cancellationToken).ConfigureAwait(false);
            if (outcome.AlreadyEntered)
            {
                await ReplyAsync(context, NafflesEmbeds.Info("✅ Already Entered", string.Create(CultureInfo.InvariantCulture, $"You are already entered in **{allowlist.Title}** (entry #{outcome.EntryNumber:N0}).")), cancellationToken).ConfigureAwait(false);
                return;
            }

            refresher.Request(allowlist.Id, outcome.TotalEntries);
            var embed = new EmbedBuilder()
                .WithTitle("🎉 Allowlist Entry Successful!")
                .WithDescription($"You are entered in **{DiscordLimits.Truncate(allowlist.Title, 200)}**. Good luck!")
                .WithColor(NafflesEmbeds.SuccessGreen)
                .AddField("🎟️ Entry", string.Create(CultureInfo.InvariantCulture, $"#{outcome.EntryNumber:N0}"), inline: true)
                .AddField("🎲 Odds", EntryService.Odds(outcome.WinnerCount, outcome.TotalEntries), inline: true)
                .WithFooter(NafflesEmbeds.FooterText)
                .Build();
            await ReplyAsync(context, embed, cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex) when (ex.Kind == NafflesErrorKind.Conflict && ex.ErrorCode == "allowlist_full")
        {
            refresher.Request(arguments.AllowlistId);
            await ReplyAsync(context, NafflesEmbeds.Error("Allowlist Full", "This allowlist has reached its maximum number of entries.", ["Watch the server for the next allowlist"]), cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex) when (ex.Kind == NafflesErrorKind.Conflict && ex.ErrorCode == "allowlist_closed")
        {
            refresher.Request(arguments.AllowlistId);
            await ReplyAsync(context, NafflesEmbeds.Error("Allowlist Closed", "This allowlist is no longer accepting entries.", []), cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex)
        {
            await ReplyAsync(context, NafflesReplies.FromApi(ex, "Allowlist"), cancellationToken).ConfigureAwait(false);
        }
    }

    private static Embed Closed(AllowlistPost view) =>
        view.MaxEntries is { } max && view.TotalEntries >= max && view.Status == "active"
            ? NafflesEmbeds.Error("Allowlist Full", "This allowlist has reached its maximum number of entries.", ["Watch the server for the next allowlist"])
            : NafflesEmbeds.Error("Allowlist Closed", "This allowlist is no longer accepting entries.", []);

    private static ValueTask ReplyAsync(ComponentContext context, Embed embed, CancellationToken cancellationToken) =>
        context.ReplyAsync(embed, ephemeral: true, cancellationToken: cancellationToken);

    private async ValueTask<List<(Requirement Requirement, bool? Met)>> CheckAsync(IReadOnlyList<Requirement> requirements, NafflesUser user, ComponentContext context, CancellationToken cancellationToken)
    {
        List<(Requirement, bool?)> results = [];
        foreach (var requirement in requirements)
        {
            bool? met = requirement.Kind switch
            {
                "wallet" => !string.IsNullOrWhiteSpace(user.WalletAddress),
                "discord" => await MemberAsync(requirement.GuildId ?? context.GuildId ?? 0, context.User.Id, cancellationToken).ConfigureAwait(false) is not null,
                "discord_role" => (await MemberAsync(requirement.GuildId ?? context.GuildId ?? 0, context.User.Id, cancellationToken).ConfigureAwait(false))?.Roles.Contains(requirement.RoleId ?? 0) == true,
                _ => null, // verified by Naffles itself
            };
            results.Add((requirement, met));
        }

        return results;
    }

    private async ValueTask<GuildMember?> MemberAsync(ulong guildId, ulong userId, CancellationToken cancellationToken)
    {
        try
        {
            return await discord.GetMemberAsync(guildId, userId, cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException)
        {
            return null;
        }
    }
}
