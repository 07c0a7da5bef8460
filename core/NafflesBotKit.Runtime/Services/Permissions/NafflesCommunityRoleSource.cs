using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Naffles;
using NafflesBotKit.Runtime.Services.Store;
using NafflesBotKit.Services;

namespace NafflesBotKit.Runtime.Services.Permissions;

/// <summary>
/// Community roles from the Naffles platform: the guild's linked community (kept by the Communities plugin), the
/// invoker's Naffles account (by Discord id) and their membership role. Null — so role checks refuse — when there is
/// no Naffles API, the guild is not linked, the account is not linked or the user is not a member. Cached for five
/// minutes by <see cref="CachedCommunityRoleSource"/>.
/// </summary>
internal sealed partial class NafflesCommunityRoleSource(IServiceProvider services, PluginStoreFactory stores, ILogger<NafflesCommunityRoleSource> logger) : ICommunityRoleSource
{
    public async ValueTask<CommunityRole?> GetRoleAsync(ulong guildId, ulong userId, CancellationToken cancellationToken)
    {
        var naffles = services.GetService<INafflesApi>();
        if (naffles is null)
        {
            return null;
        }

        var link = await stores.For(GuildCommunityLinks.OwnerPluginId).ForGuild(guildId)
            .GetAsync(GuildCommunityLinks.Key, GuildCommunityLinks.TypeInfo, cancellationToken).ConfigureAwait(false);
        if (link is null)
        {
            return null;
        }

        var user = await naffles.Users.GetUserByDiscordIdAsync(userId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return null;
        }

        var membership = await naffles.Communities.GetCommunityMembershipAsync(link.CommunityId, user.Id, cancellationToken).ConfigureAwait(false);
        if (membership is null)
        {
            return null;
        }

        if (Enum.TryParse<CommunityRole>(membership.Role, ignoreCase: true, out var role) && Enum.IsDefined(role))
        {
            return role;
        }

        LogUnknownRole(logger, membership.Role, link.CommunityId);
        return null;
    }

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "Naffles returned an unknown community role '{Role}' in community {CommunityId}; treated as no role")]
    private static partial void LogUnknownRole(ILogger logger, string role, string communityId);
}
