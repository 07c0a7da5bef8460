namespace NafflesBotKit.Messages;

/// <summary>
/// Fluent builder for a <see cref="MessagePayload"/>. The <c>With*</c>/<c>Add*</c> methods only record values;
/// <see cref="Build"/> validates them with <see cref="MessagePayload.Validate"/>.
/// </summary>
public sealed class MessageBuilder
{
    private readonly List<Embed> _embeds = [];
    private readonly List<FileAttachment> _files = [];
    private string? _content;
    private IReadOnlyList<ActionRow> _components = [];
    private MessageFlags _flags;
    private AllowedMentions? _allowedMentions;

    /// <summary>Sets the text (<see langword="null"/> removes it).</summary>
    /// <param name="content">The text, at most <see cref="DiscordLimits.ContentLength"/> characters.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder WithContent(string? content)
    {
        _content = content;
        return this;
    }

    /// <summary>Adds an embed (at most <see cref="DiscordLimits.EmbedsPerMessage"/> per message).</summary>
    /// <param name="embed">The embed.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder AddEmbed(Embed embed)
    {
        ArgumentNullException.ThrowIfNull(embed);
        _embeds.Add(embed);
        return this;
    }

    /// <summary>Adds embeds (at most <see cref="DiscordLimits.EmbedsPerMessage"/> per message).</summary>
    /// <param name="embeds">The embeds.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder AddEmbeds(IEnumerable<Embed> embeds)
    {
        ArgumentNullException.ThrowIfNull(embeds);
        foreach (var embed in embeds)
        {
            AddEmbed(embed);
        }

        return this;
    }

    /// <summary>Sets the action rows, replacing any set before (see <see cref="ComponentBuilder"/>).</summary>
    /// <param name="components">The rows.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder WithComponents(IReadOnlyList<ActionRow> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        _components = components;
        return this;
    }

    /// <summary>Sets the message flags, replacing any set before.</summary>
    /// <param name="flags">The flags.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder WithFlags(MessageFlags flags)
    {
        _flags = flags;
        return this;
    }

    /// <summary>Sets which mentions may notify.</summary>
    /// <param name="allowedMentions">The allowed mentions, e.g. <see cref="AllowedMentions.None"/>.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder WithAllowedMentions(AllowedMentions allowedMentions)
    {
        ArgumentNullException.ThrowIfNull(allowedMentions);
        _allowedMentions = allowedMentions;
        return this;
    }

    /// <summary>Adds a file to upload with the message.</summary>
    /// <param name="file">The file.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder AddFile(FileAttachment file)
    {
        ArgumentNullException.ThrowIfNull(file);
        _files.Add(file);
        return this;
    }

    /// <summary>Creates the payload and validates it (see <see cref="MessagePayload.Validate"/>). The builder can be reused.</summary>
    /// <returns>The payload.</returns>
    /// <exception cref="DiscordLimitException">A value is outside a Discord limit.</exception>
    /// <exception cref="ArgumentException">The message is empty, or a rule that is not a numeric limit is broken.</exception>
    public MessagePayload Build()
    {
        var payload = new MessagePayload
        {
            Content = _content,
            Embeds = _embeds.ToArray(),
            Components = _components.ToArray(),
            Flags = _flags,
            AllowedMentions = _allowedMentions,
            Files = _files.ToArray(),
        };
        payload.Validate();
        return payload;
    }
}
