namespace NafflesBotKit.Host.Playground;

/// <summary>
/// A version number that moves whenever something the playground shows may have changed (the bot wrote to the Discord
/// emulator, an interaction or a simulated event was sent); the page's event stream waits on it.
/// </summary>
internal sealed class PlaygroundChanges
{
    private readonly Lock _gate = new();
    private long _version;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    public void Notify()
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            _version++;
            done = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }

    /// <summary>Waits until the version differs from <paramref name="seen"/> or the wait ends; returns the current version.</summary>
    /// <param name="seen">The version the caller has.</param>
    /// <param name="maxWait">How long to wait at most (keep-alive period).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<long> WaitAsync(long seen, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        Task next;
        lock (_gate)
        {
            if (_version != seen)
            {
                return _version;
            }

            next = _next.Task;
        }

        try
        {
            await next.WaitAsync(maxWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // keep-alive
        }

        return Version;
    }
}
