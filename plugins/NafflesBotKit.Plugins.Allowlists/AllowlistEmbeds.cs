using System.Globalization;
using NafflesBotKit.Messages;

namespace NafflesBotKit.Plugins.Allowlists;

/// <summary>The allowlist post and detail embeds (seed <c>EmbedBuilder.createAllowlistEmbed</c>: 🎫, pink).</summary>
internal static class AllowlistEmbeds
{
    public static bool IsOpen(AllowlistPost post, DateTimeOffset now) =>
        post.Status == "active" && (post.EndTime is not { } end || end > now) && (post.MaxEntries is not { } max || post.TotalEntries < max);

    public static string Price(AllowlistPost post) =>
        string.IsNullOrWhiteSpace(post.PriceAmount) || decimal.TryParse(post.PriceAmount, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) && amount == 0
            ? "Free"
            : $"{post.PriceAmount} {post.PriceToken}".Trim();

    public static string Entries(AllowlistPost post) =>
        string.Create(CultureInfo.InvariantCulture, $"{post.TotalEntries:N0}/{(post.MaxEntries is { } max ? max.ToString("N0", CultureInfo.InvariantCulture) : "∞")}");

    public static string Winners(AllowlistPost post) =>
        post.WinnerCount is { } n ? n.ToString("N0", CultureInfo.InvariantCulture) : "Everyone Wins!";

    public static string StatusLabel(AllowlistPost post, DateTimeOffset now) => post.Status switch
    {
        "active" when IsOpen(post, now) => "🟢 Open",
        "active" when post.MaxEntries is { } max && post.TotalEntries >= max => "🔴 Full",
        "active" => "🔴 Ended",
        "completed" => "🏆 Winners Selected",
        "cancelled" => "🔴 Cancelled",
        _ => "🔴 Closed",
    };

    public static MessagePayload Post(AllowlistPost post, DateTimeOffset now)
    {
        var open = IsOpen(post, now);
        var embed = Build(post, now, DiscordLimits.Truncate(post.Description ?? "", 1000));
        var buttons = new ComponentBuilder()
            .WithButton(open ? "Enter Allowlist" : "Entries Closed", $"allowlist:enter:{post.AllowlistId}", ButtonStyle.Success, "🎫", disabled: !open)
            .WithButton("View Details", $"allowlist:view:{post.AllowlistId}", ButtonStyle.Secondary, "👁️")
            .WithLinkButton("View on Naffles", $"https://naffles.com/allowlist/{Uri.EscapeDataString(post.AllowlistId)}")
            .Build();
        return MessagePayload.FromEmbed(embed, buttons);
    }

    public static Embed Detail(AllowlistPost post, DateTimeOffset now) =>
        Build(post, now, DiscordLimits.Truncate(post.Description ?? "", DiscordLimits.EmbedDescriptionLength), withId: true);

    private static Embed Build(AllowlistPost post, DateTimeOffset now, string description, bool withId = false)
    {
        var builder = new EmbedBuilder()
            .WithTitle(DiscordLimits.Truncate($"🎫 {post.Title}", DiscordLimits.EmbedTitleLength))
            .WithDescription(string.IsNullOrWhiteSpace(description) ? "Join this exclusive allowlist!" : description)
            .WithColor(NafflesEmbeds.AllowlistPink)
            .AddField("🎯 Winners", Winners(post), inline: true)
            .AddField("💰 Entry Cost", Price(post), inline: true)
            .AddField("👥 Entries", Entries(post), inline: true)
            .AddField("📈 Status", StatusLabel(post, now), inline: true);
        if (post.EndTime is { } end)
        {
            builder.AddField(end > now ? "⏰ Ends" : "⏰ Ended", NafflesEmbeds.RelativeTime(end), inline: true);
        }

        if (post.Requirements.Count > 0)
        {
            builder.AddField("📋 Requirements", DiscordLimits.Truncate(string.Join('\n', post.Requirements.Select(r => $"• {r.Label}")), DiscordLimits.EmbedFieldValueLength));
        }

        if (withId)
        {
            builder.AddField("🆔 Allowlist ID", $"`{post.AllowlistId}`", inline: true);
        }

        return builder.WithFooter(NafflesEmbeds.FooterText).Build();
    }
}
