namespace NafflesBotKit.Naffles;

/// <summary>A webhook registered with the platform.</summary>
public sealed record WebhookRegistration
{
    /// <summary>The registration id (the published backend's <c>_id</c> is accepted too).</summary>
    public string Id { get; init; } = "";

    /// <summary>The delivery URL.</summary>
    public string? Url { get; init; }

    /// <summary>The subscribed events.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];

    /// <summary>Whether deliveries are active.</summary>
    public bool Active { get; init; }
}

/// <summary>Event names the platform delivers (seed "Webhook Integration").</summary>
public static class NafflesWebhookEvents
{
    /// <summary>A user completed a social task.</summary>
    public const string TaskCompleted = "task-completed";

    /// <summary>An allowlist changed: an entry was added, its status changed, or winners were selected.</summary>
    public const string AllowlistUpdated = "allowlist-updated";

    /// <summary>A community's settings changed.</summary>
    public const string CommunityUpdated = "community-updated";
}

/// <summary>Header names of a signed Naffles webhook delivery.</summary>
public static class NafflesWebhookHeaders
{
    /// <summary>Hex HMAC-SHA256 of <c>{timestamp}.{body}</c> with the shared secret.</summary>
    public const string Signature = "x-naffles-signature";

    /// <summary>Unix seconds at signing; deliveries older than 300 s are rejected.</summary>
    public const string Timestamp = "x-naffles-timestamp";

    /// <summary>A unique id per delivery, for de-duplication.</summary>
    public const string DeliveryId = "x-naffles-delivery";
}
