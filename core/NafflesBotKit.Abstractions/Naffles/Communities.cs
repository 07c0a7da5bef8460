using System.Text.Json;
using System.Text.Json.Serialization;

namespace NafflesBotKit.Naffles;

/// <summary>A Naffles community.</summary>
public sealed record NafflesCommunity
{
    /// <summary>The community id (the published backend's <c>_id</c> is accepted too).</summary>
    public string Id { get; init; } = "";

    /// <summary>The display name.</summary>
    public string? Name { get; init; }

    /// <summary>The description.</summary>
    public string? Description { get; init; }

    /// <summary>The linked Discord guild id, if any.</summary>
    public string? DiscordGuildId { get; init; }

    /// <summary>The number of members, when reported.</summary>
    public int? MemberCount { get; init; }

    /// <summary>When the community was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Fields this SDK version does not model (e.g. the backend's <c>pointsConfiguration</c>).</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalData { get; set; }
}

/// <summary>The link between a community and a Discord guild.</summary>
public sealed record DiscordServerLink
{
    /// <summary>The community id.</summary>
    public string CommunityId { get; init; } = "";

    /// <summary>The Discord guild id.</summary>
    public string GuildId { get; init; } = "";

    /// <summary>The Discord user who created the link.</summary>
    public string? LinkedBy { get; init; }

    /// <summary>When the link was created.</summary>
    public DateTimeOffset? LinkedAt { get; init; }
}

/// <summary>A member in a community listing.</summary>
public sealed record CommunityMember
{
    /// <summary>The Naffles user id.</summary>
    public string UserId { get; init; } = "";

    /// <summary>The user's name, when reported.</summary>
    public string? Username { get; init; }

    /// <summary>The user's role; see <see cref="CommunityRoles"/>.</summary>
    public string Role { get; init; } = CommunityRoles.Member;

    /// <summary>When the user joined.</summary>
    public DateTimeOffset? JoinedAt { get; init; }

    /// <summary>The user's points in this community, when reported.</summary>
    public long? Points { get; init; }
}

/// <summary>One user's membership in one community.</summary>
public sealed record CommunityMembership
{
    /// <summary>The community id.</summary>
    public string CommunityId { get; init; } = "";

    /// <summary>The Naffles user id.</summary>
    public string UserId { get; init; } = "";

    /// <summary>The role; see <see cref="CommunityRoles"/>.</summary>
    public string Role { get; init; } = CommunityRoles.Member;

    /// <summary>When the user joined.</summary>
    public DateTimeOffset? JoinedAt { get; init; }

    /// <summary>Whether this membership's role is at least <paramref name="requiredRole"/>.</summary>
    /// <param name="requiredRole">The minimum role.</param>
    /// <returns><see langword="true"/> when the role ranks at or above the required one.</returns>
    public bool HasAtLeast(string requiredRole) => CommunityRoles.IsAtLeast(Role, requiredRole);
}

/// <summary>Paging and sorting for <see cref="ICommunitiesApi.GetCommunityMembersAsync"/>; defaults are the seed's.</summary>
public sealed record CommunityMembersQuery
{
    /// <summary>The 1-based page (default 1).</summary>
    public int Page { get; init; } = 1;

    /// <summary>The page size (default 50).</summary>
    public int Limit { get; init; } = 50;

    /// <summary>The sort field (default <c>joinedAt</c>).</summary>
    public string Sort { get; init; } = "joinedAt";

    /// <summary>The sort order, <c>asc</c> or <c>desc</c> (default <c>desc</c>).</summary>
    public string Order { get; init; } = "desc";
}

/// <summary>Community roles and their order: member &lt; moderator &lt; manager &lt; admin &lt; owner.</summary>
public static class CommunityRoles
{
    /// <summary>An ordinary member.</summary>
    public const string Member = "member";

    /// <summary>A moderator.</summary>
    public const string Moderator = "moderator";

    /// <summary>A manager.</summary>
    public const string Manager = "manager";

    /// <summary>An administrator.</summary>
    public const string Admin = "admin";

    /// <summary>The owner.</summary>
    public const string Owner = "owner";

    /// <summary>The roles from lowest to highest.</summary>
    public static IReadOnlyList<string> Hierarchy { get; } = [Member, Moderator, Manager, Admin, Owner];

    /// <summary>The rank of a role (0 = member), or -1 for an unknown role. Case-insensitive.</summary>
    /// <param name="role">The role name.</param>
    /// <returns>The rank.</returns>
    public static int Rank(string? role)
    {
        for (var i = 0; i < Hierarchy.Count; i++)
        {
            if (string.Equals(Hierarchy[i], role, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether <paramref name="role"/> ranks at or above <paramref name="requiredRole"/>; an unknown role never qualifies.</summary>
    /// <param name="role">The role held.</param>
    /// <param name="requiredRole">The role required.</param>
    /// <returns><see langword="true"/> when sufficient.</returns>
    public static bool IsAtLeast(string? role, string requiredRole)
    {
        var held = Rank(role);
        return held >= 0 && held >= Rank(requiredRole);
    }
}
