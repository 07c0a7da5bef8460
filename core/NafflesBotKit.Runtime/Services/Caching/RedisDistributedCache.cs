using Microsoft.Extensions.Caching.Distributed;
using StackExchange.Redis;

namespace NafflesBotKit.Runtime.Services.Caching;

/// <summary>
/// The cache's second level in Redis (<c>{prefix}cache:{key}</c>, expiring by Redis's clock). A small adapter over the
/// host's shared connection rather than Microsoft.Extensions.Caching.StackExchangeRedis, which would open a second
/// connection and pin an older StackExchange.Redis major version. Sliding expiration is treated as absolute.
/// </summary>
/// <param name="redis">The connection.</param>
public sealed class RedisDistributedCache(RedisConnection redis) : IDistributedCache
{
    /// <inheritdoc />
    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    /// <inheritdoc />
    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        var db = await redis.GetDatabaseAsync(token).ConfigureAwait(false);
        return (byte[]?)await db.StringGetAsync(Key(key)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    /// <inheritdoc />
    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var db = await redis.GetDatabaseAsync(token).ConfigureAwait(false);
        var expiry = Expiry(options);
        await (expiry is { } ttl ? db.StringSetAsync(Key(key), value, ttl) : db.StringSetAsync(Key(key), value)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Refresh(string key)
    {
    }

    /// <inheritdoc />
    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    /// <inheritdoc />
    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    /// <inheritdoc />
    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        var db = await redis.GetDatabaseAsync(token).ConfigureAwait(false);
        await db.KeyDeleteAsync(Key(key)).ConfigureAwait(false);
    }

    private static TimeSpan? Expiry(DistributedCacheEntryOptions options)
    {
        if (options.AbsoluteExpirationRelativeToNow is { } relative)
        {
            return relative;
        }

        if (options.AbsoluteExpiration is { } absolute)
        {
            // Redis expires by its own (real) clock.
            var left = absolute - DateTimeOffset.UtcNow;
            return left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1);
        }

        return options.SlidingExpiration;
    }

    private RedisKey Key(string key) => redis.KeyPrefix + "cache:" + key;
}
