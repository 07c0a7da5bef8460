namespace NafflesBotKit.Messages;

/// <summary>
/// Fluent builder for a <see cref="ModalPayload"/>: each text input gets its own action row.
/// <see cref="Build"/> checks the result against <see cref="DiscordLimits"/>.
/// </summary>
public sealed class ModalBuilder
{
    private readonly string _customId;
    private readonly string _title;
    private readonly List<TextInput> _inputs = [];

    /// <summary>Starts a modal.</summary>
    /// <param name="customId">The id sent back on submit, 1 to <see cref="DiscordLimits.CustomIdLength"/> characters.</param>
    /// <param name="title">The title, 1 to <see cref="DiscordLimits.ModalTitleLength"/> characters.</param>
    public ModalBuilder(string customId, string title)
    {
        ArgumentNullException.ThrowIfNull(customId);
        ArgumentNullException.ThrowIfNull(title);
        _customId = customId;
        _title = title;
    }

    /// <summary>Adds a text input in a row of its own (at most <see cref="DiscordLimits.ActionRows"/>).</summary>
    /// <param name="customId">The id of the submitted value, 1 to <see cref="DiscordLimits.CustomIdLength"/> characters, unique within the modal.</param>
    /// <param name="label">The label, 1 to <see cref="DiscordLimits.TextInputLabelLength"/> characters.</param>
    /// <param name="style">Single line or paragraph.</param>
    /// <param name="minLength">The shortest accepted input, 0 to <see cref="DiscordLimits.TextInputValueLength"/>.</param>
    /// <param name="maxLength">The longest accepted input, 1 to <see cref="DiscordLimits.TextInputValueLength"/>, at least <paramref name="minLength"/>.</param>
    /// <param name="required">Whether the user must fill the input.</param>
    /// <param name="value">Pre-filled text, at most <paramref name="maxLength"/> characters.</param>
    /// <param name="placeholder">Text shown while the input is empty, at most <see cref="DiscordLimits.TextInputPlaceholderLength"/> characters.</param>
    /// <returns>This builder.</returns>
    public ModalBuilder AddTextInput(
        string customId,
        string label,
        TextInputStyle style = TextInputStyle.Short,
        int? minLength = null,
        int? maxLength = null,
        bool required = true,
        string? value = null,
        string? placeholder = null)
    {
        ArgumentNullException.ThrowIfNull(customId);
        ArgumentNullException.ThrowIfNull(label);
        _inputs.Add(new TextInput
        {
            CustomId = customId,
            Label = label,
            Style = style,
            MinLength = minLength,
            MaxLength = maxLength,
            Required = required,
            Value = value,
            Placeholder = placeholder,
        });
        return this;
    }

    /// <summary>
    /// Creates the modal, checking: custom id 1 to <see cref="DiscordLimits.CustomIdLength"/> characters, title 1 to
    /// <see cref="DiscordLimits.ModalTitleLength"/>, 1 to <see cref="DiscordLimits.ActionRows"/> text inputs with unique
    /// custom ids, labels 1 to <see cref="DiscordLimits.TextInputLabelLength"/>, min_length 0 and max_length 1 to
    /// <see cref="DiscordLimits.TextInputValueLength"/> with min &lt;= max, placeholders up to
    /// <see cref="DiscordLimits.TextInputPlaceholderLength"/>, and values no longer than max_length. The builder can be reused.
    /// </summary>
    /// <returns>The modal.</returns>
    /// <exception cref="DiscordLimitException">A value is outside a Discord limit.</exception>
    /// <exception cref="ArgumentException">A custom id repeats, min_length exceeds max_length, or a value is longer than max_length.</exception>
    public ModalPayload Build()
    {
        var rows = _inputs.Select(input => new ActionRow([input])).ToArray();
        var modal = new ModalPayload(_customId, _title, rows);
        modal.Validate();
        return modal;
    }
}
