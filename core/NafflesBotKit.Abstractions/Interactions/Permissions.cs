namespace NafflesBotKit.Interactions;

/// <summary>Discord permission bits (API v10), as carried in an interaction's member payload.</summary>
[Flags]
#pragma warning disable CA1711 // The name is Discord's.
public enum Permissions : ulong
#pragma warning restore CA1711
{
    /// <summary>No permissions.</summary>
    None = 0,

    /// <summary>CREATE_INSTANT_INVITE.</summary>
    CreateInstantInvite = 1UL << 0,

    /// <summary>KICK_MEMBERS.</summary>
    KickMembers = 1UL << 1,

    /// <summary>BAN_MEMBERS.</summary>
    BanMembers = 1UL << 2,

    /// <summary>ADMINISTRATOR: passes every permission check.</summary>
    Administrator = 1UL << 3,

    /// <summary>MANAGE_CHANNELS.</summary>
    ManageChannels = 1UL << 4,

    /// <summary>MANAGE_GUILD ("Manage Server").</summary>
    ManageGuild = 1UL << 5,

    /// <summary>ADD_REACTIONS.</summary>
    AddReactions = 1UL << 6,

    /// <summary>VIEW_AUDIT_LOG.</summary>
    ViewAuditLog = 1UL << 7,

    /// <summary>VIEW_CHANNEL.</summary>
    ViewChannel = 1UL << 10,

    /// <summary>SEND_MESSAGES.</summary>
    SendMessages = 1UL << 11,

    /// <summary>MANAGE_MESSAGES.</summary>
    ManageMessages = 1UL << 13,

    /// <summary>EMBED_LINKS.</summary>
    EmbedLinks = 1UL << 14,

    /// <summary>ATTACH_FILES.</summary>
    AttachFiles = 1UL << 15,

    /// <summary>READ_MESSAGE_HISTORY.</summary>
    ReadMessageHistory = 1UL << 16,

    /// <summary>MENTION_EVERYONE.</summary>
    MentionEveryone = 1UL << 17,

    /// <summary>USE_EXTERNAL_EMOJIS.</summary>
    UseExternalEmojis = 1UL << 18,

    /// <summary>MANAGE_ROLES.</summary>
    ManageRoles = 1UL << 28,

    /// <summary>MANAGE_WEBHOOKS.</summary>
    ManageWebhooks = 1UL << 29,

    /// <summary>USE_APPLICATION_COMMANDS.</summary>
    UseApplicationCommands = 1UL << 31,

    /// <summary>MODERATE_MEMBERS.</summary>
    ModerateMembers = 1UL << 40,
}
