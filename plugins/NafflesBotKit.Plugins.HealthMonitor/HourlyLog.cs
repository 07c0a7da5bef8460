using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.HealthMonitor;

/// <summary>
/// An append-only time series in the plugin store, one document per hour (<c>{prefix}/{yyyyMMddHH}</c>) that expires
/// after the retention. Appends from this process are serialised; two hosts appending to the same series at once may
/// lose a sample (acceptable for monitoring data).
/// </summary>
internal sealed class HourlyLog<T>(IPluginStore store, string prefix, JsonTypeInfo<List<T>> typeInfo, Func<T, DateTimeOffset> timeOf, TimeSpan retention)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async ValueTask AppendAsync(T item, CancellationToken cancellationToken)
    {
        var key = KeyFor(timeOf(item));
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var items = await store.GetAsync(key, typeInfo, cancellationToken).ConfigureAwait(false) ?? [];
            items.Add(item);
            await store.SetAsync(key, items, typeInfo, retention + TimeSpan.FromHours(1), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Items with <paramref name="from"/> &lt;= time &lt;= <paramref name="to"/>, oldest first.</summary>
    public async ValueTask<List<T>> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var result = new List<T>();
        var hour = new DateTimeOffset(from.UtcDateTime.Date.AddHours(from.UtcDateTime.Hour), TimeSpan.Zero);
        for (; hour <= to; hour = hour.AddHours(1))
        {
            var items = await store.GetAsync(KeyFor(hour), typeInfo, cancellationToken).ConfigureAwait(false);
            if (items is not null)
            {
                result.AddRange(items.Where(i => timeOf(i) >= from && timeOf(i) <= to));
            }
        }

        result.Sort((a, b) => timeOf(a).CompareTo(timeOf(b)));
        return result;
    }

    private string KeyFor(DateTimeOffset time) => prefix + "/" + time.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
}
