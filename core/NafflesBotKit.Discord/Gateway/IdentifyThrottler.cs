using System.Collections.Concurrent;

namespace NafflesBotKit.Discord.Gateway;

/// <summary>
/// Spaces Identify calls: at most one per <c>rate_limit_key = shard_id % max_concurrency</c> every 5 seconds. One
/// instance must outlive every reconnect (and be shared by every process running shards of the bot: the Redis
/// implementation does that).
/// </summary>
public interface IIdentifyThrottler
{
    /// <summary>Waits until shard <paramref name="shardId"/> may identify, and claims the slot.</summary>
    /// <param name="shardId">The shard.</param>
    /// <param name="maxConcurrency"><c>session_start_limit.max_concurrency</c>.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask WaitAsync(int shardId, int maxConcurrency, CancellationToken cancellationToken);
}

/// <summary>
/// In-process <see cref="IIdentifyThrottler"/>: one queue per key, 5 s (plus <see cref="Margin"/>) after that key's
/// previous Identify.
/// </summary>
public sealed class LocalIdentifyThrottler : IIdentifyThrottler
{
    /// <summary>The window per key.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Added to <see cref="Window"/>: the slot is claimed just before Identify is sent, but Discord counts from when it
    /// receives it, and one Identify can travel slower than the next (a cold first connection reached the emulator 18 ms
    /// less than 5 s before the second).
    /// </summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(250);

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<int, Bucket> _buckets = new();

    /// <summary>Creates the throttler.</summary>
    /// <param name="timeProvider">Clock.</param>
    public LocalIdentifyThrottler(TimeProvider timeProvider) => _time = timeProvider;

    /// <inheritdoc />
    public async ValueTask WaitAsync(int shardId, int maxConcurrency, CancellationToken cancellationToken)
    {
        var key = shardId % Math.Max(1, maxConcurrency);
        var bucket = _buckets.GetOrAdd(key, static _ => new Bucket());
        await bucket.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (bucket.Last is { } last)
            {
                var wait = last + Window + Margin - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }
            }

            bucket.Last = _time.GetUtcNow();
        }
        finally
        {
            bucket.Lock.Release();
        }
    }

    private sealed class Bucket
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        public DateTimeOffset? Last { get; set; }
    }
}
