using System.Collections;
using System.Collections.Concurrent;

namespace NafflesBotKit.Runtime.Plugins;

/// <summary>A small thread-safe set of names compared ignoring case.</summary>
public sealed class ConcurrentSet : IEnumerable<string>
{
    private readonly ConcurrentDictionary<string, byte> _items = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds a name; false when present.</summary>
    /// <param name="item">The name.</param>
    public bool Add(string item) => _items.TryAdd(item, 0);

    /// <summary>Removes a name; false when absent.</summary>
    /// <param name="item">The name.</param>
    public bool Remove(string item) => _items.TryRemove(item, out _);

    /// <summary>Whether the name is present.</summary>
    /// <param name="item">The name.</param>
    public bool Contains(string item) => _items.ContainsKey(item);

    /// <inheritdoc />
    public IEnumerator<string> GetEnumerator() => _items.Keys.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
