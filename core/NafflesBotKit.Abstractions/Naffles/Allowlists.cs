using System.Text.Json;
using System.Text.Json.Serialization;

namespace NafflesBotKit.Naffles;

/// <summary>An allowlist.</summary>
public sealed record Allowlist
{
    /// <summary>The allowlist id (the published backend's <c>_id</c> is accepted too).</summary>
    public string Id { get; init; } = "";

    /// <summary>The owning community id (a populated <c>{_id, name}</c> object is flattened to its id).</summary>
    public string? CommunityId { get; init; }

    /// <summary>The title.</summary>
    public string Title { get; init; } = "";

    /// <summary>The description.</summary>
    public string? Description { get; init; }

    /// <summary>The status: <c>active</c>, <c>completed</c> or <c>cancelled</c>.</summary>
    public string? Status { get; init; }

    /// <summary>How many winners are drawn, when a number.</summary>
    public int? WinnerCount { get; init; }

    /// <summary>The entry cap, if any.</summary>
    public int? MaxEntries { get; init; }

    /// <summary>The number of entries so far.</summary>
    public int? TotalEntries { get; init; }

    /// <summary>When entry closes.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>The entry price, if any.</summary>
    public AllowlistEntryPrice? EntryPrice { get; init; }

    /// <summary>Fields this SDK version does not model.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalData { get; set; }
}

/// <summary>An allowlist's entry price.</summary>
public sealed record AllowlistEntryPrice
{
    /// <summary>The token, e.g. <c>ETH</c>, <c>SOL</c>, <c>points</c>.</summary>
    public string? TokenType { get; init; }

    /// <summary>The amount as a decimal string.</summary>
    public string? Amount { get; init; }
}

/// <summary>Where an allowlist is shown in Discord (the seed's <c>connectionData</c>).</summary>
public sealed record AllowlistConnectionRequest
{
    /// <summary>The Discord guild id.</summary>
    public string GuildId { get; init; } = "";

    /// <summary>The Discord channel id.</summary>
    public string ChannelId { get; init; } = "";

    /// <summary>The Discord message id of the allowlist post, once posted.</summary>
    public string? MessageId { get; init; }

    /// <summary>The Discord user who connected it.</summary>
    public string? ConnectedBy { get; init; }
}

/// <summary>A stored allowlist-to-Discord connection.</summary>
public sealed record AllowlistDiscordConnection
{
    /// <summary>The allowlist id.</summary>
    public string AllowlistId { get; init; } = "";

    /// <summary>The Discord guild id.</summary>
    public string GuildId { get; init; } = "";

    /// <summary>The Discord channel id.</summary>
    public string ChannelId { get; init; } = "";

    /// <summary>The Discord message id.</summary>
    public string? MessageId { get; init; }

    /// <summary>Who connected it.</summary>
    public string? ConnectedBy { get; init; }

    /// <summary>When it was connected.</summary>
    public DateTimeOffset? ConnectedAt { get; init; }
}

/// <summary>Who enters an allowlist (the seed's <c>entryData</c>).</summary>
public sealed record AllowlistEntryRequest
{
    /// <summary>The Naffles user id.</summary>
    public string UserId { get; init; } = "";

    /// <summary>The Discord user id.</summary>
    public string? DiscordId { get; init; }

    /// <summary>The Discord user name.</summary>
    public string? Username { get; init; }

    /// <summary>The wallet address, when the allowlist needs one.</summary>
    public string? WalletAddress { get; init; }
}

/// <summary>An allowlist entry.</summary>
public sealed record AllowlistEntry
{
    /// <summary>The entry id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The allowlist id.</summary>
    public string AllowlistId { get; init; } = "";

    /// <summary>The Naffles user id.</summary>
    public string UserId { get; init; } = "";

    /// <summary>The Discord user id.</summary>
    public string? DiscordId { get; init; }

    /// <summary>The wallet address.</summary>
    public string? WalletAddress { get; init; }

    /// <summary>The entry status, e.g. <c>active</c>, <c>winner</c>.</summary>
    public string? Status { get; init; }

    /// <summary>Where the entry came from.</summary>
    public string? Source { get; init; }

    /// <summary>When the user entered.</summary>
    public DateTimeOffset? EnteredAt { get; init; }
}

/// <summary>The outcome of <see cref="IAllowlistsApi.EnterAllowlistAsync"/>.</summary>
/// <param name="Entry">The user's entry (new, or the one recorded earlier).</param>
/// <param name="AlreadyEntered">Whether the user had entered before this call.</param>
public sealed record AllowlistEntryResult(AllowlistEntry Entry, bool AlreadyEntered);

/// <summary>Paging and filter for <see cref="IAllowlistsApi.GetAllowlistEntriesAsync"/>; defaults are the seed's.</summary>
public sealed record AllowlistEntriesQuery
{
    /// <summary>The 1-based page (default 1).</summary>
    public int Page { get; init; } = 1;

    /// <summary>The page size (default 100).</summary>
    public int Limit { get; init; } = 100;

    /// <summary>The status filter (default <c>active</c>).</summary>
    public string Status { get; init; } = "active";
}
