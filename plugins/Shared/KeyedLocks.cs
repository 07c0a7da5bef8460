namespace NafflesBotKit.Plugins.Shared;

/// <summary>One async lock per key, created on demand and dropped when nobody holds or waits for it.</summary>
internal sealed class KeyedLocks
{
    private readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> _locks = new(StringComparer.Ordinal);

    public async ValueTask<IDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate;
        lock (_locks)
        {
            var entry = _locks.TryGetValue(key, out var e) ? e : (new SemaphoreSlim(1, 1), 0);
            _locks[key] = (entry.Item1, entry.Item2 + 1);
            gate = entry.Item1;
        }

        try
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Release(key, signal: false);
            throw;
        }

        return new Releaser(this, key);
    }

    private void Release(string key, bool signal)
    {
        lock (_locks)
        {
            var (gate, users) = _locks[key];
            if (signal)
            {
                gate.Release();
            }

            if (users == 1)
            {
                _locks.Remove(key);
                gate.Dispose();
            }
            else
            {
                _locks[key] = (gate, users - 1);
            }
        }
    }

    private sealed class Releaser(KeyedLocks owner, string key) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                owner.Release(key, signal: true);
            }
        }
    }
}
