namespace NafflesBotKit.Interactions;

/// <summary>
/// Marks a <see cref="CommandHandler"/> or <see cref="CommandHandler{TOptions}"/> as the handler of a slash command.
/// The path is the command name, optionally followed by a group and a subcommand separated by spaces:
/// <c>naffles-status</c>, <c>naffles-admin reload</c>, <c>naffles-admin plugins reload</c>.
/// </summary>
/// <param name="path">Command path (1-3 space-separated names, each 1-32 lower-case characters).</param>
/// <param name="description">Shown in Discord's command picker (1-100 characters).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CommandAttribute(string path, string description) : Attribute
{
    /// <summary>Command path.</summary>
    public string Path { get; } = path;

    /// <summary>Description of the command (or of the subcommand for a multi-level path).</summary>
    public string Description { get; } = description;

    /// <summary>
    /// Whether the initial response is ephemeral by default; this also decides the kind of deferral the router
    /// sends when the handler is slow.
    /// </summary>
    public bool Ephemeral { get; set; }

    /// <summary>Whether the command may be used in DMs (default false: guild only).</summary>
    public bool AllowInDms { get; set; }

    /// <summary>Whether the router may defer for this handler when it is slow (default true). Turn off for handlers that show a modal.</summary>
    public bool AutoDefer { get; set; } = true;
}

/// <summary>Describes a command or subcommand group that only exists as a parent in a multi-level path.</summary>
/// <param name="path">The group's path (e.g. <c>naffles-admin</c> or <c>naffles-admin plugins</c>).</param>
/// <param name="description">Its description (1-100 characters).</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class CommandGroupAttribute(string path, string description) : Attribute
{
    /// <summary>Group path.</summary>
    public string Path { get; } = path;

    /// <summary>Group description.</summary>
    public string Description { get; } = description;
}

/// <summary>
/// Binds a property of a command's options class to a slash-command option. The option type follows the
/// property type: string, long/int, bool, double, <see cref="DiscordUser"/>, <see cref="DiscordChannel"/>,
/// <see cref="DiscordRole"/>, an enum (its names become choices), or <see cref="ulong"/> for a raw snowflake
/// (with <see cref="Type"/> set). Nullable properties are optional; others are required.
/// </summary>
/// <param name="name">Option name (1-32 lower-case characters).</param>
/// <param name="description">Option description (1-100 characters).</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class OptionAttribute(string name, string description) : Attribute
{
    /// <summary>Option name.</summary>
    public string Name { get; } = name;

    /// <summary>Option description.</summary>
    public string Description { get; } = description;

    /// <summary>Overrides the option type inferred from the property type.</summary>
    public CommandOptionType Type { get; set; }

    /// <summary>Whether Discord asks the handler (an <see cref="IAutocompleteHandler"/>) for suggestions.</summary>
    public bool Autocomplete { get; set; }

    /// <summary>Minimum value of a numeric option (NaN = none).</summary>
    public double MinValue { get; set; } = double.NaN;

    /// <summary>Maximum value of a numeric option (NaN = none).</summary>
    public double MaxValue { get; set; } = double.NaN;

    /// <summary>Minimum length of a string option (-1 = none).</summary>
    public int MinLength { get; set; } = -1;

    /// <summary>Maximum length of a string option (-1 = none).</summary>
    public int MaxLength { get; set; } = -1;

    /// <summary>Channel types allowed for a channel option (Discord channel type numbers; empty = any).</summary>
    public int[] ChannelTypes { get; set; } = [];
}

/// <summary>A fixed choice of an option (up to 25 per option).</summary>
/// <param name="name">Shown to the user.</param>
/// <param name="value">Sent to the bot (string, or a number for numeric options).</param>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = true, Inherited = true)]
public sealed class ChoiceAttribute(string name, object value) : Attribute
{
    /// <summary>Display name.</summary>
    public string Name { get; } = name;

    /// <summary>Value.</summary>
    public object Value { get; } = value;
}

/// <summary>
/// Marks a <see cref="ComponentHandler"/> or <see cref="ComponentHandler{TArgs}"/> as the handler of buttons or
/// select menus whose custom id matches <paramref name="template"/>. Placeholders in braces capture text into the
/// handler's argument properties of the same name: <c>task:complete:{taskId}</c>. A handler may carry several
/// templates (e.g. a legacy id scheme as well).
/// </summary>
/// <param name="template">Custom-id template (at most 100 characters, starting with a literal prefix).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ComponentAttribute(string template) : Attribute
{
    /// <summary>Custom-id template.</summary>
    public string Template { get; } = template;

    /// <summary>How the router defers when the handler is slow.</summary>
    public ComponentDeferMode Defer { get; set; } = ComponentDeferMode.EphemeralMessage;
}

/// <summary>What kind of deferral the router sends for a slow component handler.</summary>
public enum ComponentDeferMode
{
    /// <summary>A deferred ephemeral reply: the handler's reply becomes a new ephemeral message.</summary>
    EphemeralMessage,

    /// <summary>A deferred public reply.</summary>
    PublicMessage,

    /// <summary>A deferred update: the handler's reply edits the message the component is on.</summary>
    UpdateMessage,

    /// <summary>Never defer (handlers that show a modal must answer within the budget).</summary>
    None,
}

/// <summary>Marks a <see cref="ModalHandler{TModal}"/> as the handler of modals whose custom id matches the template.</summary>
/// <param name="template">Custom-id template with optional <c>{placeholders}</c>.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ModalAttribute(string template) : Attribute
{
    /// <summary>Custom-id template.</summary>
    public string Template { get; } = template;

    /// <summary>Whether the reply is ephemeral by default (and the deferral when the handler is slow).</summary>
    public bool Ephemeral { get; set; } = true;
}

/// <summary>Binds a property of a modal class to a text input of the modal.</summary>
/// <param name="customId">The text input's custom id.</param>
/// <param name="label">Its label (1-45 characters).</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ModalInputAttribute(string customId, string label) : Attribute
{
    /// <summary>Text input custom id.</summary>
    public string CustomId { get; } = customId;

    /// <summary>Label.</summary>
    public string Label { get; } = label;

    /// <summary>Multi-line input.</summary>
    public bool Paragraph { get; set; }

    /// <summary>Minimum length (-1 = none).</summary>
    public int MinLength { get; set; } = -1;

    /// <summary>Maximum length (-1 = none).</summary>
    public int MaxLength { get; set; } = -1;

    /// <summary>Placeholder text.</summary>
    public string? Placeholder { get; set; }

    /// <summary>Whether the input must be filled (default true).</summary>
    public bool Required { get; set; } = true;
}

/// <summary>
/// Requires Discord permissions of the invoking member. Guild owners and members with Administrator always pass.
/// </summary>
/// <param name="permissions">The permissions required (all of them).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class RequirePermissionAttribute(Permissions permissions) : Attribute
{
    /// <summary>Required permissions.</summary>
    public Permissions Permissions { get; } = permissions;

    /// <summary>Whether a guild may override the requirement for this command.</summary>
    public bool Customizable { get; set; }
}

/// <summary>Requires a Naffles community role of the invoker in the guild's linked community.</summary>
/// <param name="role">Minimum role: member, moderator, manager, admin or owner.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class RequireCommunityRoleAttribute(string role) : Attribute
{
    /// <summary>Minimum community role.</summary>
    public string Role { get; } = role;
}

/// <summary>Limits how often one user may run this handler: <paramref name="permits"/> per <paramref name="seconds"/>.</summary>
/// <param name="permits">Uses allowed in the window.</param>
/// <param name="seconds">Window length in seconds.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class RateLimitAttribute(int permits, int seconds) : Attribute
{
    /// <summary>Uses allowed per window.</summary>
    public int Permits { get; } = permits;

    /// <summary>Window in seconds.</summary>
    public int Seconds { get; } = seconds;

    /// <summary>Who the limit is counted for.</summary>
    public RateLimitScope Scope { get; set; } = RateLimitScope.User;
}

/// <summary>A per-user cooldown between uses of this handler.</summary>
/// <param name="seconds">Cooldown in seconds.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class CooldownAttribute(int seconds) : Attribute
{
    /// <summary>Cooldown in seconds.</summary>
    public int Seconds { get; } = seconds;
}

/// <summary>Whom a rate limit is counted for.</summary>
public enum RateLimitScope
{
    /// <summary>Each user separately.</summary>
    User,

    /// <summary>Each guild separately.</summary>
    Guild,

    /// <summary>Everyone together.</summary>
    Global,
}
