namespace NafflesBotKit.Plugins.HealthMonitor.Security;

/// <summary>Timestamps per key within a window, in memory, with a bounded number of keys.</summary>
internal sealed class SlidingWindows(int maxKeys = 10_000)
{
    private readonly Dictionary<string, List<DateTimeOffset>> _events = new(StringComparer.Ordinal);

    /// <summary>Adds an occurrence and returns the occurrences of the key within the window (including this one).</summary>
    public IReadOnlyList<DateTimeOffset> Add(string key, DateTimeOffset at, TimeSpan window, int keep = 0)
    {
        lock (_events)
        {
            if (!_events.TryGetValue(key, out var list))
            {
                if (_events.Count >= maxKeys)
                {
                    Prune(at, window);
                }

                _events[key] = list = [];
            }

            list.Add(at);
            list.RemoveAll(t => at - t > window);
            if (keep > 0 && list.Count > keep)
            {
                list.RemoveRange(0, list.Count - keep);
            }

            return [.. list];
        }
    }

    /// <summary>Forgets a key (after a signal fired, so it fires again only on new activity).</summary>
    public void Clear(string key)
    {
        lock (_events)
        {
            _events.Remove(key);
        }
    }

    private void Prune(DateTimeOffset now, TimeSpan window)
    {
        foreach (var key in _events.Where(p => p.Value.Count == 0 || now - p.Value[^1] > window).Select(p => p.Key).ToList())
        {
            _events.Remove(key);
        }

        if (_events.Count >= maxKeys)
        {
            _events.Clear();
        }
    }
}
