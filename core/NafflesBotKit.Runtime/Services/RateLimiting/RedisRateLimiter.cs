using NafflesBotKit.Services;
using StackExchange.Redis;

namespace NafflesBotKit.Runtime.Services.RateLimiting;

/// <summary>
/// Fixed windows in Redis, shared by every host: one Lua script per decision checks all rules and charges them only
/// if all allow (one round trip, atomic). Windows are judged on the host's clock, passed to the script, so the
/// arithmetic equals <see cref="MemoryRateLimiter"/>'s; Redis's own expiry only collects idle keys.
/// Uses several keys per script, so it needs a single Redis (or one with replicas), not Redis Cluster.
/// </summary>
public sealed class RedisRateLimiter(RedisConnection redis, TimeProvider time) : IRateLimiter
{
    // KEYS: one hash {c = count, r = reset (ms)} per rule. ARGV: now, then permits and window (ms) per rule.
    // Returns {1, remaining} or {0, index of the limiting rule (1-based), wait ms}.
    private const string Script = """
        local now = tonumber(ARGV[1])
        local n = #KEYS
        local counts = {}
        local resets = {}
        local limited = 0
        local wait = 0
        for i = 1, n do
          local permits = tonumber(ARGV[2 * i])
          local v = redis.call('HMGET', KEYS[i], 'c', 'r')
          local c = tonumber(v[1]) or 0
          local r = tonumber(v[2]) or 0
          if r <= now then
            c = 0
            r = now + tonumber(ARGV[2 * i + 1])
          elseif c >= permits and (limited == 0 or r - now > wait) then
            limited = i
            wait = r - now
          end
          counts[i] = c
          resets[i] = r
        end
        if limited > 0 then
          return {0, limited, wait}
        end
        local remaining = -1
        for i = 1, n do
          local permits = tonumber(ARGV[2 * i])
          local c = counts[i] + 1
          redis.call('HSET', KEYS[i], 'c', c, 'r', resets[i])
          redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2 * i + 1]) + 60000)
          if remaining < 0 or permits - c < remaining then
            remaining = permits - c
          end
        end
        return {1, remaining}
        """;

    /// <inheritdoc />
    public async ValueTask<RateLimitDecision> TryAcquireAsync(IReadOnlyList<RateLimitRule> rules, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Count == 0)
        {
            return RateLimitDecision.Granted(int.MaxValue);
        }

        var keys = new RedisKey[rules.Count];
        var args = new RedisValue[(rules.Count * 2) + 1];
        args[0] = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < rules.Count; i++)
        {
            keys[i] = redis.KeyPrefix + "rl:" + rules[i].Key;
            args[(2 * i) + 1] = rules[i].Permits;
            args[(2 * i) + 2] = (long)Math.Ceiling(rules[i].Window.TotalMilliseconds);
        }

        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(Script, keys, args).ConfigureAwait(false))!;
        if ((long)result[0] == 1)
        {
            return RateLimitDecision.Granted((int)(long)result[1]);
        }

        return RateLimitDecision.Denied(rules[(int)(long)result[1] - 1].Key, TimeSpan.FromMilliseconds((long)result[2]));
    }
}

/// <summary>A plugin's view of the host's limiter: its keys are prefixed with its id, so plugins cannot collide.</summary>
/// <param name="inner">The host limiter.</param>
/// <param name="pluginId">The plugin.</param>
public sealed class PluginRateLimiter(IRateLimiter inner, string pluginId) : IRateLimiter
{
    /// <inheritdoc />
    public async ValueTask<RateLimitDecision> TryAcquireAsync(IReadOnlyList<RateLimitRule> rules, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var prefix = "plugin:" + pluginId + ":";
        var scoped = rules.Select(r => r with { Key = prefix + r.Key }).ToArray();
        var decision = await inner.TryAcquireAsync(scoped, cancellationToken).ConfigureAwait(false);
        return decision.LimitedKey is { } key && key.StartsWith(prefix, StringComparison.Ordinal)
            ? decision with { LimitedKey = key[prefix.Length..] }
            : decision;
    }
}
