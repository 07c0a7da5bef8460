using Microsoft.Extensions.Logging;
using NafflesBotKit.Events;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Services;
using DiscordPermissions = NafflesBotKit.Interactions.Permissions;

namespace NafflesBotKit.Runtime.Services.Permissions;

/// <summary>
/// Checks <c>[RequirePermission]</c> and <c>[RequireCommunityRole]</c> before handlers run (order 100). Discord
/// permissions come from the interaction's member payload (no REST call); the guild's owner and members with
/// Administrator pass every Discord permission check. A guild may override the permissions of a command marked
/// <c>Customizable</c>. Community roles come from <see cref="ICommunityRoleSource"/> (cached 5 minutes). A refusal is
/// an ephemeral error naming what is missing, and a <see cref="SecurityEvent"/> on the bus.
/// </summary>
public sealed partial class PermissionGuard(
    IGuildOwnerLookup owners,
    IPermissionOverrides overrides,
    CachedCommunityRoleSource roles,
    IEventBus bus,
    TimeProvider time,
    ILogger<PermissionGuard> logger) : IInteractionGuard
{
    /// <inheritdoc />
    public int Order => 100;

    /// <inheritdoc />
    public async ValueTask<GuardResult> CheckAsync(Interaction interaction, RouteInfo route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        ArgumentNullException.ThrowIfNull(route);
        var permission = route.Get<RequirePermissionAttribute>();
        var communityRole = route.Get<RequireCommunityRoleAttribute>();
        if (permission is null && communityRole is null)
        {
            return GuardResult.Allow;
        }

        if (interaction.GuildId is not { } guildId)
        {
            return await DenyAsync(interaction, route, "Server only", "🚫 This can only be used in a server.", "guild-only", cancellationToken).ConfigureAwait(false);
        }

        if (permission is not null)
        {
            var required = permission.Permissions;
            if (permission.Customizable && route.Kind == RouteKind.Command
                && await overrides.GetAsync(guildId, route.Name, cancellationToken).ConfigureAwait(false) is { } overridden)
            {
                required = overridden;
            }

            var member = interaction.Member?.Permissions ?? DiscordPermissions.None;
            var exempt = (member & DiscordPermissions.Administrator) != 0 || owners.GetOwnerId(guildId) == interaction.User.Id;
            var missing = required & ~member;
            if (!exempt && missing != DiscordPermissions.None)
            {
                var names = PermissionNames.Describe(missing);
                var list = string.Join(", ", names.Select(n => $"**{n}**"));
                var text = names.Count == 1
                    ? $"🚫 You need the {list} permission to use this."
                    : $"🚫 You need these permissions to use this: {list}.";
                return await DenyAsync(interaction, route, "Missing permissions", text, "missing-permissions:" + string.Join(", ", names), cancellationToken).ConfigureAwait(false);
            }
        }

        if (communityRole is not null)
        {
            if (!Enum.TryParse<CommunityRole>(communityRole.Role, ignoreCase: true, out var needed) || !Enum.IsDefined(needed))
            {
                LogUnknownRole(logger, route.PluginId, route.Name, communityRole.Role);
                return await DenyAsync(interaction, route, "Unavailable", "🚫 This command is misconfigured; please tell the server administrators.", "unknown-community-role", cancellationToken).ConfigureAwait(false);
            }

            CommunityRole? actual;
            try
            {
                actual = await roles.GetRoleAsync(guildId, interaction.User.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogRoleLookupFailed(logger, ex, guildId, interaction.User.Id);
                return GuardResult.Deny(
                    MessagePayload.FromEmbed(NafflesEmbeds.Error("Unable to verify permissions", "🚫 Your community role could not be checked right now.", ["Try again in a moment"])),
                    "community-role-unavailable");
            }

            if (actual is null)
            {
                return await DenyAsync(interaction, route, "Missing community role", $"🚫 You need the **{needed}** role in this server's Naffles community to use this; you are not a member of it.", "missing-community-role:" + needed, cancellationToken).ConfigureAwait(false);
            }

            if (actual < needed)
            {
                return await DenyAsync(interaction, route, "Missing community role", $"🚫 You need the **{needed}** role (or higher) in this server's Naffles community to use this; you are **{actual}**.", "missing-community-role:" + needed, cancellationToken).ConfigureAwait(false);
            }
        }

        return GuardResult.Allow;
    }

    private async ValueTask<GuardResult> DenyAsync(Interaction interaction, RouteInfo route, string title, string text, string reason, CancellationToken cancellationToken)
    {
        var detail = text.Replace("🚫 ", string.Empty, StringComparison.Ordinal);
        await bus.PublishAsync(
            new SecurityEvent(SecurityEventKind.PermissionDenied, SecuritySeverity.Low, interaction.GuildId, interaction.User.Id, route.Name, detail, time.GetUtcNow()),
            cancellationToken).ConfigureAwait(false);
        return GuardResult.Deny(MessagePayload.FromEmbed(NafflesEmbeds.Error(title, text)), reason);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Handler {Route} of plugin {PluginId} requires unknown community role '{Role}' (member, moderator, manager, admin, owner)")]
    private static partial void LogUnknownRole(ILogger logger, string pluginId, string route, string role);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Community role of user {UserId} in guild {GuildId} could not be looked up")]
    private static partial void LogRoleLookupFailed(ILogger logger, Exception exception, ulong guildId, ulong userId);
}
