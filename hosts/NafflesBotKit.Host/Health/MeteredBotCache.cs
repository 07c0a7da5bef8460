using System.Text.Json.Serialization.Metadata;
using NafflesBotKit.Services;

namespace NafflesBotKit.Host.Health;

/// <summary>Counts cache hits and misses around the runtime's cache: a miss is a read whose factory ran.</summary>
internal sealed class MeteredBotCache(IBotCache inner, BotMetrics metrics) : IBotCache
{
    public async ValueTask<CacheResult<T>> GetOrCreateAsync<T>(
        string key,
        JsonTypeInfo<T> typeInfo,
        Func<CancellationToken, ValueTask<T>> factory,
        CacheEntryKind kind = CacheEntryKind.General,
        IReadOnlyCollection<string>? tags = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var ran = false;
        var result = await inner.GetOrCreateAsync(
            key,
            typeInfo,
            ct =>
            {
                ran = true;
                return factory(ct);
            },
            kind,
            tags,
            cancellationToken).ConfigureAwait(false);
        metrics.RecordCacheLookup(kind, result.IsStale ? "stale" : ran ? "miss" : "hit");
        return result;
    }

    public ValueTask SetAsync<T>(string key, T value, JsonTypeInfo<T> typeInfo, CacheEntryKind kind = CacheEntryKind.General, IReadOnlyCollection<string>? tags = null, CancellationToken cancellationToken = default) =>
        inner.SetAsync(key, value, typeInfo, kind, tags, cancellationToken);

    public ValueTask RemoveAsync(string key, CacheEntryKind kind = CacheEntryKind.General, CancellationToken cancellationToken = default) =>
        inner.RemoveAsync(key, kind, cancellationToken);

    public ValueTask InvalidateTagAsync(string tag, CancellationToken cancellationToken = default) =>
        inner.InvalidateTagAsync(tag, cancellationToken);
}
