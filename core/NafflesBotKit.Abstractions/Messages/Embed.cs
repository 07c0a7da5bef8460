namespace NafflesBotKit.Messages;

/// <summary>
/// A rich embed attached to a message. Immutable; build one with <see cref="EmbedBuilder"/>, which checks
/// <see cref="DiscordLimits"/>, or create it directly and let <c>MessagePayload.Validate()</c> check it.
/// </summary>
public sealed record Embed
{
    /// <summary>The title, at most <see cref="DiscordLimits.EmbedTitleLength"/> characters.</summary>
    public string? Title { get; init; }

    /// <summary>The description, at most <see cref="DiscordLimits.EmbedDescriptionLength"/> characters.</summary>
    public string? Description { get; init; }

    /// <summary>The URL the title links to.</summary>
    public string? Url { get; init; }

    /// <summary>The colour of the left border as 0xRRGGBB.</summary>
    public int? Color { get; init; }

    /// <summary>The timestamp shown in the footer.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The footer.</summary>
    public EmbedFooter? Footer { get; init; }

    /// <summary>The author shown above the title.</summary>
    public EmbedAuthor? Author { get; init; }

    /// <summary>The URL of the thumbnail image.</summary>
    public string? ThumbnailUrl { get; init; }

    /// <summary>The URL of the large image.</summary>
    public string? ImageUrl { get; init; }

    /// <summary>The fields, at most <see cref="DiscordLimits.EmbedFields"/>.</summary>
    public IReadOnlyList<EmbedField> Fields { get; init; } = [];

    /// <summary>
    /// The characters that count toward <see cref="DiscordLimits.EmbedTotalCharacters"/>: title, description,
    /// field names and values, footer text and author name, counted with <see cref="DiscordLimits.CountCharacters"/>.
    /// </summary>
    public int TotalCharacters
    {
        get
        {
            var total = DiscordLimits.CountCharacters(Title)
                + DiscordLimits.CountCharacters(Description)
                + DiscordLimits.CountCharacters(Footer?.Text)
                + DiscordLimits.CountCharacters(Author?.Name);
            foreach (var embedField in Fields)
            {
                total += DiscordLimits.CountCharacters(embedField.Name) + DiscordLimits.CountCharacters(embedField.Value);
            }

            return total;
        }
    }
}

/// <summary>A name/value field of an <see cref="Embed"/>.</summary>
/// <param name="Name">The field name, 1 to <see cref="DiscordLimits.EmbedFieldNameLength"/> characters.</param>
/// <param name="Value">The field value, 1 to <see cref="DiscordLimits.EmbedFieldValueLength"/> characters.</param>
/// <param name="Inline">Whether the field may share a line with neighbouring inline fields.</param>
public sealed record EmbedField(string Name, string Value, bool Inline = false);

/// <summary>The footer of an <see cref="Embed"/>.</summary>
/// <param name="Text">The footer text, at most <see cref="DiscordLimits.EmbedFooterTextLength"/> characters.</param>
/// <param name="IconUrl">The URL of a small icon shown before the text.</param>
public sealed record EmbedFooter(string Text, string? IconUrl = null);

/// <summary>The author block of an <see cref="Embed"/>.</summary>
/// <param name="Name">The author name, at most <see cref="DiscordLimits.EmbedAuthorNameLength"/> characters.</param>
/// <param name="Url">The URL the name links to.</param>
/// <param name="IconUrl">The URL of a small icon shown before the name.</param>
public sealed record EmbedAuthor(string Name, string? Url = null, string? IconUrl = null);
