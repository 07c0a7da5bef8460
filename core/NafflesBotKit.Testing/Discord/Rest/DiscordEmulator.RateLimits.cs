using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace NafflesBotKit.Testing.Discord;

public sealed partial class DiscordEmulator
{
    private readonly Lock _globalLock = new();
    private readonly Dictionary<string, BucketState> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Limit, TimeSpan Window)> _routeLimits = new(StringComparer.Ordinal);
    private readonly List<ScriptedLimit> _scripted = [];
    private DateTimeOffset _globalWindowStart = DateTimeOffset.MinValue;
    private int _globalCount;
    private DateTimeOffset _globalBlockedUntil = DateTimeOffset.MinValue;
    private int _pendingGlobal;
    private TimeSpan _pendingGlobalRetry;
    private static readonly TimeSpan InFlightGrace = TimeSpan.FromSeconds(2);
    private readonly HashSet<string> _globalBlockedQueues = new(StringComparer.Ordinal);
    private long _globalLimitIssued;
    private int _routeViolations;
    private int _globalViolations;
    private int _rateLimited;

    /// <summary>Requests sent into a route bucket the emulator had announced as exhausted (or still blocked by a 429).</summary>
    public int RouteViolations => Volatile.Read(ref _routeViolations);

    /// <summary>
    /// Requests sent past the global limit or during a global 429 pause. During a pause the first request of each
    /// queue (bucket + major parameter) arriving within 2 s of real time is taken to have been in flight already;
    /// a second one on the same queue is a violation.
    /// </summary>
    public int GlobalViolations => Volatile.Read(ref _globalViolations);

    /// <summary>429 responses sent (scripted or earned).</summary>
    public int RateLimitedResponses => Volatile.Read(ref _rateLimited);

    /// <summary>Sets a route's bucket size and window, e.g. <c>("POST", "/channels/{channel_id}/messages", 5, 5 s)</c>.</summary>
    /// <param name="method">The method.</param>
    /// <param name="template">The route template.</param>
    /// <param name="limit">Requests per window.</param>
    /// <param name="window">The window.</param>
    public void SetRouteLimit(string method, string template, int limit, TimeSpan window)
    {
        lock (_globalLock)
        {
            _routeLimits[method + " " + template] = (limit, window);
        }
    }

    /// <summary>
    /// Makes the next <paramref name="times"/> requests on a route answer 429 with <paramref name="retryAfter"/>, and
    /// keeps that bucket blocked until then (any request before that counts as a violation).
    /// </summary>
    /// <param name="method">The method.</param>
    /// <param name="template">The route template.</param>
    /// <param name="retryAfter">The body's <c>retry_after</c>.</param>
    /// <param name="times">How many 429s.</param>
    /// <param name="scope"><c>user</c> or <c>shared</c>.</param>
    /// <param name="headerRetryAfter">A different <c>Retry-After</c> header (Discord's have been seen to disagree with the body).</param>
    public void ScriptRouteRateLimit(string method, string template, TimeSpan retryAfter, int times = 1, string scope = "user", TimeSpan? headerRetryAfter = null)
    {
        lock (_globalLock)
        {
            _scripted.Add(new ScriptedLimit(method + " " + template, retryAfter, headerRetryAfter, scope, times));
        }
    }

    /// <summary>Makes the next bot request(s) answer a global 429 and blocks every bot request until it passes.</summary>
    /// <param name="retryAfter">The pause.</param>
    /// <param name="times">How many global 429s.</param>
    public void ScriptGlobalRateLimit(TimeSpan retryAfter, int times = 1)
    {
        lock (_globalLock)
        {
            _pendingGlobal += times;
            _pendingGlobalRetry = retryAfter;
        }
    }

    /// <summary>Makes the next <paramref name="times"/> requests on a route fail with 502 (to exercise retries).</summary>
    /// <param name="method">The method.</param>
    /// <param name="template">The route template.</param>
    /// <param name="times">How many failures.</param>
    public void ScriptServerError(string method, string template, int times = 1)
    {
        lock (_globalLock)
        {
            _serverErrors[method + " " + template] = times;
        }
    }

    private readonly Dictionary<string, int> _serverErrors = new(StringComparer.Ordinal);
    private int _cloudflareBlocks;

    /// <summary>
    /// Answers the next <paramref name="times"/> requests the way a Cloudflare IP ban does: 429 with an HTML body and
    /// no rate-limit headers.
    /// </summary>
    /// <param name="times">How many requests.</param>
    public void ScriptCloudflareBlock(int times = 1)
    {
        lock (_globalLock)
        {
            _cloudflareBlocks += times;
        }
    }

    private Reply? ScriptedServerError(Route route, RequestContext request)
    {
        lock (_globalLock)
        {
            if (_cloudflareBlocks > 0)
            {
                _cloudflareBlocks--;
                Interlocked.Increment(ref _rateLimited);
                return new Reply(429, null, []);
            }
        }

        lock (_globalLock)
        {
            var key = request.Http.Request.Method + " " + route.Template;
            if (_serverErrors.TryGetValue(key, out var left) && left > 0)
            {
                _serverErrors[key] = left - 1;
                return Reply.Error(502, 0, "502: Bad Gateway");
            }
        }

        return null;
    }

    /// <summary>The bucket hash the emulator reports for a route.</summary>
    /// <param name="method">The method.</param>
    /// <param name="template">The route template.</param>
    public static string BucketHash(string method, string template) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(method + " " + template)))[..32];

    private Reply? CheckRateLimits(Route route, RequestContext request, bool isBot)
    {
        if (route.Template.EndsWith("/callback", StringComparison.Ordinal))
        {
            return null; // interaction callbacks: per-interaction, not bucketed here
        }

        var now = Time.GetUtcNow();
        var routeKey = request.Http.Request.Method + " " + route.Template;
        var major = MajorOf(request, route);
        var hash = BucketHash(request.Http.Request.Method, route.Template);
        if (route.Global && isBot)
        {
            lock (_globalLock)
            {
                if (now < _globalBlockedUntil)
                {
                    // One request per queue may have been in flight when the global 429 went out; a second one on the
                    // same queue (clients serialise per bucket) or anything long after the 429 was sent after it.
                    if (!_globalBlockedQueues.Add(hash + ":" + major) || System.Diagnostics.Stopwatch.GetElapsedTime(_globalLimitIssued) > InFlightGrace)
                    {
                        _globalViolations++;
                    }

                    return GlobalLimited(_globalBlockedUntil - now);
                }

                if (_pendingGlobal > 0)
                {
                    _pendingGlobal--;
                    _globalBlockedUntil = now + _pendingGlobalRetry;
                    _globalLimitIssued = System.Diagnostics.Stopwatch.GetTimestamp();
                    _globalBlockedQueues.Clear();
                    _globalBlockedQueues.Add(hash + ":" + major);
                    return GlobalLimited(_pendingGlobalRetry);
                }

                if (now >= _globalWindowStart + TimeSpan.FromSeconds(1))
                {
                    _globalWindowStart = now;
                    _globalCount = 0;
                }

                if (_globalCount >= Options.GlobalLimitPerSecond)
                {
                    _globalViolations++;
                    return GlobalLimited(_globalWindowStart + TimeSpan.FromSeconds(1) - now);
                }

                _globalCount++;
            }
        }

        BucketState bucket;
        (int Limit, TimeSpan Window) limits;
        ScriptedLimit? script;
        lock (_globalLock)
        {
            if (!_buckets.TryGetValue(hash + ":" + major, out bucket!))
            {
                bucket = new BucketState();
                _buckets[hash + ":" + major] = bucket;
            }

            limits = _routeLimits.TryGetValue(routeKey, out var l) ? l : (Options.DefaultRouteLimit, Options.DefaultRouteWindow);
            script = _scripted.FirstOrDefault(s => s.RouteKey == routeKey && s.Remaining > 0);
        }

        lock (bucket)
        {
            if (now < bucket.BlockedUntil)
            {
                Interlocked.Increment(ref _routeViolations);
                return RouteLimited(hash, limits.Limit, bucket.BlockedUntil - now, null, "user");
            }

            if (now >= bucket.WindowStart + limits.Window)
            {
                bucket.WindowStart = now;
                bucket.Count = 0;
            }

            if (script is not null)
            {
                lock (_globalLock)
                {
                    script.Remaining--;
                }

                // Blocked for the longer of header and body, so a client that honours only one of them is caught.
                bucket.BlockedUntil = now + (script.HeaderRetryAfter > script.RetryAfter ? script.HeaderRetryAfter.Value : script.RetryAfter);
                return RouteLimited(hash, limits.Limit, script.RetryAfter, script.HeaderRetryAfter, script.Scope);
            }

            if (bucket.Count >= limits.Limit)
            {
                Interlocked.Increment(ref _routeViolations);
                return RouteLimited(hash, limits.Limit, bucket.WindowStart + limits.Window - now, null, "user");
            }

            bucket.Count++;
            var resetAfter = bucket.WindowStart + limits.Window - now;
            var headers = request.RateLimitHeaders;
            headers["X-RateLimit-Limit"] = limits.Limit.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Remaining"] = (limits.Limit - bucket.Count).ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Reset-After"] = Seconds(resetAfter);
            headers["X-RateLimit-Reset"] = Seconds(TimeSpan.FromMilliseconds((now + resetAfter).ToUnixTimeMilliseconds()));
            headers["X-RateLimit-Bucket"] = hash;
        }

        return null;
    }

    private static string MajorOf(RequestContext request, Route route)
    {
        if (route.Template.StartsWith("/webhooks/{webhook_id}/{webhook_token}", StringComparison.Ordinal))
        {
            return request.Param("webhook_id") + "/" + request.Param("webhook_token");
        }

        if (route.Template.StartsWith("/channels/", StringComparison.Ordinal))
        {
            return request.Param("channel_id");
        }

        return route.Template.StartsWith("/guilds/", StringComparison.Ordinal) ? request.Param("guild_id") : "global";
    }

    private Reply GlobalLimited(TimeSpan retryAfter)
    {
        Interlocked.Increment(ref _rateLimited);
        var reply = Reply.Error(429, 0, "You are being rate limited.");
        ((JsonObject)reply.Json!)["retry_after"] = Math.Round(retryAfter.TotalSeconds, 3);
        ((JsonObject)reply.Json!)["global"] = true;
        reply.Headers["Retry-After"] = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        reply.Headers["X-RateLimit-Global"] = "true";
        reply.Headers["X-RateLimit-Scope"] = "global";
        return reply;
    }

    private Reply RouteLimited(string hash, int limit, TimeSpan retryAfter, TimeSpan? headerRetryAfter, string scope)
    {
        Interlocked.Increment(ref _rateLimited);
        var reply = Reply.Error(429, 0, "You are being rate limited.");
        ((JsonObject)reply.Json!)["retry_after"] = Math.Round(retryAfter.TotalSeconds, 3);
        ((JsonObject)reply.Json!)["global"] = false;
        reply.Headers["Retry-After"] = Math.Ceiling((headerRetryAfter ?? retryAfter).TotalSeconds).ToString(CultureInfo.InvariantCulture);
        reply.Headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        reply.Headers["X-RateLimit-Remaining"] = "0";
        reply.Headers["X-RateLimit-Reset-After"] = Seconds(headerRetryAfter > retryAfter ? headerRetryAfter.Value : retryAfter);
        reply.Headers["X-RateLimit-Bucket"] = hash;
        reply.Headers["X-RateLimit-Scope"] = scope;
        return reply;
    }

    private static string Seconds(TimeSpan value) => Math.Max(0, value.TotalSeconds).ToString("0.###", CultureInfo.InvariantCulture);

    private sealed class BucketState
    {
        public DateTimeOffset WindowStart { get; set; } = DateTimeOffset.MinValue;

        public int Count { get; set; }

        public DateTimeOffset BlockedUntil { get; set; } = DateTimeOffset.MinValue;
    }

    private sealed class ScriptedLimit(string routeKey, TimeSpan retryAfter, TimeSpan? headerRetryAfter, string scope, int remaining)
    {
        public string RouteKey { get; } = routeKey;

        public TimeSpan RetryAfter { get; } = retryAfter;

        public TimeSpan? HeaderRetryAfter { get; } = headerRetryAfter;

        public string Scope { get; } = scope;

        public int Remaining { get; set; } = remaining;
    }
}
