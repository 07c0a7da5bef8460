using System.Globalization;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Discord.Gateway;
using NafflesBotKit.Runtime.Services;
using StackExchange.Redis;

namespace NafflesBotKit.Host.Cluster;

/// <summary>
/// Identify spacing shared by every process of the bot: one Identify per <c>shard_id % max_concurrency</c> key every
/// 5 s plus a margin for the time between the grant and the Identify reaching Discord (the key's last grant lives in
/// Redis, judged on Redis's clock at execution, so a process delayed between reading its clock and the script cannot
/// backdate a grant; once the Identify is written the window start moves to that moment), and the daily
/// <c>session_start_limit</c> as a counter seeded from <c>GET /gateway/bot</c> that expires at Discord's reset.
/// </summary>
internal sealed partial class RedisIdentifyThrottler(RedisConnection redis, TimeProvider time, ILogger<RedisIdentifyThrottler> logger) : IIdentifyThrottler, IIdentifyBudget
{
    /// <summary>Added to Discord's 5 s: processes on loaded machines send the Identify a little after the grant.</summary>
    internal static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(500);

    // KEYS: bucket, budget. ARGV: window ms. "now" is Redis's TIME at execution.
    // Returns 0 (go; slot and budget taken), > 0 (wait that many ms: the key's window), < 0 (budget spent: wait -n ms).
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(ARGV[1])
        local last = tonumber(redis.call('GET', KEYS[1]) or '0')
        if now < last + window then return last + window - now end
        local budget = redis.call('GET', KEYS[2])
        if budget and tonumber(budget) <= 0 then
          local ttl = redis.call('PTTL', KEYS[2])
          if ttl < 0 then ttl = 60000 end
          return -ttl
        end
        if budget then redis.call('DECR', KEYS[2]) end
        redis.call('SET', KEYS[1], now, 'PX', window * 2)
        return 0
        """;

    // KEYS: bucket. ARGV: window ms. Moves the key's window start to Redis's TIME now (never back).
    private const string SentScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local last = tonumber(redis.call('GET', KEYS[1]) or '0')
        if now > last then redis.call('SET', KEYS[1], now, 'PX', tonumber(ARGV[1]) * 2) end
        return now
        """;

    /// <inheritdoc />
    public async ValueTask IdentifySentAsync(int shardId, int maxConcurrency, CancellationToken cancellationToken)
    {
        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await db.ScriptEvaluateAsync(SentScript, [BucketKey(shardId, maxConcurrency)], [WindowMs]).ConfigureAwait(false);
    }

    private RedisKey BucketKey(int shardId, int maxConcurrency) =>
        redis.KeyPrefix + "identify:" + (shardId % Math.Max(1, maxConcurrency)).ToString(CultureInfo.InvariantCulture);

    private static long WindowMs => (long)(LocalIdentifyThrottler.Window + Margin).TotalMilliseconds;

    public async ValueTask WaitAsync(int shardId, int maxConcurrency, CancellationToken cancellationToken)
    {
        var bucket = BucketKey(shardId, maxConcurrency);
        var window = WindowMs;
        while (true)
        {
            var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
            var result = (long)await db.ScriptEvaluateAsync(Script, [bucket, Budget], [window]).ConfigureAwait(false);
            if (result == 0)
            {
                return;
            }

            if (result < 0)
            {
                LogBudgetSpent(logger, shardId, TimeSpan.FromMilliseconds(-result));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(Math.Abs(result), 60_000)), time, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask SeedAsync(SessionStartLimit limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limit);
        if (limit.ResetAfter <= TimeSpan.Zero)
        {
            return;
        }

        // NX: the first process of the period seeds it; the others (and restarts) keep counting down the same budget.
        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await db.StringSetAsync(Budget, limit.Remaining, limit.ResetAfter, When.NotExists).ConfigureAwait(false);
    }

    private RedisKey Budget => redis.KeyPrefix + "identify:budget";

    [LoggerMessage(EventId = 4100, Level = LogLevel.Error, Message = "Shard {ShardId}: the bot's daily identify budget (session_start_limit) is spent across all processes; waiting {Wait} for Discord's reset")]
    private static partial void LogBudgetSpent(ILogger logger, int shardId, TimeSpan wait);
}
