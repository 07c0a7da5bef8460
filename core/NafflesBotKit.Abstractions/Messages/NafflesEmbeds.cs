using System.Globalization;

namespace NafflesBotKit.Messages;

/// <summary>The Naffles house-style embeds (ported from the original bot's EmbedBuilder helpers).</summary>
public static class NafflesEmbeds
{
    /// <summary>The Naffles brand colour, used by <see cref="Info"/>.</summary>
    public const int NafflesPurple = 0x7C3AED;

    /// <summary>The colour of <see cref="Error"/> embeds.</summary>
    public const int ErrorRed = 0xEF4444;

    /// <summary>The colour of <see cref="Success"/> embeds.</summary>
    public const int SuccessGreen = 0x10B981;

    /// <summary>The colour for warnings.</summary>
    public const int WarningAmber = 0xF59E0B;

    /// <summary>The colour for allowlist embeds.</summary>
    public const int AllowlistPink = 0xEC4899;

    /// <summary>The footer text of <see cref="Success"/> and <see cref="Info"/> embeds.</summary>
    public const string FooterText = "Powered by Naffles";

    /// <summary>The name of the suggestions field of <see cref="Error"/> embeds.</summary>
    public const string SuggestionsFieldName = "💡 Suggestions";

    /// <summary>
    /// An error embed: title "❌ {title}", the description, <see cref="ErrorRed"/>, and, when there are non-blank
    /// suggestions, a <see cref="SuggestionsFieldName"/> field with one "• suggestion" line each.
    /// Never throws for length: text that would exceed a limit is shortened and ends with "…".
    /// </summary>
    /// <param name="title">The title, without the ❌ prefix.</param>
    /// <param name="description">What went wrong.</param>
    /// <param name="suggestions">What the user can try; blank entries are skipped.</param>
    /// <returns>An embed within all of Discord's limits.</returns>
    public static Embed Error(string title, string description, IEnumerable<string>? suggestions = null)
    {
        // Used on error paths: tolerate nulls rather than throw.
        var lines = suggestions?.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => $"• {s}").ToArray() ?? [];
        return new Embed
        {
            Title = DiscordLimits.Truncate($"❌ {title}", DiscordLimits.EmbedTitleLength),
            Description = string.IsNullOrEmpty(description)
                ? null
                : DiscordLimits.Truncate(description, DiscordLimits.EmbedDescriptionLength),
            Color = ErrorRed,
            Fields = lines.Length == 0
                ? []
                : [new EmbedField(SuggestionsFieldName, DiscordLimits.Truncate(string.Join('\n', lines), DiscordLimits.EmbedFieldValueLength))],
        };
    }

    /// <summary>A success embed: title "✅ {title}", the description, <see cref="SuccessGreen"/>, footer <see cref="FooterText"/>.</summary>
    /// <param name="title">The title, without the ✅ prefix.</param>
    /// <param name="description">What happened.</param>
    /// <returns>The embed.</returns>
    /// <exception cref="DiscordLimitException">The title or description is too long.</exception>
    public static Embed Success(string title, string description) =>
        new EmbedBuilder()
            .WithTitle($"✅ {title}")
            .WithDescription(description)
            .WithColor(SuccessGreen)
            .WithFooter(FooterText)
            .Build();

    /// <summary>An information embed: the title, the description, <see cref="NafflesPurple"/>, footer <see cref="FooterText"/>.</summary>
    /// <param name="title">The title.</param>
    /// <param name="description">The information.</param>
    /// <returns>The embed.</returns>
    /// <exception cref="DiscordLimitException">The title or description is too long.</exception>
    public static Embed Info(string title, string description) =>
        new EmbedBuilder()
            .WithTitle(title)
            .WithDescription(description)
            .WithColor(NafflesPurple)
            .WithFooter(FooterText)
            .Build();

    /// <summary>
    /// A Discord timestamp that each client shows relative to now, e.g. "in 5 minutes": <c>&lt;t:{unix seconds}:R&gt;</c>.
    /// </summary>
    /// <param name="when">The moment.</param>
    /// <returns>The timestamp markup.</returns>
    public static string RelativeTime(DateTimeOffset when) =>
        string.Create(CultureInfo.InvariantCulture, $"<t:{when.ToUnixTimeSeconds()}:R>");
}
