using System.Globalization;
using System.Text;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Naffles;
using NafflesBotKit.Plugins.Shared;

namespace NafflesBotKit.Plugins.Allowlists;

public sealed class ExportOptions
{
    [Option("allowlist_id", "The Naffles allowlist ID", MaxLength = 50)]
    public string AllowlistId { get; set; } = "";
}

/// <summary><c>/naffles-allowlist-export</c>: every entry as an RFC 4180 CSV attachment (private).</summary>
[Command("naffles-allowlist-export", "Export an allowlist's entries as CSV", Ephemeral = true)]
[RequirePermission(Permissions.ManageGuild, Customizable = true)]
[Cooldown(10)]
internal sealed class ExportCommand(GuildLinkReader links, INafflesApi naffles) : CommandHandler<ExportOptions>
{
    private const int MaxPages = 1000;

    public override async ValueTask HandleAsync(CommandContext context, ExportOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (await links.GetAsync(context.GuildId, cancellationToken).ConfigureAwait(false) is not { } link)
        {
            await context.ReplyAsync(NafflesReplies.ServerNotLinked(), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            var allowlist = await naffles.Allowlists.GetAllowlistAsync(options.AllowlistId.Trim(), cancellationToken).ConfigureAwait(false);
            if (allowlist.CommunityId is { } owner && owner != link.CommunityId)
            {
                await context.ReplyAsync(NafflesEmbeds.Error("Wrong Community", "This allowlist belongs to another Naffles community.", ["Export allowlists of your own community"]), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }

            await context.DeferAsync(ephemeral: true, cancellationToken).ConfigureAwait(false);
            List<IReadOnlyList<string?>> rows = [["entry_id", "user_id", "discord_id", "wallet_address", "status", "source", "entered_at"]];
            for (var page = 1; page <= MaxPages; page++)
            {
                var result = await naffles.Allowlists.GetAllowlistEntriesAsync(allowlist.Id, new AllowlistEntriesQuery { Page = page, Limit = 100, Status = "all" }, cancellationToken).ConfigureAwait(false);
                rows.AddRange(result.Items.Select(e => (IReadOnlyList<string?>)[e.Id, e.UserId, e.DiscordId, e.WalletAddress, e.Status, e.Source, e.EnteredAt?.ToString("O", CultureInfo.InvariantCulture)]));
                if (result.Items.Count < 100)
                {
                    break;
                }
            }

            var csv = Encoding.UTF8.GetBytes(Csv.Write(rows));
            var message = new MessageBuilder()
                .AddEmbed(NafflesEmbeds.Success("Export Ready", string.Create(CultureInfo.InvariantCulture, $"{rows.Count - 1:N0} entries of **{DiscordLimits.Truncate(allowlist.Title, 200)}**.")))
                .AddFile(new FileAttachment($"allowlist-{Safe(allowlist.Id)}-entries.csv", csv, "text/csv"))
                .Build();
            await context.ReplyAsync(message, ephemeral: true, cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex)
        {
            await context.ReplyAsync(NafflesReplies.FromApi(ex, "Allowlist"), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Safe(string id) => new([.. id.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').Take(50)]);
}

public sealed class AnalyticsOptions
{
    [Option("allowlist_id", "An allowlist ID (default: every allowlist posted in this server)", MaxLength = 50)]
    public string? AllowlistId { get; set; }

    [Option("metric", "What to show (default: entries)")]
    [Choice("Entries", "entries")]
    [Choice("Engagement", "engagement")]
    [Choice("Conversion", "conversion")]
    public string? Metric { get; set; }
}

/// <summary><c>/naffles-allowlist-analytics</c>: figures computed from the Naffles API (allowlists, entries, members).</summary>
[Command("naffles-allowlist-analytics", "View allowlist analytics for your community", Ephemeral = true)]
[RequirePermission(Permissions.ManageGuild, Customizable = true)]
[Cooldown(10)]
internal sealed class AnalyticsCommand(GuildLinkReader links, INafflesApi naffles, AllowlistPostStore posts, TimeProvider time) : CommandHandler<AnalyticsOptions>
{
    public override async ValueTask HandleAsync(CommandContext context, AnalyticsOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (await links.GetAsync(context.GuildId, cancellationToken).ConfigureAwait(false) is not { } link)
        {
            await context.ReplyAsync(NafflesReplies.ServerNotLinked(), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        var metric = options.Metric ?? "entries";
        try
        {
            List<string> ids = options.AllowlistId is { Length: > 0 } one ? [one.Trim()] : [];
            if (ids.Count == 0)
            {
                foreach (var id in await posts.ListIdsAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (await posts.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } post && post.GuildId == context.GuildId)
                    {
                        ids.Add(id);
                    }
                }
            }

            if (ids.Count == 0)
            {
                await context.ReplyAsync(NafflesEmbeds.Info("📊 Allowlist Analytics", "No allowlists are connected to this server yet. Use `/naffles-connect-allowlist` first."), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }

            var members = (await naffles.Communities.GetCommunityMembersAsync(link.CommunityId, new CommunityMembersQuery { Limit = 1 }, cancellationToken).ConfigureAwait(false)).Total ?? 0;
            var now = time.GetUtcNow();
            var embed = new EmbedBuilder()
                .WithTitle(DiscordLimits.Truncate($"📊 Allowlist Analytics — {CultureInfo.InvariantCulture.TextInfo.ToTitleCase(metric)}", DiscordLimits.EmbedTitleLength))
                .WithColor(NafflesEmbeds.AllowlistPink)
                .WithFooter(NafflesEmbeds.FooterText);
            var totalEntries = 0;
            foreach (var id in ids.Take(DiscordLimits.EmbedFields - 1))
            {
                var allowlist = await naffles.Allowlists.GetAllowlistAsync(id, cancellationToken).ConfigureAwait(false);
                var entries = await EntriesAsync(id, cancellationToken).ConfigureAwait(false);
                totalEntries += entries.Count;
                embed.AddField(DiscordLimits.Truncate($"🎫 {allowlist.Title}", DiscordLimits.EmbedFieldNameLength), Figures(metric, allowlist, entries, members, now));
            }

            embed.WithDescription(string.Create(CultureInfo.InvariantCulture, $"{ids.Count:N0} allowlist(s) • {totalEntries:N0} entries • {members:N0} community members"));
            await context.ReplyAsync(embed.Build(), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex)
        {
            await context.ReplyAsync(NafflesReplies.FromApi(ex, "Allowlist"), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<List<AllowlistEntry>> EntriesAsync(string id, CancellationToken cancellationToken)
    {
        List<AllowlistEntry> all = [];
        for (var page = 1; page <= 100; page++)
        {
            var result = await naffles.Allowlists.GetAllowlistEntriesAsync(id, new AllowlistEntriesQuery { Page = page, Limit = 100, Status = "all" }, cancellationToken).ConfigureAwait(false);
            all.AddRange(result.Items);
            if (result.Items.Count < 100)
            {
                break;
            }
        }

        return all;
    }

    internal static string Figures(string metric, Allowlist allowlist, IReadOnlyList<AllowlistEntry> entries, int members, DateTimeOffset now)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (metric)
        {
            case "engagement":
                var last24 = entries.Count(e => e.EnteredAt is { } at && now - at <= TimeSpan.FromDays(1));
                var last7 = entries.Count(e => e.EnteredAt is { } at && now - at <= TimeSpan.FromDays(7));
                var wallets = entries.Select(e => e.WalletAddress).Where(w => !string.IsNullOrEmpty(w)).Distinct(StringComparer.OrdinalIgnoreCase).Count();
                var fromDiscord = entries.Count(e => e.Source == "discord-bot" || e.DiscordId is not null);
                return string.Create(inv, $"Last 24 h: **{last24:N0}** • last 7 d: **{last7:N0}**\nUnique wallets: **{wallets:N0}** • via Discord: **{fromDiscord:N0}**");
            case "conversion":
                var rate = members == 0 ? 0 : 100.0 * entries.Count / members;
                var fill = allowlist.MaxEntries is { } max && max > 0 ? string.Create(inv, $"{100.0 * entries.Count / max:0.#}% of {max:N0}") : "no cap";
                return string.Create(inv, $"Members who entered: **{rate:0.#}%** ({entries.Count:N0}/{members:N0})\nFill: **{fill}**");
            default:
                var odds = allowlist.WinnerCount is { } w && entries.Count > 0 ? string.Create(inv, $"{Math.Min(100.0, 100.0 * w / entries.Count):0.##}%") : "—";
                return string.Create(inv, $"Entries: **{entries.Count:N0}**{(allowlist.MaxEntries is { } m ? string.Create(inv, $"/{m:N0}") : "")} • winners: **{(allowlist.WinnerCount?.ToString("N0", inv) ?? "everyone")}** • odds: **{odds}**\nStatus: {allowlist.Status ?? "unknown"}");
        }
    }
}
