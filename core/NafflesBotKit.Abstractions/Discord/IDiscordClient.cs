using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;

namespace NafflesBotKit.Discord;

/// <summary>
/// The Discord REST calls a plugin may make outside an interaction: post, edit and delete channel messages, read a
/// guild member, add or remove a role, and send a direct message. Every call goes through the host's rate limiter;
/// failures raise <see cref="DiscordApiException"/> carrying Discord's error code.
/// </summary>
public interface IDiscordClient
{
    /// <summary>Posts a message in a channel (needs SEND_MESSAGES; files are uploaded as multipart).</summary>
    /// <param name="channelId">The channel.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancellation; also abandons a request still waiting for its rate-limit bucket.</param>
    /// <returns>The new message's id.</returns>
    ValueTask<ulong> SendMessageAsync(ulong channelId, MessagePayload message, CancellationToken cancellationToken);

    /// <summary>Edits a message the bot posted.</summary>
    /// <param name="channelId">The channel.</param>
    /// <param name="messageId">The message.</param>
    /// <param name="message">The new content, embeds and components (replaces the old ones).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask EditMessageAsync(ulong channelId, ulong messageId, MessagePayload message, CancellationToken cancellationToken);

    /// <summary>Deletes a message.</summary>
    /// <param name="channelId">The channel.</param>
    /// <param name="messageId">The message.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask DeleteMessageAsync(ulong channelId, ulong messageId, CancellationToken cancellationToken);

    /// <summary>Reads a guild member.</summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The member, or <see langword="null"/> when the user is not in the guild (Discord error 10007).</returns>
    ValueTask<GuildMember?> GetMemberAsync(ulong guildId, ulong userId, CancellationToken cancellationToken);

    /// <summary>Gives a member a role (needs MANAGE_ROLES and a role below the bot's highest).</summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="userId">The member.</param>
    /// <param name="roleId">The role.</param>
    /// <param name="auditLogReason">Shown in the guild's audit log, or null.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask AddRoleAsync(ulong guildId, ulong userId, ulong roleId, string? auditLogReason, CancellationToken cancellationToken);

    /// <summary>Takes a role from a member (needs MANAGE_ROLES).</summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="userId">The member.</param>
    /// <param name="roleId">The role.</param>
    /// <param name="auditLogReason">Shown in the guild's audit log, or null.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask RemoveRoleAsync(ulong guildId, ulong userId, ulong roleId, string? auditLogReason, CancellationToken cancellationToken);

    /// <summary>Sends a user a direct message (opens the DM channel first).</summary>
    /// <param name="userId">The user.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The new message's id.</returns>
    ValueTask<ulong> SendDirectMessageAsync(ulong userId, MessagePayload message, CancellationToken cancellationToken);
}

/// <summary>A guild member as returned by Discord.</summary>
/// <param name="GuildId">The guild.</param>
/// <param name="User">The user.</param>
/// <param name="Roles">Role ids.</param>
/// <param name="Nick">Guild nickname, if set.</param>
/// <param name="JoinedAt">When the user joined the guild.</param>
public sealed record GuildMember(ulong GuildId, DiscordUser User, IReadOnlyList<ulong> Roles, string? Nick = null, DateTimeOffset? JoinedAt = null);
