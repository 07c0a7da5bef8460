namespace NafflesBotKit.Messages;

/// <summary>Discord's component types (the <c>type</c> field of a component).</summary>
public enum ComponentType
{
    /// <summary>A row that holds up to five buttons, one select menu, or (in a modal) one text input.</summary>
    ActionRow = 1,

    /// <summary>A button.</summary>
    Button = 2,

    /// <summary>A select menu whose options are supplied by the bot.</summary>
    StringSelect = 3,

    /// <summary>A text input (modals only).</summary>
    TextInput = 4,

    /// <summary>A select menu of users.</summary>
    UserSelect = 5,

    /// <summary>A select menu of roles.</summary>
    RoleSelect = 6,

    /// <summary>A select menu of users and roles.</summary>
    MentionableSelect = 7,

    /// <summary>A select menu of channels.</summary>
    ChannelSelect = 8,
}

/// <summary>Discord's button styles.</summary>
public enum ButtonStyle
{
    /// <summary>Blurple; sends an interaction.</summary>
    Primary = 1,

    /// <summary>Grey; sends an interaction.</summary>
    Secondary = 2,

    /// <summary>Green; sends an interaction.</summary>
    Success = 3,

    /// <summary>Red; sends an interaction.</summary>
    Danger = 4,

    /// <summary>Grey; opens a URL and sends no interaction.</summary>
    Link = 5,
}

/// <summary>Discord's text input styles.</summary>
public enum TextInputStyle
{
    /// <summary>A single line.</summary>
    Short = 1,

    /// <summary>Several lines.</summary>
    Paragraph = 2,
}

/// <summary>A message or modal component. Immutable.</summary>
public abstract record MessageComponent
{
    /// <summary>The component's Discord type.</summary>
    public abstract ComponentType Type { get; }
}

/// <summary>
/// A row of components: 1 to <see cref="DiscordLimits.ButtonsPerRow"/> buttons, or one select menu,
/// or (in a modal) one text input.
/// </summary>
/// <param name="Components">The components in the row, left to right.</param>
public sealed record ActionRow(IReadOnlyList<MessageComponent> Components) : MessageComponent
{
    /// <inheritdoc />
    public override ComponentType Type => ComponentType.ActionRow;
}

/// <summary>
/// A button. A <see cref="ButtonStyle.Link"/> button has a <see cref="Url"/> and no <see cref="CustomId"/>;
/// every other style has a <see cref="CustomId"/> and no <see cref="Url"/>.
/// </summary>
public sealed record Button : MessageComponent
{
    /// <inheritdoc />
    public override ComponentType Type => ComponentType.Button;

    /// <summary>The style; <see cref="ButtonStyle.Primary"/> unless set.</summary>
    public ButtonStyle Style { get; init; } = ButtonStyle.Primary;

    /// <summary>The label, at most <see cref="DiscordLimits.ButtonLabelLength"/> characters; optional if there is an emoji.</summary>
    public string? Label { get; init; }

    /// <summary>The id sent back in the interaction, 1 to <see cref="DiscordLimits.CustomIdLength"/> characters, unique within the message.</summary>
    public string? CustomId { get; init; }

    /// <summary>The URL a link button opens, at most <see cref="DiscordLimits.UrlLength"/> characters.</summary>
    public string? Url { get; init; }

    /// <summary>A Unicode emoji, or a custom emoji as <c>&lt;:name:id&gt;</c>.</summary>
    public string? Emoji { get; init; }

    /// <summary>Whether the button is shown greyed out.</summary>
    public bool Disabled { get; init; }
}

/// <summary>
/// A select menu. It fills a whole action row. A <see cref="ComponentType.StringSelect"/> has 1 to
/// <see cref="DiscordLimits.SelectOptions"/> options; the user, role, mentionable and channel selects have none.
/// </summary>
public sealed record SelectMenu : MessageComponent
{
    /// <summary>The component type: <see cref="SelectType"/>.</summary>
    public override ComponentType Type => SelectType;

    /// <summary>Which kind of select menu this is; <see cref="ComponentType.StringSelect"/> unless set.</summary>
    public ComponentType SelectType { get; init; } = ComponentType.StringSelect;

    /// <summary>The id sent back in the interaction, 1 to <see cref="DiscordLimits.CustomIdLength"/> characters, unique within the message.</summary>
    public string CustomId { get; init; } = string.Empty;

    /// <summary>The options of a string select.</summary>
    public IReadOnlyList<SelectOption> Options { get; init; } = [];

    /// <summary>The text shown when nothing is selected, at most <see cref="DiscordLimits.SelectPlaceholderLength"/> characters.</summary>
    public string? Placeholder { get; init; }

    /// <summary>The fewest options the user must choose, 0 to <see cref="DiscordLimits.SelectOptions"/>; 1 unless set.</summary>
    public int MinValues { get; init; } = 1;

    /// <summary>
    /// The most options the user may choose, 1 to <see cref="DiscordLimits.SelectOptions"/>, at least
    /// <see cref="MinValues"/> and (for a string select) at most the number of options; 1 unless set.
    /// </summary>
    public int MaxValues { get; init; } = 1;

    /// <summary>Whether the menu is shown greyed out.</summary>
    public bool Disabled { get; init; }
}

/// <summary>An option of a string <see cref="SelectMenu"/>.</summary>
/// <param name="Label">The text shown, 1 to <see cref="DiscordLimits.SelectOptionLabelLength"/> characters.</param>
/// <param name="Value">The value sent back, 1 to <see cref="DiscordLimits.SelectOptionValueLength"/> characters, unique within the menu.</param>
/// <param name="Description">Extra text under the label, at most <see cref="DiscordLimits.SelectOptionDescriptionLength"/> characters.</param>
/// <param name="Emoji">A Unicode emoji, or a custom emoji as <c>&lt;:name:id&gt;</c>.</param>
/// <param name="IsDefault">Whether the option is selected initially.</param>
public sealed record SelectOption(string Label, string Value, string? Description = null, string? Emoji = null, bool IsDefault = false);

/// <summary>A text input of a modal. It fills a whole action row.</summary>
public sealed record TextInput : MessageComponent
{
    /// <inheritdoc />
    public override ComponentType Type => ComponentType.TextInput;

    /// <summary>The id of the submitted value, 1 to <see cref="DiscordLimits.CustomIdLength"/> characters, unique within the modal.</summary>
    public string CustomId { get; init; } = string.Empty;

    /// <summary>Single line or paragraph; <see cref="TextInputStyle.Short"/> unless set.</summary>
    public TextInputStyle Style { get; init; } = TextInputStyle.Short;

    /// <summary>The label above the input, 1 to <see cref="DiscordLimits.TextInputLabelLength"/> characters.</summary>
    public string Label { get; init; } = string.Empty;

    /// <summary>The shortest accepted input, 0 to <see cref="DiscordLimits.TextInputValueLength"/>.</summary>
    public int? MinLength { get; init; }

    /// <summary>The longest accepted input, 1 to <see cref="DiscordLimits.TextInputValueLength"/>, at least <see cref="MinLength"/>.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Whether the user must fill the input; <see langword="true"/> unless set.</summary>
    public bool Required { get; init; } = true;

    /// <summary>Pre-filled text, at most <see cref="MaxLength"/> (and <see cref="DiscordLimits.TextInputValueLength"/>) characters.</summary>
    public string? Value { get; init; }

    /// <summary>The text shown while the input is empty, at most <see cref="DiscordLimits.TextInputPlaceholderLength"/> characters.</summary>
    public string? Placeholder { get; init; }
}
