namespace NafflesBotKit.Messages;

/// <summary>
/// Discord's documented limits for messages, embeds, message components and modals.
/// The builders in this namespace check them in <c>Build()</c> and throw <see cref="DiscordLimitException"/>
/// naming the constant that was exceeded.
/// </summary>
/// <remarks>
/// Lengths are counted the way Discord's API counts them: in Unicode code points (see <see cref="CountCharacters"/>),
/// so an emoji outside the Basic Multilingual Plane (two UTF-16 code units) counts as one character.
/// </remarks>
public static class DiscordLimits
{
    /// <summary>Maximum characters in a message's content.</summary>
    public const int ContentLength = 2000;

    /// <summary>Maximum embeds in one message.</summary>
    public const int EmbedsPerMessage = 10;

    /// <summary>Maximum characters in an embed title.</summary>
    public const int EmbedTitleLength = 256;

    /// <summary>Maximum characters in an embed description.</summary>
    public const int EmbedDescriptionLength = 4096;

    /// <summary>Maximum fields in one embed.</summary>
    public const int EmbedFields = 25;

    /// <summary>Maximum characters in an embed field name (at least one is required).</summary>
    public const int EmbedFieldNameLength = 256;

    /// <summary>Maximum characters in an embed field value (at least one is required).</summary>
    public const int EmbedFieldValueLength = 1024;

    /// <summary>Maximum characters in an embed footer's text.</summary>
    public const int EmbedFooterTextLength = 2048;

    /// <summary>Maximum characters in an embed author's name.</summary>
    public const int EmbedAuthorNameLength = 256;

    /// <summary>
    /// Maximum characters across title, description, field names and values, footer text and author name,
    /// per embed and summed over all embeds of a message.
    /// </summary>
    public const int EmbedTotalCharacters = 6000;

    /// <summary>Maximum action rows in a message, and maximum text inputs (one per row) in a modal.</summary>
    public const int ActionRows = 5;

    /// <summary>Maximum buttons in one action row.</summary>
    public const int ButtonsPerRow = 5;

    /// <summary>Maximum characters in a component or modal custom id (at least one is required).</summary>
    public const int CustomIdLength = 100;

    /// <summary>Maximum characters in a button label.</summary>
    public const int ButtonLabelLength = 80;

    /// <summary>Maximum characters in a link button's URL.</summary>
    public const int UrlLength = 512;

    /// <summary>Maximum options in a select menu, and the upper bound of its <c>min_values</c>/<c>max_values</c>.</summary>
    public const int SelectOptions = 25;

    /// <summary>Maximum characters in a select option's label (at least one is required).</summary>
    public const int SelectOptionLabelLength = 100;

    /// <summary>Maximum characters in a select option's value (at least one is required).</summary>
    public const int SelectOptionValueLength = 100;

    /// <summary>Maximum characters in a select option's description.</summary>
    public const int SelectOptionDescriptionLength = 100;

    /// <summary>Maximum characters in a select menu's placeholder.</summary>
    public const int SelectPlaceholderLength = 150;

    /// <summary>Maximum characters in a modal title (at least one is required).</summary>
    public const int ModalTitleLength = 45;

    /// <summary>Maximum characters in a text input label (at least one is required).</summary>
    public const int TextInputLabelLength = 45;

    /// <summary>Maximum characters in a text input's value, and the upper bound of its min/max length.</summary>
    public const int TextInputValueLength = 4000;

    /// <summary>Maximum characters in a text input's placeholder.</summary>
    public const int TextInputPlaceholderLength = 100;

    /// <summary>Maximum user ids, and maximum role ids, in <c>AllowedMentions</c>.</summary>
    public const int AllowedMentionIds = 100;

    private const string Ellipsis = "…";

    /// <summary>
    /// Counts characters the way Discord's API does: Unicode code points, so a surrogate pair counts once.
    /// (Discord's API measures lengths in code points, not UTF-16 code units or grapheme clusters; see
    /// discord/discord-api-docs issue #1315.) Counting UTF-16 code units instead would reject valid text with emoji.
    /// </summary>
    /// <param name="text">The text to measure; <see langword="null"/> counts as zero.</param>
    /// <returns>The number of code points in <paramref name="text"/>.</returns>
    public static int CountCharacters(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var count = text.Length;
        for (var i = 0; i < text.Length - 1; i++)
        {
            if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]))
            {
                count--;
                i++;
            }
        }

        return count;
    }

    /// <summary>
    /// Shortens <paramref name="text"/> to at most <paramref name="maximum"/> characters (as counted by
    /// <see cref="CountCharacters"/>), ending it with "…" when anything was cut. Never splits a surrogate pair.
    /// </summary>
    /// <param name="text">The text to shorten.</param>
    /// <param name="maximum">The largest allowed length, at least 1; usually one of this class's constants.</param>
    /// <returns><paramref name="text"/> itself when it fits, otherwise a shortened copy ending in "…".</returns>
    public static string Truncate(string text, int maximum)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximum, 1);
        if (CountCharacters(text) <= maximum)
        {
            return text;
        }

        var kept = 0;
        var end = 0;
        while (end < text.Length && kept < maximum - 1)
        {
            end += char.IsHighSurrogate(text[end]) && end + 1 < text.Length && char.IsLowSurrogate(text[end + 1]) ? 2 : 1;
            kept++;
        }

        return string.Concat(text.AsSpan(0, end).TrimEnd(), Ellipsis);
    }
}
