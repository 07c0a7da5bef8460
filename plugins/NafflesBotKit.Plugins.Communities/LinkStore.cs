using System.Globalization;
using System.Text.Json.Serialization;
using NafflesBotKit.Naffles;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.Communities;

[JsonSerializable(typeof(NafflesCommunity))]
[JsonSerializable(typeof(string))]
internal sealed partial class CommunitiesJson : JsonSerializerContext;

/// <summary>
/// The guild-to-community links: the shared record in the guild scope (<see cref="GuildCommunityLinks.Key"/>, read by
/// other plugins, deleted with the guild's data) and a global index <c>guilds/{guildId}</c> → community plus
/// <c>communities/{communityId}</c> → guild, which survives the host's guild-data deletion so a GuildLeft can still
/// unlink on Naffles and a community-updated event finds its guild.
/// </summary>
internal sealed class LinkStore(IPluginStore store)
{
    public ValueTask<GuildCommunityLink?> GetAsync(ulong guildId, CancellationToken cancellationToken) =>
        store.ForGuild(guildId).GetAsync(GuildCommunityLinks.Key, GuildCommunityLinks.TypeInfo, cancellationToken);

    public async ValueTask SaveAsync(ulong guildId, GuildCommunityLink link, CancellationToken cancellationToken)
    {
        await store.ForGuild(guildId).SetAsync(GuildCommunityLinks.Key, link, GuildCommunityLinks.TypeInfo, cancellationToken: cancellationToken).ConfigureAwait(false);
        await store.SetAsync(GuildKey(guildId), link.CommunityId, CommunitiesJson.Default.String, cancellationToken: cancellationToken).ConfigureAwait(false);
        await store.SetAsync(CommunityKey(link.CommunityId), guildId.ToString(CultureInfo.InvariantCulture), CommunitiesJson.Default.String, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The community a guild was linked to, from the global index (still there after the guild's data is gone).</summary>
    public ValueTask<string?> GetIndexedCommunityAsync(ulong guildId, CancellationToken cancellationToken) =>
        store.GetAsync(GuildKey(guildId), CommunitiesJson.Default.String, cancellationToken);

    public async ValueTask<ulong?> GetGuildOfAsync(string communityId, CancellationToken cancellationToken) =>
        await store.GetAsync(CommunityKey(communityId), CommunitiesJson.Default.String, cancellationToken).ConfigureAwait(false) is { } text
            && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public async ValueTask DeleteAsync(ulong guildId, string? communityId, CancellationToken cancellationToken)
    {
        await store.ForGuild(guildId).DeleteAsync(GuildCommunityLinks.Key, cancellationToken).ConfigureAwait(false);
        await store.DeleteAsync(GuildKey(guildId), cancellationToken).ConfigureAwait(false);
        if (communityId is not null)
        {
            await store.DeleteAsync(CommunityKey(communityId), cancellationToken).ConfigureAwait(false);
        }
    }

    private static string GuildKey(ulong guildId) => "guilds/" + guildId.ToString(CultureInfo.InvariantCulture);

    private static string CommunityKey(string communityId) => "communities/" + communityId;
}

/// <summary>Communities read through the bot cache, tagged <c>community:{id}</c> so a community-updated event refreshes them.</summary>
internal sealed class CommunityCache(IBotCache cache, INafflesApi naffles)
{
    public static string Tag(string communityId) => "community:" + communityId;

    public async ValueTask<NafflesCommunity> GetAsync(string communityId, CancellationToken cancellationToken) =>
        (await cache.GetOrCreateAsync(
            "community:" + communityId,
            CommunitiesJson.Default.NafflesCommunity,
            ct => new ValueTask<NafflesCommunity>(naffles.Communities.GetCommunityAsync(communityId, ct)),
            CacheEntryKind.Communities,
            [Tag(communityId)],
            cancellationToken).ConfigureAwait(false)).Value;

    public ValueTask InvalidateAsync(string communityId, CancellationToken cancellationToken) => cache.InvalidateTagAsync(Tag(communityId), cancellationToken);
}
