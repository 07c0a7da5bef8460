using System.Text.Json;
using System.Text.Json.Serialization;

namespace NafflesBotKit.Naffles;

/// <summary>A Naffles user.</summary>
public sealed record NafflesUser
{
    /// <summary>The Naffles user id (the published backend's <c>_id</c> is accepted too).</summary>
    public string Id { get; init; } = "";

    /// <summary>The Naffles user name.</summary>
    public string? Username { get; init; }

    /// <summary>The linked Discord user id, if any.</summary>
    public string? DiscordId { get; init; }

    /// <summary>The linked Discord user name, if any.</summary>
    public string? DiscordUsername { get; init; }

    /// <summary>The primary wallet address, if any.</summary>
    public string? WalletAddress { get; init; }

    /// <summary>The user's points, when reported.</summary>
    public long? Points { get; init; }

    /// <summary>When the Discord account was linked.</summary>
    public DateTimeOffset? LinkedAt { get; init; }

    /// <summary>Fields this SDK version does not model.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalData { get; set; }
}

/// <summary>A Discord account to link (the seed's <c>discordData</c>).</summary>
public sealed record DiscordAccount
{
    /// <summary>The Discord user id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The Discord user name.</summary>
    public string Username { get; init; } = "";

    /// <summary>The legacy discriminator (<c>0</c> for migrated accounts).</summary>
    public string? Discriminator { get; init; }

    /// <summary>The avatar hash.</summary>
    public string? Avatar { get; init; }
}

/// <summary>An activity record for <see cref="IUsersApi.UpdateUserActivityAsync"/> (the seed's <c>activityData</c>).</summary>
public sealed record UserActivity
{
    /// <summary>What happened, e.g. <c>command_used</c>, <c>task_viewed</c>.</summary>
    public string Type { get; init; } = "";

    /// <summary>The Discord guild, if any.</summary>
    public string? GuildId { get; init; }

    /// <summary>Details.</summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }
}
