using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NafflesBotKit.Services;

namespace NafflesBotKit.Runtime.Services.Caching;

/// <summary>
/// <see cref="IBotCache"/> over <see cref="HybridCache"/> (memory L1, Redis L2 when configured; stampede protection
/// and tag invalidation are HybridCache's). Values are stored as bytes: an 8-byte "fresh until" stamp and the JSON of
/// the value written with the caller's <see cref="JsonTypeInfo{T}"/>, so HybridCache never sees, serialises or
/// remembers a plugin's types. Entries live for their kind's lifetime plus <see cref="CacheOptions.StaleFor"/>;
/// freshness is judged on the host's <see cref="TimeProvider"/>, and a stale entry whose refresh fails is served as
/// stale instead of failing the read.
/// </summary>
public sealed partial class BotCache : IBotCache
{
    private const int StampBytes = 8;
    private readonly HybridCache _cache;
    private readonly CacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BotCache> _logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<byte[]>>> _refreshing = new(StringComparer.Ordinal);
    private readonly Dictionary<CacheEntryKind, KeyTracker> _trackers;

    /// <summary>Creates the cache.</summary>
    public BotCache(HybridCache cache, IOptions<CacheOptions> options, TimeProvider time, ILogger<BotCache> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _cache = cache;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _trackers = Enum.GetValues<CacheEntryKind>().ToDictionary(k => k, k => new KeyTracker(_options.For(k).MaxEntries));
    }

    /// <inheritdoc />
    public async ValueTask<CacheResult<T>> GetOrCreateAsync<T>(
        string key,
        JsonTypeInfo<T> typeInfo,
        Func<CancellationToken, ValueTask<T>> factory,
        CacheEntryKind kind = CacheEntryKind.General,
        IReadOnlyCollection<string>? tags = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        ArgumentNullException.ThrowIfNull(factory);
        var fullKey = FullKey(kind, key);
        var allTags = Tags(kind, tags);
        var bytes = await _cache.GetOrCreateAsync(
            fullKey,
            (Cache: this, Factory: factory, TypeInfo: typeInfo, Kind: kind, Key: fullKey),
            static async (s, ct) => await s.Cache.ProduceAsync(s.Key, s.Factory, s.TypeInfo, s.Kind, ct).ConfigureAwait(false),
            EntryOptions(kind),
            allTags,
            cancellationToken).ConfigureAwait(false);

        if (FreshUntil(bytes) > _time.GetUtcNow())
        {
            return new CacheResult<T>(Read(bytes, typeInfo), IsStale: false);
        }

        // Past its lifetime: refresh once for all concurrent readers; on failure serve the last good value.
        var candidate = new Lazy<Task<byte[]>>(() => RefreshAsync(fullKey, factory, typeInfo, kind, allTags, cancellationToken));
        var refresh = _refreshing.GetOrAdd(fullKey, candidate);
        if (ReferenceEquals(refresh, candidate))
        {
            // Forget the refresh once it is done (whatever its outcome), so the next stale read tries again.
            _ = refresh.Value.ContinueWith(
                static (_, state) =>
                {
                    var (map, key, lazy) = ((ConcurrentDictionary<string, Lazy<Task<byte[]>>>, string, Lazy<Task<byte[]>>))state!;
                    map.TryRemove(new KeyValuePair<string, Lazy<Task<byte[]>>>(key, lazy));
                },
                (_refreshing, fullKey, refresh),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        try
        {
            var fresh = await refresh.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new CacheResult<T>(Read(fresh, typeInfo), IsStale: false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogServedStale(_logger, ex, fullKey);
            return new CacheResult<T>(Read(bytes, typeInfo), IsStale: true);
        }
    }

    /// <inheritdoc />
    public async ValueTask SetAsync<T>(string key, T value, JsonTypeInfo<T> typeInfo, CacheEntryKind kind = CacheEntryKind.General, IReadOnlyCollection<string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        var fullKey = FullKey(kind, key);
        await _cache.SetAsync(fullKey, Write(value, typeInfo, kind), EntryOptions(kind), Tags(kind, tags), cancellationToken).ConfigureAwait(false);
        await TrackAsync(kind, fullKey, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask RemoveAsync(string key, CacheEntryKind kind = CacheEntryKind.General, CancellationToken cancellationToken = default)
    {
        var fullKey = FullKey(kind, key);
        await _cache.RemoveAsync(fullKey, cancellationToken).ConfigureAwait(false);
        _trackers[kind].Forget(fullKey);
    }

    /// <inheritdoc />
    public ValueTask InvalidateTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        return _cache.RemoveByTagAsync(tag, cancellationToken);
    }

    /// <summary>Keys of a kind this host tracks (diagnostics and tests).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The count.</returns>
    public int TrackedCount(CacheEntryKind kind) => _trackers[kind].Count;

    private static string FullKey(CacheEntryKind kind, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return string.Concat(KindName(kind), ":", key);
    }

    private static string KindName(CacheEntryKind kind) => kind switch
    {
        CacheEntryKind.Communities => "communities",
        CacheEntryKind.Users => "users",
        CacheEntryKind.Tasks => "tasks",
        CacheEntryKind.Allowlists => "allowlists",
        _ => "general",
    };

    private static string[] Tags(CacheEntryKind kind, IReadOnlyCollection<string>? tags) =>
        tags is null || tags.Count == 0 ? ["kind:" + KindName(kind)] : ["kind:" + KindName(kind), .. tags];

    private static DateTimeOffset FreshUntil(byte[] bytes) =>
        DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes));

    private static T Read<T>(byte[] bytes, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(bytes.AsSpan(StampBytes), typeInfo)!;

    private HybridCacheEntryOptions EntryOptions(CacheEntryKind kind)
    {
        var keep = _options.For(kind).Lifetime + _options.StaleFor;
        return new HybridCacheEntryOptions { Expiration = keep, LocalCacheExpiration = keep };
    }

    private byte[] Write<T>(T value, JsonTypeInfo<T> typeInfo, CacheEntryKind kind)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        var bytes = new byte[StampBytes + json.Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, (_time.GetUtcNow() + _options.For(kind).Lifetime).ToUnixTimeMilliseconds());
        json.CopyTo(bytes, StampBytes);
        return bytes;
    }

    private async ValueTask<byte[]> ProduceAsync<T>(string fullKey, Func<CancellationToken, ValueTask<T>> factory, JsonTypeInfo<T> typeInfo, CacheEntryKind kind, CancellationToken cancellationToken)
    {
        var value = await factory(cancellationToken).ConfigureAwait(false);
        await TrackAsync(kind, fullKey, cancellationToken).ConfigureAwait(false);
        return Write(value, typeInfo, kind);
    }

    private async Task<byte[]> RefreshAsync<T>(string fullKey, Func<CancellationToken, ValueTask<T>> factory, JsonTypeInfo<T> typeInfo, CacheEntryKind kind, string[] tags, CancellationToken cancellationToken)
    {
        var bytes = await ProduceAsync(fullKey, factory, typeInfo, kind, cancellationToken).ConfigureAwait(false);
        await _cache.SetAsync(fullKey, bytes, EntryOptions(kind), tags, cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    private async ValueTask TrackAsync(CacheEntryKind kind, string fullKey, CancellationToken cancellationToken)
    {
        foreach (var evicted in _trackers[kind].Touch(fullKey))
        {
            await _cache.RemoveAsync(evicted, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Refreshing cache entry {Key} failed; serving the last good value (stale)")]
    private static partial void LogServedStale(ILogger logger, Exception exception, string key);

    /// <summary>Keys of one kind in write order, to evict the oldest beyond the kind's size.</summary>
    private sealed class KeyTracker(int capacity)
    {
        private readonly LinkedList<string> _order = new();
        private readonly Dictionary<string, LinkedListNode<string>> _nodes = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _nodes.Count;
                }
            }
        }

        public List<string> Touch(string key)
        {
            lock (_gate)
            {
                if (_nodes.TryGetValue(key, out var node))
                {
                    _order.Remove(node);
                    _order.AddLast(node);
                    return [];
                }

                _nodes[key] = _order.AddLast(key);
                var evicted = new List<string>();
                while (_nodes.Count > capacity && _order.First is { } oldest)
                {
                    _order.RemoveFirst();
                    _nodes.Remove(oldest.Value);
                    evicted.Add(oldest.Value);
                }

                return evicted;
            }
        }

        public void Forget(string key)
        {
            lock (_gate)
            {
                if (_nodes.Remove(key, out var node))
                {
                    _order.Remove(node);
                }
            }
        }
    }
}
