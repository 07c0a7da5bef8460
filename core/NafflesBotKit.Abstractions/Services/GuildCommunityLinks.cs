using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace NafflesBotKit.Services;

/// <summary>Which Naffles community a guild is linked to, as kept by the Communities plugin.</summary>
/// <param name="CommunityId">The Naffles community id.</param>
/// <param name="CommunityName">The community's name when it was linked.</param>
/// <param name="LinkedBy">The Discord user who linked it.</param>
/// <param name="LinkedAt">When it was linked.</param>
public sealed record GuildCommunityLink(string CommunityId, string? CommunityName, ulong LinkedBy, DateTimeOffset LinkedAt);

/// <summary>
/// The contract for sharing guild-to-community links between plugins. The Communities plugin (<see cref="OwnerPluginId"/>)
/// owns the links and writes one <see cref="GuildCommunityLink"/> per guild under <see cref="Key"/> in its guild-scoped
/// store. Other plugins read it through <see cref="IPluginStore.OpenShared"/>, which the deployment must allow
/// (configuration <c>Storage:Shares:naffles.communities</c> lists the readers); readers never write it.
/// </summary>
public static class GuildCommunityLinks
{
    /// <summary>The plugin that owns the links.</summary>
    public const string OwnerPluginId = "naffles.communities";

    /// <summary>The guild-scoped key of a guild's link.</summary>
    public const string Key = "community-link";

    /// <summary>The JSON shape of a link (source-generated, shared by writer and readers).</summary>
    public static JsonTypeInfo<GuildCommunityLink> TypeInfo => SdkJsonContext.Default.GuildCommunityLink;

    /// <summary>Reads a guild's link from the owner's shared store.</summary>
    /// <param name="store">The calling plugin's store (any scope).</param>
    /// <param name="guildId">The guild.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The link, or <see langword="null"/> when the guild is not linked.</returns>
    /// <exception cref="UnauthorizedAccessException">The deployment does not share the links with the calling plugin.</exception>
    public static ValueTask<GuildCommunityLink?> ReadAsync(IPluginStore store, ulong guildId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.OpenShared(OwnerPluginId).ForGuild(guildId).GetAsync(Key, TypeInfo, cancellationToken);
    }
}

[JsonSerializable(typeof(GuildCommunityLink))]
internal sealed partial class SdkJsonContext : JsonSerializerContext;
