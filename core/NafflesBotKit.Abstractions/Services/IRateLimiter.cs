namespace NafflesBotKit.Services;

/// <summary>One limit to apply: at most <paramref name="Permits"/> acquisitions of <paramref name="Key"/> per <paramref name="Window"/>.</summary>
/// <param name="Key">What is counted, e.g. <c>user:123</c>.</param>
/// <param name="Permits">Acquisitions allowed per window (at least 1).</param>
/// <param name="Window">The window; it starts with the first acquisition and resets when it ends.</param>
public readonly record struct RateLimitRule(string Key, int Permits, TimeSpan Window);

/// <summary>The outcome of a rate-limit check.</summary>
/// <param name="Allowed">Whether the acquisition was granted (then every rule was charged one permit).</param>
/// <param name="RetryAfter">When denied, how long until the limiting rule's window resets.</param>
/// <param name="LimitedKey">When denied, the key of the limiting rule.</param>
/// <param name="Remaining">When allowed, the fewest permits left among the rules.</param>
public readonly record struct RateLimitDecision(bool Allowed, TimeSpan RetryAfter, string? LimitedKey, int Remaining)
{
    /// <summary>An allowed decision with <paramref name="remaining"/> permits left.</summary>
    /// <param name="remaining">Permits left.</param>
    /// <returns>The decision.</returns>
    public static RateLimitDecision Granted(int remaining) => new(true, TimeSpan.Zero, null, remaining);

    /// <summary>A denied decision.</summary>
    /// <param name="key">The limiting key.</param>
    /// <param name="retryAfter">Time until it resets.</param>
    /// <returns>The decision.</returns>
    public static RateLimitDecision Denied(string key, TimeSpan retryAfter) => new(false, retryAfter, key, 0);
}

/// <summary>
/// Fixed-window rate limits shared by the host and plugins (in memory by default, in Redis when configured so several
/// hosts share the counters). Interactions are limited by the host before handlers run; plugins declare their limits
/// with <c>[RateLimit]</c> and <c>[Cooldown]</c> and use this interface only for limits of their own (keys a plugin
/// passes are prefixed with its id).
/// </summary>
public interface IRateLimiter
{
    /// <summary>
    /// Checks every rule and, only if all of them have a permit left, charges one permit to each (all or nothing, one
    /// atomic decision).
    /// </summary>
    /// <param name="rules">The rules (keys distinct).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The decision.</returns>
    ValueTask<RateLimitDecision> TryAcquireAsync(IReadOnlyList<RateLimitRule> rules, CancellationToken cancellationToken = default);
}
