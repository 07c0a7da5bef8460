using NafflesBotKit.Interactions;

namespace NafflesBotKit.Services;

/// <summary>Naffles community roles, lowest first.</summary>
public enum CommunityRole
{
    /// <summary>A member of the community.</summary>
    Member = 1,

    /// <summary>A moderator.</summary>
    Moderator = 2,

    /// <summary>A manager.</summary>
    Manager = 3,

    /// <summary>An administrator.</summary>
    Admin = 4,

    /// <summary>The community's owner.</summary>
    Owner = 5,
}

/// <summary>
/// Tells the invoker's role in the Naffles community linked to a guild (implemented with the Naffles API's community
/// membership endpoint). The host caches answers for 5 minutes per guild and user.
/// </summary>
public interface ICommunityRoleSource
{
    /// <summary>The user's role in the community linked to <paramref name="guildId"/>.</summary>
    /// <param name="guildId">The Discord guild.</param>
    /// <param name="userId">The Discord user.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The role, or null when the guild is not linked, the account is not linked or the user is not a member.</returns>
    ValueTask<CommunityRole?> GetRoleAsync(ulong guildId, ulong userId, CancellationToken cancellationToken);
}

/// <summary>
/// Per-guild overrides of the Discord permissions a command requires. Only commands whose
/// <see cref="RequirePermissionAttribute.Customizable"/> is set honour an override.
/// </summary>
public interface IPermissionOverrides
{
    /// <summary>The override for a command in a guild, if any.</summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="commandPath">The command path, e.g. <c>naffles-create-task</c>.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The permissions required instead of the command's own, or null.</returns>
    ValueTask<Permissions?> GetAsync(ulong guildId, string commandPath, CancellationToken cancellationToken = default);

    /// <summary>Sets the permissions a command requires in a guild (<see cref="Permissions.None"/>: everyone may use it).</summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="commandPath">The command path.</param>
    /// <param name="permissions">The permissions to require.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask SetAsync(ulong guildId, string commandPath, Permissions permissions, CancellationToken cancellationToken = default);

    /// <summary>Removes an override, restoring the command's own requirement.</summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="commandPath">The command path.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>True when there was an override.</returns>
    ValueTask<bool> ClearAsync(ulong guildId, string commandPath, CancellationToken cancellationToken = default);

    /// <summary>Every override of a guild, by command path.</summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The overrides.</returns>
    ValueTask<IReadOnlyDictionary<string, Permissions>> ListAsync(ulong guildId, CancellationToken cancellationToken = default);
}
