using System.Text.Json.Serialization;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.Shared;

/// <summary>
/// Coalesces post edits across every process of the bot (each process has its own <see cref="PostCoalescer"/>): a
/// request marks the post dirty in the plugin store, and a flush first takes the post's edit slot from the rate limiter
/// (one per interval, shared when they live in Redis) and then the dirty mark. So a burst of webhooks spread over
/// several processes edits the post at most once per interval, by whichever process gets the slot, and the last edit
/// always renders state newer than the last request. With the embedded store and limiter it is the same in one process.
/// </summary>
internal sealed class SharedEditGate(IRateLimiter limiter, IPluginStore store, string kind, TimeSpan interval)
{
    private readonly TimeSpan _markLifetime = interval * 20 > TimeSpan.FromMinutes(1) ? interval * 20 : TimeSpan.FromMinutes(1);

    /// <summary>Records that <paramref name="key"/> needs an edit (kept until some process flushes it).</summary>
    public ValueTask MarkAsync(string key, CancellationToken cancellationToken) =>
        store.SetAsync(MarkKey(key), true, SharedJsonContext.Default.Boolean, _markLifetime, cancellationToken);

    /// <summary>
    /// Takes the edit slot and the dirty mark. <c>Flush</c>: edit now. Otherwise <c>RetryAfter</c> &gt; 0 when the slot is
    /// taken (ask again then), zero when another process already consumed the mark (nothing to do).
    /// </summary>
    public async ValueTask<(bool Flush, TimeSpan RetryAfter)> TryTakeAsync(string key, CancellationToken cancellationToken)
    {
        var decision = await limiter.TryAcquireAsync([new RateLimitRule($"post-edit:{kind}:{key}", 1, interval)], cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            return (false, decision.RetryAfter > TimeSpan.Zero ? decision.RetryAfter : TimeSpan.FromMilliseconds(50));
        }

        return (await store.DeleteAsync(MarkKey(key), cancellationToken).ConfigureAwait(false), TimeSpan.Zero);
    }

    private string MarkKey(string key) => $"post-dirty/{kind}/{key}";
}

[JsonSerializable(typeof(bool))]
internal sealed partial class SharedJsonContext : JsonSerializerContext;
