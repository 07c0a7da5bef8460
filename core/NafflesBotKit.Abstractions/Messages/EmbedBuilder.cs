using System.Globalization;

namespace NafflesBotKit.Messages;

/// <summary>
/// Fluent builder for an <see cref="Embed"/>. The <c>With*</c>/<c>Add*</c> methods only record values;
/// <see cref="Build"/> checks them against <see cref="DiscordLimits"/>.
/// </summary>
public sealed class EmbedBuilder
{
    private const int MaxColor = 0xFFFFFF;

    private readonly List<EmbedField> _fields = [];
    private string? _title;
    private string? _description;
    private string? _url;
    private int? _color;
    private DateTimeOffset? _timestamp;
    private EmbedFooter? _footer;
    private EmbedAuthor? _author;
    private string? _thumbnailUrl;
    private string? _imageUrl;

    /// <summary>Sets the title (<see langword="null"/> removes it).</summary>
    /// <param name="title">The title, at most <see cref="DiscordLimits.EmbedTitleLength"/> characters.</param>
    /// <returns>This builder.</returns>
    public EmbedBuilder WithTitle(string? title)
    {
        _title = title;
        return this;
    }

    /// <summary>Sets the description (<see langword="null"/> removes it).</summary>
    /// <param name="description">The description, at most <see cref="DiscordLimits.EmbedDescriptionLength"/> characters.</param>
    /// <returns>This builder.</returns>
    public EmbedBuilder WithDescription(string? description)
    {
        _description = description;
        return this;
    }

    /// <summary>Sets the URL the title links to (<see langword="null"/> removes it).</summary>
    /// <param name="url">The URL.</param>
    /// <returns>This builder.</returns>
    public EmbedBuilder WithUrl(string? url)
    {
        _url = url;
        return this;
    }

    /// <summary>Sets the colour of the left border.</summary>
    /// <param name="color">The colour as 0xRRGGBB (0 to 0xFFFFFF).</param>
    /// <returns>This builder.</returns>
    public EmbedBuilder WithColor(int color)
    {
        _color = color;
        return this;
    }

    /// <summary>Sets the timestamp shown in the footer.</summary>
    /// <param name="timestamp">The timestamp.</param>
    /// <returns>This builder.</returns>
    public EmbedBuilder WithTimestamp(DateTimeOffset timestamp)
    {
        _timestamp = timestamp;
        return this;
    }

    /// <summary>Sets the footer.</summary>
    /// <param name="text">The footer text, at most <see cref="DiscordLimits.EmbedFooterTextLength"/> characters.</param>
    /// <param name="iconUrl">The URL of a small icon shown before the text.</param>
    /// <returns>This builder.</returns>
    public EmbedBuilder WithFooter(string text, string? iconUrl = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        _footer = new EmbedFooter(text, iconUrl);
        return this;
    }

    /// <summary>Sets the author block.</summary>
    /// <param name="name">The author name, at most <see cref="DiscordLimits.EmbedAuthorNameLength"/> characters.</param>
    /// <param name="url">The URL the name links to.</param>
    /// <param name="iconUrl">The URL of a small icon shown before the name.</param>
    /// <returns>This builder.</returns>
    public EmbedBuilder WithAuthor(string name, string? url = null, string? iconUrl = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        _author = new EmbedAuthor(name, url, iconUrl);
        return this;
    }

    /// <summary>Sets the thumbnail image.</summary>
    /// <param name="url">The image URL.</param>
    /// <returns>This builder.</returns>
    public EmbedBuilder WithThumbnail(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        _thumbnailUrl = url;
        return this;
    }

    /// <summary>Sets the large image.</summary>
    /// <param name="url">The image URL.</param>
    /// <returns>This builder.</returns>
    public EmbedBuilder WithImage(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        _imageUrl = url;
        return this;
    }

    /// <summary>Adds a field (at most <see cref="DiscordLimits.EmbedFields"/> per embed).</summary>
    /// <param name="name">The field name, 1 to <see cref="DiscordLimits.EmbedFieldNameLength"/> characters.</param>
    /// <param name="value">The field value, 1 to <see cref="DiscordLimits.EmbedFieldValueLength"/> characters.</param>
    /// <param name="inline">Whether the field may share a line with neighbouring inline fields.</param>
    /// <returns>This builder.</returns>
    public EmbedBuilder AddField(string name, string value, bool inline = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        _fields.Add(new EmbedField(name, value, inline));
        return this;
    }

    /// <summary>
    /// Creates the embed, checking the title (<see cref="DiscordLimits.EmbedTitleLength"/>), description
    /// (<see cref="DiscordLimits.EmbedDescriptionLength"/>), field count (<see cref="DiscordLimits.EmbedFields"/>),
    /// field names and values (1 to <see cref="DiscordLimits.EmbedFieldNameLength"/> and
    /// <see cref="DiscordLimits.EmbedFieldValueLength"/>; blank text counts as empty), footer text
    /// (<see cref="DiscordLimits.EmbedFooterTextLength"/>), author name (<see cref="DiscordLimits.EmbedAuthorNameLength"/>)
    /// and the total (<see cref="DiscordLimits.EmbedTotalCharacters"/>). The builder can be reused afterwards.
    /// </summary>
    /// <returns>The embed.</returns>
    /// <exception cref="DiscordLimitException">A value is outside a Discord limit.</exception>
    /// <exception cref="ArgumentException">The colour is outside 0 to 0xFFFFFF.</exception>
    public Embed Build()
    {
        var embed = new Embed
        {
            Title = _title,
            Description = _description,
            Url = _url,
            Color = _color,
            Timestamp = _timestamp,
            Footer = _footer,
            Author = _author,
            ThumbnailUrl = _thumbnailUrl,
            ImageUrl = _imageUrl,
            Fields = _fields.ToArray(),
        };
        Validate(embed, "Embed");
        return embed;
    }

    /// <summary>Checks one embed against Discord's per-embed limits.</summary>
    /// <param name="embed">The embed.</param>
    /// <param name="subject">How messages refer to it, e.g. "Embed" or "Embed 2".</param>
    internal static void Validate(Embed embed, string subject)
    {
        ArgumentNullException.ThrowIfNull(embed);
        DiscordLimitException.ThrowIfLengthOutside(
            embed.Title, 0, DiscordLimits.EmbedTitleLength, nameof(DiscordLimits.EmbedTitleLength), $"{subject} title");
        DiscordLimitException.ThrowIfLengthOutside(
            embed.Description, 0, DiscordLimits.EmbedDescriptionLength, nameof(DiscordLimits.EmbedDescriptionLength), $"{subject} description");

        var fields = embed.Fields ?? throw new ArgumentException($"{subject} has a null field list.");
        DiscordLimitException.ThrowIfOutside(
            fields.Count, 0, DiscordLimits.EmbedFields, nameof(DiscordLimits.EmbedFields), $"{subject} field count", "");
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i] ?? throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{subject} field {i + 1} is null."));
            var where = string.Create(CultureInfo.InvariantCulture, $"{subject} field {i + 1}");
            CheckRequiredText(field.Name, DiscordLimits.EmbedFieldNameLength, nameof(DiscordLimits.EmbedFieldNameLength), $"{where} name");
            CheckRequiredText(field.Value, DiscordLimits.EmbedFieldValueLength, nameof(DiscordLimits.EmbedFieldValueLength), $"{where} value");
        }

        DiscordLimitException.ThrowIfLengthOutside(
            embed.Footer?.Text, 0, DiscordLimits.EmbedFooterTextLength, nameof(DiscordLimits.EmbedFooterTextLength), $"{subject} footer text");
        DiscordLimitException.ThrowIfLengthOutside(
            embed.Author?.Name, 0, DiscordLimits.EmbedAuthorNameLength, nameof(DiscordLimits.EmbedAuthorNameLength), $"{subject} author name");
        DiscordLimitException.ThrowIfOutside(
            embed.TotalCharacters, 0, DiscordLimits.EmbedTotalCharacters, nameof(DiscordLimits.EmbedTotalCharacters), $"{subject} total", "characters");

        if (embed.Color is < 0 or > MaxColor)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{subject} color 0x{embed.Color:X} is outside 0x000000 to 0xFFFFFF."));
        }
    }

    // Discord strips embed field text, so whitespace-only text is empty to it.
    private static void CheckRequiredText(string? text, int maximum, string limit, string subject)
    {
        if (!string.IsNullOrEmpty(text) && string.IsNullOrWhiteSpace(text))
        {
            DiscordLimitException.ThrowIfOutside(0, 1, maximum, limit, subject, "characters after trimming whitespace");
        }

        DiscordLimitException.ThrowIfLengthOutside(text, 1, maximum, limit, subject);
    }
}
