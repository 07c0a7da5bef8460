using NafflesBotKit.Discord.Rest;
using NafflesBotKit.Runtime.Services;
using StackExchange.Redis;

namespace NafflesBotKit.Host.Cluster;

/// <summary>
/// Discord's global REST limit (requests per second per bot) as one sliding one-second window in Redis (a sorted set
/// of send times), shared by every process of the bot. Judged on the hosts' clocks.
/// </summary>
internal sealed class RedisGlobalRateLimit(RedisConnection redis, TimeProvider time) : IDiscordGlobalRateLimit
{
    // KEYS: window. ARGV: now ms, limit, window ms, unique member. Returns 0 (taken) or the wait in ms.
    private const string Script = """
        local now = tonumber(ARGV[1])
        local window = tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
          redis.call('ZADD', KEYS[1], now, ARGV[4])
          redis.call('PEXPIRE', KEYS[1], window * 2)
          return 0
        end
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        local wait = tonumber(oldest[2]) + window - now
        if wait < 1 then wait = 1 end
        return wait
        """;

    public async ValueTask<TimeSpan> TryAcquireAsync(int requestsPerSecond, CancellationToken cancellationToken)
    {
        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var wait = (long)await db.ScriptEvaluateAsync(
            Script,
            [(RedisKey)(redis.KeyPrefix + "discord:global")],
            [time.GetUtcNow().ToUnixTimeMilliseconds(), requestsPerSecond, 1000, Guid.NewGuid().ToString("N")]).ConfigureAwait(false);
        return TimeSpan.FromMilliseconds(wait);
    }
}
