using NafflesBotKit.Services;

namespace NafflesBotKit.Runtime.Services.RateLimiting;

/// <summary>
/// Fixed windows in process memory, on the host's <see cref="TimeProvider"/>. A window starts with a key's first
/// acquisition and resets when it ends (the seed's semantics); a decision over several rules is all or nothing.
/// </summary>
/// <remarks>
/// Not built on System.Threading.RateLimiting's window limiters: they read <c>Stopwatch</c> directly and replenish on
/// a real timer (no <see cref="TimeProvider"/> support), so windows, resets and retry-after could not be tested on
/// fake time, and their all-or-nothing acquisition across several partitions is not offered either. The window
/// arithmetic here is the same as the Redis script's, which the shared test suite holds both to.
/// </remarks>
public sealed class MemoryRateLimiter(TimeProvider time) : IRateLimiter
{
    private const int SweepEvery = 4096;
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _calls;

    /// <summary>Keys currently tracked (diagnostics and tests).</summary>
    public int TrackedKeys
    {
        get
        {
            lock (_gate)
            {
                return _windows.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<RateLimitDecision> TryAcquireAsync(IReadOnlyList<RateLimitRule> rules, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Decide(rules));
    }

    private RateLimitDecision Decide(IReadOnlyList<RateLimitRule> rules)
    {
        var now = time.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            if (++_calls % SweepEvery == 0)
            {
                Sweep(now);
            }

            string? limitedKey = null;
            long longestWait = 0;
            for (var i = 0; i < rules.Count; i++)
            {
                var rule = rules[i];
                if (_windows.TryGetValue(rule.Key, out var w) && w.ResetAt > now && w.Count >= rule.Permits)
                {
                    var wait = w.ResetAt - now;
                    if (limitedKey is null || wait > longestWait)
                    {
                        limitedKey = rule.Key;
                        longestWait = wait;
                    }
                }
            }

            if (limitedKey is not null)
            {
                return RateLimitDecision.Denied(limitedKey, TimeSpan.FromTicks(longestWait));
            }

            var remaining = int.MaxValue;
            for (var i = 0; i < rules.Count; i++)
            {
                var rule = rules[i];
                if (!_windows.TryGetValue(rule.Key, out var w))
                {
                    w = new Window();
                    _windows[rule.Key] = w;
                }

                if (w.ResetAt <= now)
                {
                    w.Count = 0;
                    w.ResetAt = now + rule.Window.Ticks;
                }

                w.Count++;
                remaining = Math.Min(remaining, rule.Permits - w.Count);
            }

            return RateLimitDecision.Granted(rules.Count == 0 ? int.MaxValue : remaining);
        }
    }

    private void Sweep(long now)
    {
        foreach (var (key, window) in _windows)
        {
            if (window.ResetAt <= now)
            {
                _windows.Remove(key);
            }
        }
    }

    private sealed class Window
    {
        public int Count { get; set; }

        public long ResetAt { get; set; }
    }
}
