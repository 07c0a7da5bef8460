using System.Globalization;

namespace NafflesBotKit.Messages;

/// <summary>
/// What is sent to Discord to create, reply with or edit a message. Immutable; build one with
/// <see cref="MessageBuilder"/>, <see cref="FromText"/> or <see cref="FromEmbed"/>, which validate it, or create it
/// directly and call <see cref="Validate"/>.
/// </summary>
public sealed record MessagePayload
{
    private const MessageFlags KnownFlags =
        MessageFlags.SuppressEmbeds | MessageFlags.Ephemeral | MessageFlags.SuppressNotifications;

    /// <summary>The text, at most <see cref="DiscordLimits.ContentLength"/> characters.</summary>
    public string? Content { get; init; }

    /// <summary>The embeds, at most <see cref="DiscordLimits.EmbedsPerMessage"/>.</summary>
    public IReadOnlyList<Embed> Embeds { get; init; } = [];

    /// <summary>The action rows, at most <see cref="DiscordLimits.ActionRows"/>.</summary>
    public IReadOnlyList<ActionRow> Components { get; init; } = [];

    /// <summary>The message flags.</summary>
    public MessageFlags Flags { get; init; }

    /// <summary>Which mentions may notify; <see langword="null"/> leaves Discord's default.</summary>
    public AllowedMentions? AllowedMentions { get; init; }

    /// <summary>Files uploaded with the message.</summary>
    public IReadOnlyList<FileAttachment> Files { get; init; } = [];

    /// <summary>Creates a validated text-only message.</summary>
    /// <param name="content">The text, 1 to <see cref="DiscordLimits.ContentLength"/> characters.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="DiscordLimitException">The text is too long.</exception>
    /// <exception cref="ArgumentException">The text is empty or whitespace.</exception>
    public static MessagePayload FromText(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var payload = new MessagePayload { Content = content };
        payload.Validate();
        return payload;
    }

    /// <summary>Creates a validated message with one embed and, optionally, components.</summary>
    /// <param name="embed">The embed.</param>
    /// <param name="components">The action rows, if any.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="DiscordLimitException">The embed or components are outside a Discord limit.</exception>
    /// <exception cref="ArgumentException">A component layout rule is broken.</exception>
    public static MessagePayload FromEmbed(Embed embed, IReadOnlyList<ActionRow>? components = null)
    {
        ArgumentNullException.ThrowIfNull(embed);
        var payload = new MessagePayload { Embeds = [embed], Components = components is null ? [] : [.. components] };
        payload.Validate();
        return payload;
    }

    /// <summary>
    /// Checks the payload against Discord's limits: content up to <see cref="DiscordLimits.ContentLength"/> characters,
    /// at most <see cref="DiscordLimits.EmbedsPerMessage"/> embeds, each within the per-embed limits (see
    /// <see cref="EmbedBuilder.Build"/>) and together at most <see cref="DiscordLimits.EmbedTotalCharacters"/>
    /// characters, components as in <see cref="ComponentBuilder.Build"/>, allowed mentions with at most
    /// <see cref="DiscordLimits.AllowedMentionIds"/> users and roles, and only the flags in <see cref="MessageFlags"/>.
    /// </summary>
    /// <exception cref="DiscordLimitException">A value is outside a Discord limit.</exception>
    /// <exception cref="ArgumentException">
    /// The message is empty (no content other than whitespace, no embed, component or file), or a rule that is not a
    /// numeric limit is broken.
    /// </exception>
    public void Validate()
    {
        var embeds = Embeds ?? throw new ArgumentException("Embeds is null.");
        var components = Components ?? throw new ArgumentException("Components is null.");
        var files = Files ?? throw new ArgumentException("Files is null.");
        if (string.IsNullOrWhiteSpace(Content) && embeds.Count == 0 && components.Count == 0 && files.Count == 0)
        {
            throw new ArgumentException("The message is empty; Discord requires content, an embed, a component or a file.");
        }

        DiscordLimitException.ThrowIfLengthOutside(
            Content, 0, DiscordLimits.ContentLength, nameof(DiscordLimits.ContentLength), "Message content");
        DiscordLimitException.ThrowIfOutside(
            embeds.Count, 0, DiscordLimits.EmbedsPerMessage, nameof(DiscordLimits.EmbedsPerMessage), "Embed count", "");

        var total = 0;
        for (var i = 0; i < embeds.Count; i++)
        {
            var embed = embeds[i] ?? throw new ArgumentException(Invariant($"Embed {i + 1} is null."));
            EmbedBuilder.Validate(embed, embeds.Count == 1 ? "Embed" : Invariant($"Embed {i + 1}"));
            total += embed.TotalCharacters;
        }

        DiscordLimitException.ThrowIfOutside(
            total, 0, DiscordLimits.EmbedTotalCharacters, nameof(DiscordLimits.EmbedTotalCharacters),
            "Total of all embeds", "characters");

        ComponentValidator.ValidateMessageRows(components);
        AllowedMentions?.Validate();

        if ((Flags & ~KnownFlags) != 0)
        {
            throw new ArgumentException(Invariant($"Flags contains unsupported bits 0x{(int)(Flags & ~KnownFlags):X}."));
        }

        for (var i = 0; i < files.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(files[i]?.FileName))
            {
                throw new ArgumentException(Invariant($"File {i + 1} is null or has no file name."));
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
