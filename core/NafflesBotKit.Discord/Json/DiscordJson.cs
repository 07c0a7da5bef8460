using System.Globalization;
using System.Text.Json;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Discord.Json;

/// <summary>Maps SDK types to Discord's wire JSON (API v10) and back, through source-generated metadata.</summary>
public static class DiscordJson
{
    /// <summary>Serialises a message for create/edit message, follow-ups and webhook edits.</summary>
    /// <param name="message">The message.</param>
    public static byte[] SerializeMessage(MessagePayload message) =>
        JsonSerializer.SerializeToUtf8Bytes(ToWire(message), DiscordJsonContext.Default.MessageWire);

    /// <summary>Serialises an interaction callback (<c>{type, data}</c>).</summary>
    /// <param name="response">The response.</param>
    public static byte[] SerializeInteractionResponse(InteractionResponse response) =>
        JsonSerializer.SerializeToUtf8Bytes(ToWire(response), DiscordJsonContext.Default.InteractionCallbackWire);

    /// <summary>Serialises command definitions for a bulk overwrite.</summary>
    /// <param name="commands">The commands.</param>
    public static byte[] SerializeCommands(IEnumerable<ApplicationCommandDefinition> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        return JsonSerializer.SerializeToUtf8Bytes(commands.Select(ToWire).ToList(), DiscordJsonContext.Default.ListApplicationCommandWire);
    }

    internal static MessageWire ToWire(MessagePayload message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new MessageWire
        {
            Content = message.Content,
            Embeds = message.Embeds.Select(ToWire).ToList(),
            Components = message.Components.Select(ToWire).ToList(),
            Flags = message.Flags == MessageFlags.None ? null : (int)message.Flags,
            AllowedMentions = message.AllowedMentions is null ? null : ToWire(message.AllowedMentions),
            Attachments = AttachmentsOf(message.Files),
        };
    }

    internal static List<AttachmentWire>? AttachmentsOf(IReadOnlyList<FileAttachment> files) =>
        files.Count == 0
            ? null
            : files.Select((f, i) => new AttachmentWire { Id = i.ToString(CultureInfo.InvariantCulture), Filename = f.FileName }).ToList();

    internal static InteractionCallbackWire ToWire(InteractionResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var wire = new InteractionCallbackWire { Type = (int)response.Type };
        switch (response.Type)
        {
            case InteractionCallbackType.ChannelMessageWithSource or InteractionCallbackType.UpdateMessage when response.Message is not null:
                wire.Data = MessageData(ToWire(response.Message));
                break;
            case InteractionCallbackType.DeferredChannelMessageWithSource when response.Message is not null:
                // Only EPHEMERAL is allowed on a deferral.
                var flags = response.Message.Flags & MessageFlags.Ephemeral;
                wire.Data = flags == MessageFlags.None ? null : new InteractionCallbackDataWire { Flags = (int)flags };
                break;
            case InteractionCallbackType.Modal when response.Modal is not null:
                wire.Data = new InteractionCallbackDataWire
                {
                    CustomId = response.Modal.CustomId,
                    Title = response.Modal.Title,
                    Components = response.Modal.Components.Select(ToWire).ToList(),
                };
                break;
            case InteractionCallbackType.ApplicationCommandAutocompleteResult:
                wire.Data = new InteractionCallbackDataWire
                {
                    Choices = (response.Choices ?? []).Select(c => new ChoiceWire { Name = c.Name, Value = Scalar(c.Value) }).ToList(),
                };
                break;
        }

        return wire;
    }

    private static InteractionCallbackDataWire MessageData(MessageWire m) => new()
    {
        Content = m.Content,
        Embeds = m.Embeds,
        Components = m.Components,
        Flags = m.Flags,
        AllowedMentions = m.AllowedMentions,
        Attachments = m.Attachments,
    };

    internal static EmbedWire ToWire(Embed e) => new()
    {
        Title = e.Title,
        Description = e.Description,
        Url = e.Url,
        Timestamp = e.Timestamp?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        Color = e.Color is { } c ? c & 0xFFFFFF : null,
        Footer = e.Footer is null ? null : new EmbedFooterWire { Text = e.Footer.Text, IconUrl = e.Footer.IconUrl },
        Author = e.Author is null ? null : new EmbedAuthorWire { Name = e.Author.Name, Url = e.Author.Url, IconUrl = e.Author.IconUrl },
        Thumbnail = e.ThumbnailUrl is null ? null : new EmbedMediaWire { Url = e.ThumbnailUrl },
        Image = e.ImageUrl is null ? null : new EmbedMediaWire { Url = e.ImageUrl },
        Fields = e.Fields.Count == 0 ? null : e.Fields.Select(f => new EmbedFieldWire { Name = f.Name, Value = f.Value, Inline = f.Inline ? true : null }).ToList(),
    };

    internal static ComponentWire ToWire(MessageComponent component) => component switch
    {
        ActionRow row => new ComponentWire { Type = 1, Components = row.Components.Select(ToWire).ToList() },
        Button b => new ComponentWire
        {
            Type = 2,
            Style = (int)b.Style,
            Label = b.Label,
            CustomId = b.Style == ButtonStyle.Link ? null : b.CustomId,
            Url = b.Style == ButtonStyle.Link ? b.Url : null,
            Emoji = ParseEmoji(b.Emoji),
            Disabled = b.Disabled ? true : null,
        },
        SelectMenu s => new ComponentWire
        {
            Type = (int)s.SelectType,
            CustomId = s.CustomId,
            Options = s.SelectType == ComponentType.StringSelect
                ? s.Options.Select(o => new SelectOptionWire { Label = o.Label, Value = o.Value, Description = o.Description, Emoji = ParseEmoji(o.Emoji), Default = o.IsDefault ? true : null }).ToList()
                : null,
            Placeholder = s.Placeholder,
            MinValues = s.MinValues,
            MaxValues = s.MaxValues,
            Disabled = s.Disabled ? true : null,
        },
        TextInput t => new ComponentWire
        {
            Type = 4,
            CustomId = t.CustomId,
            Style = (int)t.Style,
            Label = t.Label,
            MinLength = t.MinLength,
            MaxLength = t.MaxLength,
            Required = t.Required,
            Value = t.Value,
            Placeholder = t.Placeholder,
        },
        _ => throw new ArgumentException($"Unsupported component {component.GetType().Name}.", nameof(component)),
    };

    internal static AllowedMentionsWire ToWire(AllowedMentions a) => new()
    {
        Parse = [.. a.Parse],
        Users = a.Users.Count == 0 ? null : a.Users.Select(Id).ToList(),
        Roles = a.Roles.Count == 0 ? null : a.Roles.Select(Id).ToList(),
        RepliedUser = a.RepliedUser ? true : null,
    };

    /// <summary>Turns "&lt;:name:id&gt;" / "&lt;a:name:id&gt;" into a custom emoji and anything else into a Unicode one.</summary>
    internal static EmojiWire? ParseEmoji(string? emoji)
    {
        if (string.IsNullOrEmpty(emoji))
        {
            return null;
        }

        if (emoji.Length > 4 && emoji[0] == '<' && emoji[^1] == '>')
        {
            var parts = emoji[1..^1].Split(':');
            if (parts.Length == 3 && ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                return new EmojiWire { Id = parts[2], Name = parts[1], Animated = parts[0] == "a" ? true : null };
            }
        }

        return new EmojiWire { Name = emoji };
    }

    internal static ApplicationCommandWire ToWire(ApplicationCommandDefinition d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new ApplicationCommandWire
        {
            Type = 1,
            Name = d.Name,
            Description = d.Description,
            Options = d.Options.Count == 0 ? null : d.Options.Select(ToWire).ToList(),
            DefaultMemberPermissions = d.DefaultMemberPermissions is { } p ? ((ulong)p).ToString(CultureInfo.InvariantCulture) : null,
            Contexts = d.AllowInDms ? [0, 1] : [0],
        };
    }

    internal static CommandOptionWire ToWire(CommandOptionDefinition o) => new()
    {
        Type = (int)o.Type,
        Name = o.Name,
        Description = o.Description,
        Required = o.Required ? true : null,
        Choices = o.Choices.Count == 0 ? null : o.Choices.Select(c => new ChoiceWire { Name = c.Name, Value = Scalar(c.Value) }).ToList(),
        Options = o.Options.Count == 0 ? null : o.Options.Select(ToWire).ToList(),
        MinValue = o.MinValue,
        MaxValue = o.MaxValue,
        MinLength = o.MinLength,
        MaxLength = o.MaxLength,
        Autocomplete = o.Autocomplete ? true : null,
        ChannelTypes = o.ChannelTypes.Count == 0 ? null : [.. o.ChannelTypes],
    };

    /// <summary>A choice or option value as JSON: string, integer, number or boolean.</summary>
    internal static JsonElement Scalar(object value) => value switch
    {
        string s => JsonSerializer.SerializeToElement(s, DiscordJsonContext.Default.String),
        bool b => JsonSerializer.SerializeToElement(b, DiscordJsonContext.Default.Boolean),
        int or long or short or byte or sbyte or ushort or uint => JsonSerializer.SerializeToElement(Convert.ToInt64(value, CultureInfo.InvariantCulture), DiscordJsonContext.Default.Int64),
        ulong u => JsonSerializer.SerializeToElement(u.ToString(CultureInfo.InvariantCulture), DiscordJsonContext.Default.String),
        double or float or decimal => JsonSerializer.SerializeToElement(Convert.ToDouble(value, CultureInfo.InvariantCulture), DiscordJsonContext.Default.Double),
        JsonElement e => e.Clone(),
        _ => throw new ArgumentException($"Unsupported choice value type {value?.GetType().Name ?? "null"}.", nameof(value)),
    };

    internal static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);

    internal static ulong ParseId(string? id) =>
        id is not null && ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    internal static ulong? ParseOptionalId(string? id) => id is null ? null : ParseId(id);

    internal static Permissions ParsePermissions(string? value) =>
        value is not null && ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? (Permissions)v : Permissions.None;
}
