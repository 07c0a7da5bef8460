namespace NafflesBotKit.Discord.Gateway;

/// <summary>
/// Gateway intents (Discord API v10). Configuration binds either a number (<c>"513"</c>) or names
/// (<c>"Guilds, GuildMessages"</c>). Privileged intents (marked) must be enabled in the Developer Portal, or the
/// gateway closes with 4014.
/// </summary>
[Flags]
public enum GatewayIntents
{
    /// <summary>No intents.</summary>
    None = 0,

    /// <summary>GUILDS.</summary>
    Guilds = 1 << 0,

    /// <summary>GUILD_MEMBERS (privileged).</summary>
    GuildMembers = 1 << 1,

    /// <summary>GUILD_MODERATION.</summary>
    GuildModeration = 1 << 2,

    /// <summary>GUILD_EXPRESSIONS.</summary>
    GuildExpressions = 1 << 3,

    /// <summary>GUILD_INTEGRATIONS.</summary>
    GuildIntegrations = 1 << 4,

    /// <summary>GUILD_WEBHOOKS.</summary>
    GuildWebhooks = 1 << 5,

    /// <summary>GUILD_INVITES.</summary>
    GuildInvites = 1 << 6,

    /// <summary>GUILD_VOICE_STATES.</summary>
    GuildVoiceStates = 1 << 7,

    /// <summary>GUILD_PRESENCES (privileged).</summary>
    GuildPresences = 1 << 8,

    /// <summary>GUILD_MESSAGES.</summary>
    GuildMessages = 1 << 9,

    /// <summary>GUILD_MESSAGE_REACTIONS.</summary>
    GuildMessageReactions = 1 << 10,

    /// <summary>GUILD_MESSAGE_TYPING.</summary>
    GuildMessageTyping = 1 << 11,

    /// <summary>DIRECT_MESSAGES.</summary>
    DirectMessages = 1 << 12,

    /// <summary>DIRECT_MESSAGE_REACTIONS.</summary>
    DirectMessageReactions = 1 << 13,

    /// <summary>DIRECT_MESSAGE_TYPING.</summary>
    DirectMessageTyping = 1 << 14,

    /// <summary>MESSAGE_CONTENT (privileged).</summary>
    MessageContent = 1 << 15,

    /// <summary>GUILD_SCHEDULED_EVENTS.</summary>
    GuildScheduledEvents = 1 << 16,

    /// <summary>AUTO_MODERATION_CONFIGURATION.</summary>
    AutoModerationConfiguration = 1 << 20,

    /// <summary>AUTO_MODERATION_EXECUTION.</summary>
    AutoModerationExecution = 1 << 21,

    /// <summary>GUILD_MESSAGE_POLLS.</summary>
    GuildMessagePolls = 1 << 24,

    /// <summary>DIRECT_MESSAGE_POLLS.</summary>
    DirectMessagePolls = 1 << 25,
}

/// <summary>Helpers for <see cref="GatewayIntents"/>.</summary>
public static class GatewayIntentsExtensions
{
    /// <summary>Every documented intent bit.</summary>
    public const GatewayIntents All =
        GatewayIntents.Guilds | GatewayIntents.GuildMembers | GatewayIntents.GuildModeration | GatewayIntents.GuildExpressions
        | GatewayIntents.GuildIntegrations | GatewayIntents.GuildWebhooks | GatewayIntents.GuildInvites | GatewayIntents.GuildVoiceStates
        | GatewayIntents.GuildPresences | GatewayIntents.GuildMessages | GatewayIntents.GuildMessageReactions | GatewayIntents.GuildMessageTyping
        | GatewayIntents.DirectMessages | GatewayIntents.DirectMessageReactions | GatewayIntents.DirectMessageTyping | GatewayIntents.MessageContent
        | GatewayIntents.GuildScheduledEvents | GatewayIntents.AutoModerationConfiguration | GatewayIntents.AutoModerationExecution
        | GatewayIntents.GuildMessagePolls | GatewayIntents.DirectMessagePolls;

    /// <summary>The privileged intents (Developer Portal switches).</summary>
    public const GatewayIntents Privileged = GatewayIntents.GuildMembers | GatewayIntents.GuildPresences | GatewayIntents.MessageContent;

    /// <summary>True when every set bit is a documented intent (an unknown bit closes the gateway with 4013).</summary>
    /// <param name="intents">The intents.</param>
    public static bool IsDocumented(this GatewayIntents intents) => (intents & ~All) == 0;
}
