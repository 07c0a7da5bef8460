using Microsoft.Extensions.Hosting;

namespace NafflesBotKit.Plugins.Shared;

/// <summary>
/// The seed's DataSynchronizer loop, shared by the plugins that keep Discord posts in step with Naffles: every
/// <c>interval</c> (on <see cref="TimeProvider"/>), all mapped posts in batches of <c>batchSize</c>, each batch in
/// parallel. A failed pass is reported and the next tick tries again; what one post does is the subclass's business.
/// </summary>
internal abstract class PostSynchronizer(TimeSpan interval, int batchSize, TimeProvider time) : BackgroundService
{
    /// <summary>The clock.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>One pass over every post; returns how many were re-rendered.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<int> SyncAllAsync(CancellationToken cancellationToken)
    {
        var rendered = 0;
        foreach (var batch in (await ListIdsAsync(cancellationToken).ConfigureAwait(false)).Chunk(batchSize))
        {
            var results = await Task.WhenAll(batch.Select(id => SyncOneAsync(id, cancellationToken))).ConfigureAwait(false);
            rendered += results.Count(r => r);
        }

        return rendered;
    }

    /// <summary>The ids of every mapped post.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    protected abstract ValueTask<IReadOnlyList<string>> ListIdsAsync(CancellationToken cancellationToken);

    /// <summary>Syncs one post; true when it was re-rendered.</summary>
    /// <param name="id">The post's id (task or allowlist).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    protected abstract Task<bool> SyncOneAsync(string id, CancellationToken cancellationToken);

    /// <summary>Reports a pass that failed as a whole.</summary>
    /// <param name="exception">Why.</param>
    protected abstract void OnPassFailed(Exception exception);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await SyncAllAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    OnPassFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
