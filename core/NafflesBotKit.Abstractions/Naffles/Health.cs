namespace NafflesBotKit.Naffles;

/// <summary>The platform's reported health.</summary>
public sealed record NafflesHealth
{
    /// <summary>The status, <c>healthy</c> when all is well.</summary>
    public string Status { get; init; } = "";

    /// <summary>The service name.</summary>
    public string? Service { get; init; }

    /// <summary>The service version.</summary>
    public string? Version { get; init; }

    /// <summary>The server time of the check.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Whether <see cref="Status"/> says healthy.</summary>
    public bool IsHealthy => string.Equals(Status, "healthy", StringComparison.OrdinalIgnoreCase);
}
