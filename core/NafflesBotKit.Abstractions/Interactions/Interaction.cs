namespace NafflesBotKit.Interactions;

/// <summary>Discord interaction types.</summary>
public enum InteractionType
{
    /// <summary>PING (HTTP interactions only).</summary>
    Ping = 1,

    /// <summary>A slash command (or user/message command).</summary>
    ApplicationCommand = 2,

    /// <summary>A button click or select-menu choice.</summary>
    MessageComponent = 3,

    /// <summary>An autocomplete request for a focused option.</summary>
    ApplicationCommandAutocomplete = 4,

    /// <summary>A modal submission.</summary>
    ModalSubmit = 5,
}

/// <summary>
/// A received interaction, independent of transport (gateway or HTTP). Built by the Discord layer; plugins see it
/// through their handler's context.
/// </summary>
public sealed record Interaction
{
    /// <summary>Interaction id.</summary>
    public required ulong Id { get; init; }

    /// <summary>The application the interaction is for.</summary>
    public required ulong ApplicationId { get; init; }

    /// <summary>Kind of interaction.</summary>
    public required InteractionType Type { get; init; }

    /// <summary>Continuation token for responses (valid 15 minutes; first response due within 3 seconds).</summary>
    public required string Token { get; init; }

    /// <summary>The invoking user (the member's user in a guild).</summary>
    public required DiscordUser User { get; init; }

    /// <summary>The guild, or null in a DM.</summary>
    public ulong? GuildId { get; init; }

    /// <summary>The channel it was invoked in.</summary>
    public ulong? ChannelId { get; init; }

    /// <summary>The invoker as a guild member (null in a DM).</summary>
    public InteractionMember? Member { get; init; }

    /// <summary>The invoking user's locale (e.g. <c>en-US</c>).</summary>
    public string? Locale { get; init; }

    /// <summary>The guild's preferred locale.</summary>
    public string? GuildLocale { get; init; }

    /// <summary>Permissions the bot has in the channel.</summary>
    public Permissions AppPermissions { get; init; }

    /// <summary>Command data for <see cref="InteractionType.ApplicationCommand"/> and autocomplete.</summary>
    public CommandInteractionData? Command { get; init; }

    /// <summary>Component data for <see cref="InteractionType.MessageComponent"/>.</summary>
    public ComponentInteractionData? Component { get; init; }

    /// <summary>Modal data for <see cref="InteractionType.ModalSubmit"/>.</summary>
    public ModalInteractionData? Modal { get; init; }

    /// <summary>The message a component was on.</summary>
    public InteractionMessage? Message { get; init; }

    /// <summary>When the interaction was created (from its snowflake id).</summary>
    public DateTimeOffset CreatedAt => Snowflake.ToTimestamp(Id);
}

/// <summary>A Discord user.</summary>
/// <param name="Id">User id.</param>
/// <param name="Username">Unique username.</param>
/// <param name="GlobalName">Display name, if set.</param>
/// <param name="Avatar">Avatar hash, if set.</param>
/// <param name="IsBot">Whether the user is a bot.</param>
public sealed record DiscordUser(ulong Id, string Username, string? GlobalName = null, string? Avatar = null, bool IsBot = false)
{
    /// <summary>When the account was created (from its snowflake id).</summary>
    public DateTimeOffset CreatedAt => Snowflake.ToTimestamp(Id);

    /// <summary>A mention of the user (<c>&lt;@id&gt;</c>).</summary>
    public string Mention => $"<@{Id}>";
}

/// <summary>The invoking member's guild data.</summary>
/// <param name="Permissions">Total permissions of the member in the channel, including overwrites.</param>
/// <param name="Roles">Role ids.</param>
/// <param name="Nick">Guild nickname.</param>
/// <param name="JoinedAt">When the member joined the guild.</param>
public sealed record InteractionMember(Permissions Permissions, IReadOnlyList<ulong> Roles, string? Nick = null, DateTimeOffset? JoinedAt = null);

/// <summary>The message a component interaction came from.</summary>
/// <param name="Id">Message id.</param>
/// <param name="ChannelId">Channel id.</param>
/// <param name="IsEphemeral">Whether the message was ephemeral.</param>
public sealed record InteractionMessage(ulong Id, ulong ChannelId, bool IsEphemeral = false);

/// <summary>Application command option types.</summary>
public enum CommandOptionType
{
    /// <summary>A subcommand.</summary>
    SubCommand = 1,

    /// <summary>A group of subcommands.</summary>
    SubCommandGroup = 2,

    /// <summary>Text.</summary>
    String = 3,

    /// <summary>An integer between -2^53 and 2^53.</summary>
    Integer = 4,

    /// <summary>True or false.</summary>
    Boolean = 5,

    /// <summary>A user.</summary>
    User = 6,

    /// <summary>A channel.</summary>
    Channel = 7,

    /// <summary>A role.</summary>
    Role = 8,

    /// <summary>A user or role.</summary>
    Mentionable = 9,

    /// <summary>A double.</summary>
    Number = 10,

    /// <summary>An uploaded file.</summary>
    Attachment = 11,
}

/// <summary>Data of a command interaction.</summary>
public sealed record CommandInteractionData
{
    /// <summary>The command's id.</summary>
    public ulong Id { get; init; }

    /// <summary>The top-level command name.</summary>
    public required string Name { get; init; }

    /// <summary>1 chat input, 2 user, 3 message.</summary>
    public int CommandType { get; init; } = 1;

    /// <summary>Options (subcommands nest their own).</summary>
    public IReadOnlyList<CommandOptionValue> Options { get; init; } = [];

    /// <summary>Users, members, roles and channels referenced by options.</summary>
    public ResolvedData? Resolved { get; init; }

    /// <summary>Guild of a guild command.</summary>
    public ulong? GuildId { get; init; }

    /// <summary>Target of a user or message command.</summary>
    public ulong? TargetId { get; init; }
}

/// <summary>An option value as sent by Discord.</summary>
/// <param name="Name">Option name.</param>
/// <param name="Type">Option type.</param>
/// <param name="Value">The value: <see cref="string"/>, <see cref="long"/>, <see cref="double"/> or <see cref="bool"/>
/// (snowflakes arrive as strings); null for subcommands and groups.</param>
/// <param name="Options">Nested options of a subcommand or group.</param>
/// <param name="Focused">True for the option being autocompleted.</param>
public sealed record CommandOptionValue(string Name, CommandOptionType Type, object? Value = null, IReadOnlyList<CommandOptionValue>? Options = null, bool Focused = false);

/// <summary>Objects referenced by option values.</summary>
public sealed record ResolvedData
{
    /// <summary>Users by id.</summary>
    public IReadOnlyDictionary<ulong, DiscordUser> Users { get; init; } = new Dictionary<ulong, DiscordUser>();

    /// <summary>Members by user id.</summary>
    public IReadOnlyDictionary<ulong, InteractionMember> Members { get; init; } = new Dictionary<ulong, InteractionMember>();

    /// <summary>Roles by id.</summary>
    public IReadOnlyDictionary<ulong, DiscordRole> Roles { get; init; } = new Dictionary<ulong, DiscordRole>();

    /// <summary>Channels by id.</summary>
    public IReadOnlyDictionary<ulong, DiscordChannel> Channels { get; init; } = new Dictionary<ulong, DiscordChannel>();
}

/// <summary>A role referenced by an interaction.</summary>
/// <param name="Id">Role id.</param>
/// <param name="Name">Role name.</param>
/// <param name="Permissions">Role permissions.</param>
public sealed record DiscordRole(ulong Id, string Name, Permissions Permissions = Permissions.None)
{
    /// <summary>A mention of the role.</summary>
    public string Mention => $"<@&{Id}>";
}

/// <summary>A channel referenced by an interaction.</summary>
/// <param name="Id">Channel id.</param>
/// <param name="Name">Channel name.</param>
/// <param name="Type">Discord channel type (0 text, 2 voice, 4 category, 5 announcement, ...).</param>
/// <param name="Permissions">The invoker's permissions in the channel, when Discord sends them.</param>
public sealed record DiscordChannel(ulong Id, string? Name, int Type = 0, Permissions? Permissions = null)
{
    /// <summary>A mention of the channel.</summary>
    public string Mention => $"<#{Id}>";
}

/// <summary>Data of a component interaction.</summary>
/// <param name="CustomId">The clicked component's custom id.</param>
/// <param name="ComponentType">2 button, 3 string select, 5-8 other selects.</param>
/// <param name="Values">Chosen values of a select menu (empty for a button).</param>
public sealed record ComponentInteractionData(string CustomId, int ComponentType, IReadOnlyList<string> Values);

/// <summary>Data of a modal submission.</summary>
/// <param name="CustomId">The modal's custom id.</param>
/// <param name="Fields">Submitted text-input values by their custom id.</param>
public sealed record ModalInteractionData(string CustomId, IReadOnlyDictionary<string, string> Fields);

/// <summary>Snowflake helpers.</summary>
public static class Snowflake
{
    /// <summary>Discord's epoch (2015-01-01T00:00:00Z) in unix milliseconds.</summary>
    public const long DiscordEpochMilliseconds = 1420070400000;

    /// <summary>The creation time encoded in a snowflake.</summary>
    /// <param name="id">The snowflake.</param>
    public static DateTimeOffset ToTimestamp(ulong id) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(id >> 22) + DiscordEpochMilliseconds);

    /// <summary>A snowflake whose timestamp is <paramref name="time"/> (for tests and emulators).</summary>
    /// <param name="time">The timestamp.</param>
    /// <param name="increment">Low bits distinguishing ids made in the same millisecond.</param>
    public static ulong FromTimestamp(DateTimeOffset time, ulong increment = 0) =>
        ((ulong)(time.ToUnixTimeMilliseconds() - DiscordEpochMilliseconds) << 22) | (increment & 0x3FFFFF);
}
