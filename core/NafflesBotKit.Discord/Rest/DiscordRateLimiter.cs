using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;

namespace NafflesBotKit.Discord.Rest;

/// <summary>
/// Discord's rate limits (discord-protocol.md §2): per-route buckets learned from the <c>X-RateLimit-*</c> headers
/// and queued per bucket hash and major parameter, the global limit (50 requests/s by default) and global pauses
/// after a global 429. A bucket known to be exhausted is never sent into: its queue waits for the reset. All waits go
/// through <see cref="TimeProvider"/>.
/// </summary>
internal sealed class DiscordRateLimiter
{
    /// <summary>Added to every reset so a request never lands on the edge of a window.</summary>
    internal static readonly TimeSpan ResetOffset = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan GlobalWindow = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, string> _hashes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _globalLock = new();
    private readonly TimeProvider _time;
    private readonly int _globalLimit;
    private readonly Queue<DateTimeOffset> _globalSends = new();
    private DateTimeOffset _globalPausedUntil = DateTimeOffset.MinValue;

    private readonly IDiscordGlobalRateLimit? _shared;

    public DiscordRateLimiter(TimeProvider time, int globalRequestsPerSecond, IDiscordGlobalRateLimit? shared = null)
    {
        _time = time;
        _globalLimit = globalRequestsPerSecond;
        _shared = shared;
    }

    /// <summary>Times the shared (cross-process) global limit could not be asked and only the local window applied.</summary>
    public int SharedLimitFailures => Volatile.Read(ref _sharedFailures);

    private int _sharedFailures;

    /// <summary>How many 429s were received (for diagnostics).</summary>
    public int RateLimitedCount => Volatile.Read(ref _rateLimited);

    private int _rateLimited;

    /// <summary>Discord bans an IP for a while after 10,000 401/403/429 responses in 10 minutes; we stop well before.</summary>
    internal const int InvalidRequestLimit = 5000;

    private static readonly TimeSpan InvalidRequestWindow = TimeSpan.FromMinutes(10);
    private readonly Queue<DateTimeOffset> _invalid = new();
    private volatile bool _tokenRejected;

    /// <summary>401, 403 and non-shared 429 responses in the last ten minutes.</summary>
    public int InvalidRequestCount
    {
        get
        {
            lock (_invalid)
            {
                Trim(_time.GetUtcNow());
                return _invalid.Count;
            }
        }
    }

    /// <summary>Counts invalid requests and remembers a rejected bot token.</summary>
    public void RecordStatus(int status, bool botAuthenticated, HttpResponseHeaders headers)
    {
        if (status == 401 && botAuthenticated)
        {
            _tokenRejected = true;
        }

        if (status is 401 or 403 || (status == 429 && !string.Equals(Header(headers, "X-RateLimit-Scope"), "shared", StringComparison.OrdinalIgnoreCase)))
        {
            lock (_invalid)
            {
                var now = _time.GetUtcNow();
                Trim(now);
                _invalid.Enqueue(now);
            }
        }
    }

    /// <summary>Why bot requests must not be sent now (token rejected, or too many invalid requests), or null.</summary>
    public string? RefusalReason()
    {
        if (_tokenRejected)
        {
            return "Discord rejected the bot token (401); requests are stopped so the invalid-request limit is not hit. Fix Discord:Token and restart.";
        }

        return InvalidRequestCount >= InvalidRequestLimit
            ? $"{InvalidRequestLimit} 401/403/429 responses in 10 minutes; requests are paused to stay clear of Discord's temporary IP ban."
            : null;
    }

    private void Trim(DateTimeOffset now)
    {
        while (_invalid.Count > 0 && now - _invalid.Peek() >= InvalidRequestWindow)
        {
            _invalid.Dequeue();
        }
    }

    /// <summary>Buckets currently kept (idle ones are forgotten, see <see cref="IdleBucketLifetime"/>).</summary>
    public int BucketCount => _buckets.Count;

    /// <summary>
    /// The bucket (queue) a route's requests currently go through, held until <see cref="ReleaseBucket"/>. Every
    /// interaction token and webhook is its own major parameter, so a long-running bot would otherwise keep one bucket
    /// per interaction forever: a bucket nobody holds, whose window has reset and that was idle for
    /// <see cref="IdleBucketLifetime"/> is forgotten (it knows nothing a fresh bucket would not learn again).
    /// </summary>
    public Bucket AcquireBucket(RestRoute route)
    {
        var now = _time.GetUtcNow();
        SweepIdleBuckets(now);
        var hash = _hashes.TryGetValue(route.RouteKey, out var learned) ? learned : "Global(" + route.RouteKey + ")";
        var key = hash + ":" + route.MajorParameter;
        while (true)
        {
            var bucket = _buckets.GetOrAdd(key, static k => new Bucket(k));
            lock (bucket)
            {
                if (bucket.Evicted)
                {
                    // Removed between the lookup and the lock (a queue can be kept under its pseudo and its learned
                    // key; the sweep removes both): make sure this key is gone, then take the one that replaces it.
                    _buckets.TryRemove(new KeyValuePair<string, Bucket>(key, bucket));
                    continue;
                }

                bucket.Holders++;
                bucket.LastUsed = now;
                return bucket;
            }
        }
    }

    /// <summary>Gives back a bucket taken with <see cref="AcquireBucket"/>.</summary>
    public void ReleaseBucket(Bucket bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        lock (bucket)
        {
            bucket.Holders--;
            bucket.LastUsed = _time.GetUtcNow();
        }
    }

    /// <summary>How long a bucket nobody holds stays after its window reset.</summary>
    internal static readonly TimeSpan IdleBucketLifetime = TimeSpan.FromMinutes(1);

    private long _nextSweepTicks;

    private void SweepIdleBuckets(DateTimeOffset now)
    {
        // One request a minute sweeps; the others pass with one read (no lock on the request path).
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + IdleBucketLifetime).UtcTicks, due) != due)
        {
            return;
        }

        foreach (var (key, bucket) in _buckets)
        {
            lock (bucket)
            {
                if (bucket.Holders == 0 && now - bucket.LastUsed >= IdleBucketLifetime && now >= bucket.ResetAt)
                {
                    bucket.Evicted = true;
                    _buckets.TryRemove(new KeyValuePair<string, Bucket>(key, bucket));
                }
            }
        }
    }

    /// <summary>The learned hash of a route key, if any (for tests).</summary>
    public string? GetHash(string routeKey) => _hashes.TryGetValue(routeKey, out var hash) ? hash : null;

    /// <summary>Waits until the bucket has a request left (never sends into an exhausted bucket).</summary>
    public async ValueTask WaitForBucketAsync(Bucket bucket, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (bucket)
            {
                var now = _time.GetUtcNow();
                if (bucket.Remaining > 0 || now >= bucket.ResetAt)
                {
                    if (bucket.Remaining <= 0)
                    {
                        bucket.Remaining = Math.Max(1, bucket.Limit);
                    }

                    if (bucket.Limit > 0)
                    {
                        bucket.Remaining--;
                    }

                    return;
                }

                wait = bucket.ResetAt - now;
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for a global slot: the global pause and the per-second budget (a sliding one-second window).</summary>
    public async ValueTask WaitForGlobalAsync(bool countsTowardGlobal, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_globalLock)
            {
                var now = _time.GetUtcNow();
                if (now < _globalPausedUntil)
                {
                    wait = _globalPausedUntil - now;
                }
                else if (!countsTowardGlobal)
                {
                    return;
                }
                else
                {
                    // A sliding window: no second ever holds more than the limit, however the server aligns its window.
                    while (_globalSends.Count > 0 && now - _globalSends.Peek() >= GlobalWindow)
                    {
                        _globalSends.Dequeue();
                    }

                    if (_globalSends.Count < _globalLimit)
                    {
                        _globalSends.Enqueue(now);
                        wait = TimeSpan.Zero;
                    }
                    else
                    {
                        wait = _globalSends.Peek() + GlobalWindow - now;
                    }
                }
            }

            if (wait == TimeSpan.Zero)
            {
                await WaitForSharedGlobalAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every process of the bot shares one budget: wait for a slot of it (after this process's own window).</summary>
    private async ValueTask WaitForSharedGlobalAsync(CancellationToken cancellationToken)
    {
        if (_shared is null)
        {
            return;
        }

        while (true)
        {
            TimeSpan wait;
            try
            {
                wait = await _shared.TryAcquireAsync(_globalLimit, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The shared store is down: this process's own window still holds; Discord's 429s do the rest.
                Interlocked.Increment(ref _sharedFailures);
                return;
            }

            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Learns the bucket from a response's headers.</summary>
    public void Update(RestRoute route, Bucket bucket, HttpResponseHeaders headers)
    {
        var now = _time.GetUtcNow();
        var hash = Header(headers, "X-RateLimit-Bucket");
        var limit = ParseInt(Header(headers, "X-RateLimit-Limit"));
        var remaining = ParseInt(Header(headers, "X-RateLimit-Remaining"));
        var resetAfter = ParseSeconds(Header(headers, "X-RateLimit-Reset-After"));

        var targets = new List<Bucket> { bucket };
        if (hash is not null && (!_hashes.TryGetValue(route.RouteKey, out var known) || known != hash))
        {
            // The queue in use becomes the learned bucket's queue (unless the hash already has one): requests that
            // arrive after the hash is learned then wait behind the ones still queued here instead of racing them
            // into the same Discord bucket through a second queue.
            var learned = _buckets.GetOrAdd(hash + ":" + route.MajorParameter, bucket);
            _hashes[route.RouteKey] = hash;
            if (!ReferenceEquals(learned, bucket))
            {
                targets.Add(learned);
            }
        }

        if (limit is null && remaining is null && resetAfter is null)
        {
            return;
        }

        foreach (var target in targets)
        {
            lock (target)
            {
                target.LastUsed = now;
                if (limit is { } l)
                {
                    target.Limit = l;
                }

                if (remaining is { } r)
                {
                    target.Remaining = r;
                }

                if (resetAfter is { } ra)
                {
                    target.ResetAt = now + ra + ResetOffset;
                }
            }
        }
    }

    /// <summary>Records a 429: a global one pauses everything, a route one exhausts only that bucket.</summary>
    /// <returns>Whether the 429 was global, and how long to wait.</returns>
    public (bool Global, TimeSpan RetryAfter) OnRateLimited(Bucket? bucket, HttpResponseHeaders headers, double? bodyRetryAfter, bool? bodyGlobal)
    {
        Interlocked.Increment(ref _rateLimited);
        var now = _time.GetUtcNow();
        var headerRetry = ParseSeconds(Header(headers, "Retry-After")) ?? TimeSpan.Zero;
        var bodyRetry = bodyRetryAfter is { } b && b > 0 ? TimeSpan.FromSeconds(b) : TimeSpan.Zero;
        var retryAfter = (headerRetry > bodyRetry ? headerRetry : bodyRetry) + ResetOffset;
        var scope = Header(headers, "X-RateLimit-Scope");
        var global = string.Equals(Header(headers, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase)
            || string.Equals(scope, "global", StringComparison.OrdinalIgnoreCase)
            || bodyGlobal == true;
        if (global)
        {
            lock (_globalLock)
            {
                if (now + retryAfter > _globalPausedUntil)
                {
                    _globalPausedUntil = now + retryAfter;
                }
            }
        }
        else if (bucket is not null)
        {
            lock (bucket)
            {
                bucket.Remaining = 0;
                if (now + retryAfter > bucket.ResetAt)
                {
                    bucket.ResetAt = now + retryAfter;
                }
            }
        }

        return (global, retryAfter);
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static int? ParseInt(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static TimeSpan? ParseSeconds(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 ? TimeSpan.FromSeconds(v) : null;

    /// <summary>One rate-limit queue: requests pass one at a time.</summary>
    internal sealed class Bucket(string key)
    {
        public string Key { get; } = key;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>The learned limit, or -1 before the first response.</summary>
        public int Limit { get; set; } = -1;

        public int Remaining { get; set; } = 1;

        public DateTimeOffset ResetAt { get; set; } = DateTimeOffset.MinValue;

        /// <summary>Requests holding the bucket (guarded by the bucket's lock).</summary>
        public int Holders { get; set; }

        /// <summary>When a request last took or gave back the bucket, or a response updated it.</summary>
        public DateTimeOffset LastUsed { get; set; }

        /// <summary>Forgotten by the limiter; a new bucket takes its key.</summary>
        public bool Evicted { get; set; }
    }
}
