namespace NafflesBotKit.Discord.Gateway.Internal;

/// <summary>
/// Discord allows 120 sends per connection per 60 s (more closes with 4008). Ordinary commands get a budget below
/// that (115 by default); heartbeats, Identify and Resume may use the whole 120, so they are never starved.
/// </summary>
internal sealed class GatewaySendLimiter
{
    public const int HardLimit = 120;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _time;
    private readonly int _budget;
    private readonly Lock _lock = new();
    private DateTimeOffset _windowStart;
    private int _count;

    public GatewaySendLimiter(TimeProvider time, int budget)
    {
        _time = time;
        _budget = Math.Clamp(budget, 1, HardLimit);
        _windowStart = time.GetUtcNow();
    }

    public int SentInWindow
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public async ValueTask AcquireAsync(bool priority, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                var now = _time.GetUtcNow();
                if (now - _windowStart >= Window)
                {
                    _windowStart = now;
                    _count = 0;
                }

                if (_count < (priority ? HardLimit : _budget))
                {
                    _count++;
                    return;
                }

                wait = _windowStart + Window - now;
            }

            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
