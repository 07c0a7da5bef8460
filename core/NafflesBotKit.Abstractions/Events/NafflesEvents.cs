namespace NafflesBotKit.Events;

/// <summary>
/// A verified, de-duplicated Naffles webhook delivery, published on the <see cref="IEventBus"/> by the Webhooks
/// plugin. Feature plugins subscribe with <see cref="IEventHandler{TEvent}"/> to the concrete types below.
/// </summary>
public abstract record NafflesWebhookEvent
{
    /// <summary>The delivery's id (the <c>x-naffles-delivery</c> header, or one derived from signature and timestamp).</summary>
    public required string DeliveryId { get; init; }

    /// <summary>When Naffles says the event happened (the payload's timestamp, else the signed timestamp).</summary>
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary><c>task-completed</c>: a user completed a social task.</summary>
public sealed record NafflesTaskCompleted : NafflesWebhookEvent
{
    /// <summary>The task.</summary>
    public required string TaskId { get; init; }

    /// <summary>The Naffles user who completed it.</summary>
    public string? UserId { get; init; }

    /// <summary>How many users have completed the task (<c>completionData.completedBy</c>).</summary>
    public int? CompletedBy { get; init; }

    /// <summary>Share of the community that completed it, 0-1 (<c>completionData.completionRate</c>).</summary>
    public double? CompletionRate { get; init; }
}

/// <summary><c>allowlist-updated</c> with <c>updateType: entry_added</c>.</summary>
public sealed record NafflesAllowlistEntryAdded : NafflesWebhookEvent
{
    /// <summary>The allowlist.</summary>
    public required string AllowlistId { get; init; }

    /// <summary>Entries after this one (<c>data.newEntryCount</c>).</summary>
    public required int NewEntryCount { get; init; }
}

/// <summary><c>allowlist-updated</c> with <c>updateType: status_changed</c>.</summary>
public sealed record NafflesAllowlistStatusChanged : NafflesWebhookEvent
{
    /// <summary>The allowlist.</summary>
    public required string AllowlistId { get; init; }

    /// <summary>The new status (e.g. <c>active</c>, <c>closed</c>, <c>completed</c>, <c>cancelled</c>).</summary>
    public required string NewStatus { get; init; }
}

/// <summary>A winner of an allowlist draw.</summary>
/// <param name="UserId">Naffles user id.</param>
/// <param name="DiscordId">Discord user id, when the account is linked.</param>
/// <param name="WalletAddress">Wallet address, when known.</param>
public sealed record AllowlistWinner(string? UserId, string? DiscordId, string? WalletAddress);

/// <summary><c>allowlist-updated</c> with <c>updateType: winners_selected</c>.</summary>
public sealed record NafflesAllowlistWinnersSelected : NafflesWebhookEvent
{
    /// <summary>The allowlist.</summary>
    public required string AllowlistId { get; init; }

    /// <summary>The winners (<c>data.winners</c>).</summary>
    public required IReadOnlyList<AllowlistWinner> Winners { get; init; }
}

/// <summary><c>community-updated</c>: community fields changed.</summary>
public sealed record NafflesCommunityUpdated : NafflesWebhookEvent
{
    /// <summary>The community.</summary>
    public required string CommunityId { get; init; }

    /// <summary>Changed fields and their new values, as strings (<c>changes</c>).</summary>
    public IReadOnlyDictionary<string, string> Changes { get; init; } = new Dictionary<string, string>();
}
