using System.Text.Json.Serialization.Metadata;

namespace NafflesBotKit.Services;

/// <summary>Kinds of cached data; each has its own lifetime and size limit (configuration section <c>Cache</c>).</summary>
public enum CacheEntryKind
{
    /// <summary>Anything else (default 5 minutes).</summary>
    General,

    /// <summary>Naffles communities (default 5 minutes, 1,000 entries).</summary>
    Communities,

    /// <summary>Naffles users and account links (default 10 minutes, 5,000 entries).</summary>
    Users,

    /// <summary>Social tasks (default 1 minute, 2,000 entries).</summary>
    Tasks,

    /// <summary>Allowlists (default 2 minutes, 1,000 entries).</summary>
    Allowlists,
}

/// <summary>A value read through the cache.</summary>
/// <typeparam name="T">Value type.</typeparam>
/// <param name="Value">The value.</param>
/// <param name="IsStale">
/// True when the value is older than its lifetime because the factory failed: the last good value is served instead
/// of the error (the failure is logged as a warning).
/// </param>
public readonly record struct CacheResult<T>(T Value, bool IsStale);

/// <summary>
/// The bot's two-level cache: memory always, Redis as a second level when configured. Concurrent misses of one key
/// run the factory once. Values are serialised with the caller's <see cref="JsonTypeInfo{T}"/> (from a source-generated
/// context), so the host never holds a plugin's types.
/// </summary>
public interface IBotCache
{
    /// <summary>
    /// Returns the cached value of <paramref name="key"/>, or runs <paramref name="factory"/> and caches its result. When
    /// the value has outlived its lifetime and the factory fails, the last good value is returned with
    /// <see cref="CacheResult{T}.IsStale"/> set; without a last good value the factory's exception propagates.
    /// </summary>
    /// <typeparam name="T">Value type.</typeparam>
    /// <param name="key">The key (unique within <paramref name="kind"/>).</param>
    /// <param name="typeInfo">JSON metadata of <typeparamref name="T"/>.</param>
    /// <param name="factory">Produces the value on a miss (e.g. a Naffles API call).</param>
    /// <param name="kind">Decides lifetime and size limit.</param>
    /// <param name="tags">Tags for <see cref="InvalidateTagAsync"/>, e.g. <c>community:123</c>.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The value, and whether it is stale.</returns>
    ValueTask<CacheResult<T>> GetOrCreateAsync<T>(
        string key,
        JsonTypeInfo<T> typeInfo,
        Func<CancellationToken, ValueTask<T>> factory,
        CacheEntryKind kind = CacheEntryKind.General,
        IReadOnlyCollection<string>? tags = null,
        CancellationToken cancellationToken = default);

    /// <summary>Stores a value, replacing what is cached under the key.</summary>
    /// <typeparam name="T">Value type.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">JSON metadata of <typeparamref name="T"/>.</param>
    /// <param name="kind">Decides lifetime and size limit.</param>
    /// <param name="tags">Tags for invalidation.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask SetAsync<T>(string key, T value, JsonTypeInfo<T> typeInfo, CacheEntryKind kind = CacheEntryKind.General, IReadOnlyCollection<string>? tags = null, CancellationToken cancellationToken = default);

    /// <summary>Removes one key (in both levels).</summary>
    /// <param name="key">The key.</param>
    /// <param name="kind">The kind it was cached as.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask RemoveAsync(string key, CacheEntryKind kind = CacheEntryKind.General, CancellationToken cancellationToken = default);

    /// <summary>Invalidates every entry carrying <paramref name="tag"/>; the next read runs its factory.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask InvalidateTagAsync(string tag, CancellationToken cancellationToken = default);
}
