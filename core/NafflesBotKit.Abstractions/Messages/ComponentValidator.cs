using System.Globalization;

namespace NafflesBotKit.Messages;

/// <summary>Checks message and modal components against <see cref="DiscordLimits"/> and Discord's layout rules.</summary>
internal static class ComponentValidator
{
    /// <summary>Checks the action rows of a message.</summary>
    /// <param name="rows">The rows.</param>
    /// <exception cref="DiscordLimitException">A value is outside a Discord limit.</exception>
    /// <exception cref="ArgumentException">A layout rule is broken (empty row, select sharing its row, duplicate custom id, ...).</exception>
    internal static void ValidateMessageRows(IReadOnlyList<ActionRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        DiscordLimitException.ThrowIfOutside(
            rows.Count, 0, DiscordLimits.ActionRows, nameof(DiscordLimits.ActionRows), "Action row count", "");

        var customIds = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < rows.Count; r++)
        {
            var rowName = Invariant($"Row {r + 1}");
            var components = rows[r]?.Components ?? throw new ArgumentException($"{rowName} is null.");
            if (components.Count == 0)
            {
                throw new ArgumentException($"{rowName} is empty; Discord requires at least one component per action row.");
            }

            if (components.Count > 1 && components.Any(c => c is SelectMenu))
            {
                throw new ArgumentException(
                    $"{rowName} holds a select menu and other components; a select menu must be alone in its action row.");
            }

            DiscordLimitException.ThrowIfOutside(
                components.Count, 1, DiscordLimits.ButtonsPerRow, nameof(DiscordLimits.ButtonsPerRow), $"{rowName} button count", "");

            for (var c = 0; c < components.Count; c++)
            {
                switch (components[c])
                {
                    case Button button:
                        ValidateButton(button, Invariant($"{rowName} button {c + 1}"), customIds);
                        break;
                    case SelectMenu select:
                        ValidateSelect(select, Invariant($"{rowName} select menu"), customIds);
                        break;
                    case TextInput:
                        throw new ArgumentException($"{rowName} holds a text input; text inputs are only allowed in modals.");
                    case ActionRow:
                        throw new ArgumentException($"{rowName} holds an action row; action rows cannot be nested.");
                    case null:
                        throw new ArgumentException(Invariant($"{rowName} component {c + 1} is null."));
                    default:
                        throw new ArgumentException(
                            Invariant($"{rowName} component {c + 1} has type {components[c].Type}, which a message row cannot hold."));
                }
            }
        }
    }

    /// <summary>Checks one text input of a modal.</summary>
    /// <param name="input">The input.</param>
    /// <param name="where">How messages refer to it, e.g. "Text input 2".</param>
    /// <param name="customIds">Custom ids already used in the modal; the input's id is added.</param>
    internal static void ValidateTextInput(TextInput input, string where, HashSet<string> customIds)
    {
        CheckCustomId(input.CustomId, where, customIds);
        if (input.Style is not (TextInputStyle.Short or TextInputStyle.Paragraph))
        {
            throw new ArgumentException(Invariant($"{where} has unknown style {(int)input.Style}."));
        }

        DiscordLimitException.ThrowIfLengthOutside(
            input.Label, 1, DiscordLimits.TextInputLabelLength, nameof(DiscordLimits.TextInputLabelLength), $"{where} label");
        if (input.MinLength is { } min)
        {
            DiscordLimitException.ThrowIfOutside(
                min, 0, DiscordLimits.TextInputValueLength, nameof(DiscordLimits.TextInputValueLength), $"{where} min_length", "");
        }

        if (input.MaxLength is { } max)
        {
            DiscordLimitException.ThrowIfOutside(
                max, 1, DiscordLimits.TextInputValueLength, nameof(DiscordLimits.TextInputValueLength), $"{where} max_length", "");
        }

        if (input.MinLength > input.MaxLength)
        {
            throw new ArgumentException(
                Invariant($"{where} min_length {input.MinLength} is greater than its max_length {input.MaxLength}."));
        }

        DiscordLimitException.ThrowIfLengthOutside(
            input.Placeholder, 0, DiscordLimits.TextInputPlaceholderLength, nameof(DiscordLimits.TextInputPlaceholderLength), $"{where} placeholder");
        DiscordLimitException.ThrowIfLengthOutside(
            input.Value, 0, DiscordLimits.TextInputValueLength, nameof(DiscordLimits.TextInputValueLength), $"{where} value");
        var valueLength = DiscordLimits.CountCharacters(input.Value);
        if (valueLength > input.MaxLength)
        {
            throw new ArgumentException(
                Invariant($"{where} value is {valueLength} characters, more than its max_length {input.MaxLength}."));
        }
    }

    private static void ValidateButton(Button button, string where, HashSet<string> customIds)
    {
        if (button.Style is < ButtonStyle.Primary or > ButtonStyle.Link)
        {
            throw new ArgumentException(Invariant($"{where} has unknown style {(int)button.Style}."));
        }

        if (string.IsNullOrEmpty(button.Label) && string.IsNullOrEmpty(button.Emoji))
        {
            throw new ArgumentException($"{where} has neither a label nor an emoji.");
        }

        DiscordLimitException.ThrowIfLengthOutside(
            button.Label, 0, DiscordLimits.ButtonLabelLength, nameof(DiscordLimits.ButtonLabelLength), $"{where} label");

        if (button.Style == ButtonStyle.Link)
        {
            if (button.CustomId is not null)
            {
                throw new ArgumentException($"{where} is a link button; link buttons cannot have a custom id.");
            }

            DiscordLimitException.ThrowIfLengthOutside(
                button.Url, 1, DiscordLimits.UrlLength, nameof(DiscordLimits.UrlLength), $"{where} URL");
        }
        else
        {
            if (button.Url is not null)
            {
                throw new ArgumentException(
                    $"{where} has a URL but style {button.Style}; only link buttons (ButtonStyle.Link) can have a URL.");
            }

            CheckCustomId(button.CustomId, where, customIds);
        }
    }

    private static void ValidateSelect(SelectMenu select, string where, HashSet<string> customIds)
    {
        var isStringSelect = select.SelectType == ComponentType.StringSelect;
        if (!isStringSelect && select.SelectType is not (ComponentType.UserSelect or ComponentType.RoleSelect
            or ComponentType.MentionableSelect or ComponentType.ChannelSelect))
        {
            throw new ArgumentException($"{where} has SelectType {select.SelectType}, which is not a select menu type.");
        }

        CheckCustomId(select.CustomId, where, customIds);
        DiscordLimitException.ThrowIfLengthOutside(
            select.Placeholder, 0, DiscordLimits.SelectPlaceholderLength, nameof(DiscordLimits.SelectPlaceholderLength), $"{where} placeholder");

        var options = select.Options ?? throw new ArgumentException($"{where} has a null option list.");
        if (isStringSelect)
        {
            DiscordLimitException.ThrowIfOutside(
                options.Count, 1, DiscordLimits.SelectOptions, nameof(DiscordLimits.SelectOptions), $"{where} option count", "");
            var values = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < options.Count; i++)
            {
                var optionName = Invariant($"{where} option {i + 1}");
                var option = options[i] ?? throw new ArgumentException($"{optionName} is null.");
                DiscordLimitException.ThrowIfLengthOutside(
                    option.Label, 1, DiscordLimits.SelectOptionLabelLength, nameof(DiscordLimits.SelectOptionLabelLength), $"{optionName} label");
                DiscordLimitException.ThrowIfLengthOutside(
                    option.Value, 1, DiscordLimits.SelectOptionValueLength, nameof(DiscordLimits.SelectOptionValueLength), $"{optionName} value");
                DiscordLimitException.ThrowIfLengthOutside(
                    option.Description, 0, DiscordLimits.SelectOptionDescriptionLength,
                    nameof(DiscordLimits.SelectOptionDescriptionLength), $"{optionName} description");
                if (!values.Add(option.Value))
                {
                    throw new ArgumentException($"{optionName} repeats the value '{option.Value}'; option values must be unique.");
                }
            }
        }
        else if (options.Count > 0)
        {
            throw new ArgumentException($"{where} is a {select.SelectType}; only a StringSelect has options.");
        }

        DiscordLimitException.ThrowIfOutside(
            select.MinValues, 0, DiscordLimits.SelectOptions, nameof(DiscordLimits.SelectOptions), $"{where} min_values", "");
        DiscordLimitException.ThrowIfOutside(
            select.MaxValues, 1, DiscordLimits.SelectOptions, nameof(DiscordLimits.SelectOptions), $"{where} max_values", "");
        if (select.MinValues > select.MaxValues)
        {
            throw new ArgumentException(
                Invariant($"{where} min_values {select.MinValues} is greater than its max_values {select.MaxValues}."));
        }

        if (isStringSelect && select.MaxValues > options.Count)
        {
            throw new ArgumentException(
                Invariant($"{where} max_values {select.MaxValues} is more than its {options.Count} options."));
        }
    }

    private static void CheckCustomId(string? customId, string where, HashSet<string> customIds)
    {
        DiscordLimitException.ThrowIfLengthOutside(
            customId, 1, DiscordLimits.CustomIdLength, nameof(DiscordLimits.CustomIdLength), $"{where} custom id");
        if (!customIds.Add(customId!))
        {
            throw new ArgumentException($"{where} repeats the custom id '{customId}'; custom ids must be unique.");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
