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

    /// <summary>
    /// Called once shard <paramref name="shardId"/>'s Identify has been written. Discord counts the 5 s from when it
    /// receives an Identify, so a throttler that counted from the grant moves the key's window start to now: an
    /// Identify delayed after its grant (a loaded machine) still leaves the next one of its key a full window.
    /// </summary>
    /// <param name="shardId">The shard.</param>
    /// <param name="maxConcurrency"><c>session_start_limit.max_concurrency</c>.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask IdentifySentAsync(int shardId, int maxConcurrency, CancellationToken cancellationToken) => ValueTask.CompletedTask;
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
            while (true)
            {
                TimeSpan wait;
                lock (bucket)
                {
                    // Read again after every wait: the previous Identify may have been sent (and moved) meanwhile.
                    var now = _time.GetUtcNow();
                    wait = bucket.Last is { } last ? last + Window + Margin - now : TimeSpan.Zero;
                    if (wait <= TimeSpan.Zero)
                    {
                        bucket.Last = now;
                        return;
                    }
                }

                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            bucket.Lock.Release();
        }
    }

    /// <inheritdoc />
    public ValueTask IdentifySentAsync(int shardId, int maxConcurrency, CancellationToken cancellationToken)
    {
        var bucket = _buckets.GetOrAdd(shardId % Math.Max(1, maxConcurrency), static _ => new Bucket());
        lock (bucket)
        {
            var now = _time.GetUtcNow();
            if (bucket.Last is not { } last || now > last)
            {
                bucket.Last = now;
            }
        }

        return ValueTask.CompletedTask;
    }

    private sealed class Bucket
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        /// <summary>When the key's last Identify was granted or, once sent, sent (guarded by the bucket's lock).</summary>
        public DateTimeOffset? Last { get; set; }
    }
}
