using Microsoft.Extensions.Logging;

namespace NafflesBotKit.Plugins.Shared;

/// <summary>
/// Coalesces refresh requests per key so the flush (a Discord message edit) runs at most once per interval, however many
/// requests arrive: the first request after a quiet interval flushes at once, later ones mark the key dirty and one
/// timer (from the <see cref="TimeProvider"/>) flushes when the interval since the last flush has passed. Nothing is
/// dropped: the last flush always renders the latest state (the v1 bot dropped updates inside its cooldown). With a
/// <see cref="SharedEditGate"/> the interval holds across every process of the bot: a flush first takes the post's
/// shared edit slot and dirty mark; when another process holds the slot it asks again when the slot frees, and when
/// another process already rendered the request it does nothing.
/// </summary>
internal sealed class PostCoalescer : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly Func<string, CancellationToken, ValueTask> _flush;
    private readonly ILogger _logger;
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly SharedEditGate? _gate;

    public PostCoalescer(TimeProvider time, TimeSpan interval, Func<string, CancellationToken, ValueTask> flush, ILogger logger, SharedEditGate? gate = null)
    {
        _time = time;
        _interval = interval;
        _flush = flush;
        _logger = logger;
        _gate = gate;
    }

    /// <summary>Asks for a flush of <paramref name="key"/> (now, or when its interval allows).</summary>
    public void Request(string key)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        State state;
        lock (_states)
        {
            if (!_states.TryGetValue(key, out state!))
            {
                _states[key] = state = new State();
            }
        }

        lock (state)
        {
            state.Dirty = true;
            if (state.Timer is not null || state.Running is not null)
            {
                return;
            }

            ScheduleOrStart(key, state);
        }
    }

    /// <summary>Completes when no flush is running (pending timers are not waited for).</summary>
    public async Task WhenIdleAsync()
    {
        while (true)
        {
            Task[] running;
            lock (_states)
            {
                running = [.. _states.Values.Select(s => { lock (s) { return s.Running; } }).OfType<Task>()];
            }

            if (running.Length == 0)
            {
                return;
            }

            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        List<Task> running = [];
        lock (_states)
        {
            foreach (var state in _states.Values)
            {
                lock (state)
                {
                    state.Timer?.Dispose();
                    state.Timer = null;
                    if (state.Running is { } task)
                    {
                        running.Add(task);
                    }
                }
            }
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        _stopping.Dispose();
    }

    // Called under lock(state).
    private void ScheduleOrStart(string key, State state)
    {
        var due = state.LastFlush is { } last ? last + _interval - _time.GetUtcNow() : TimeSpan.Zero;
        if (due <= TimeSpan.Zero)
        {
            var mark = state.Dirty;
            state.Dirty = false;
            state.LastFlush = _time.GetUtcNow();
            state.Running = Task.Run(() => RunAsync(key, state, mark));
        }
        else
        {
            state.Timer = _time.CreateTimer(_ => OnTimer(key, state), null, due, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimer(string key, State state)
    {
        lock (state)
        {
            state.Timer?.Dispose();
            state.Timer = null;
            if (state.Running is null && !_stopping.IsCancellationRequested)
            {
                if (state.Dirty)
                {
                    ScheduleOrStart(key, state);
                }
                else if (state.AwaitingSlot)
                {
                    state.AwaitingSlot = false;
                    state.LastFlush = _time.GetUtcNow();
                    state.Running = Task.Run(() => RunAsync(key, state, mark: false));
                }
            }
        }
    }

    private async Task RunAsync(string key, State state, bool mark)
    {
        TimeSpan retry = TimeSpan.Zero;
        try
        {
            if (_gate is not null)
            {
                (bool Flush, TimeSpan RetryAfter) taken;
                try
                {
                    if (mark)
                    {
                        await _gate.MarkAsync(key, _stopping.Token).ConfigureAwait(false);
                    }

                    taken = await _gate.TryTakeAsync(key, _stopping.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The shared store is unreachable: coalesce in this process only rather than not edit at all.
                    _logger.LogWarning(ex, "Post {Key}: the shared edit slot is unavailable; editing without it", key);
                    taken = (true, TimeSpan.Zero);
                }

                if (!taken.Flush)
                {
                    retry = taken.RetryAfter;
                    return;
                }
            }

            await _flush(key, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Refreshing post {Key} failed", key);
        }
        finally
        {
            lock (state)
            {
                state.Running = null;
                if (state.Dirty && !_stopping.IsCancellationRequested)
                {
                    ScheduleOrStart(key, state);
                }
                else if (retry > TimeSpan.Zero && !_stopping.IsCancellationRequested)
                {
                    // Another process holds the post's edit slot: ask again when it frees (our mark stays set).
                    state.AwaitingSlot = true;
                    state.Timer?.Dispose();
                    state.Timer = _time.CreateTimer(_ => OnTimer(key, state), null, retry, Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    private sealed class State
    {
        public bool Dirty { get; set; }

        public bool AwaitingSlot { get; set; }

        public DateTimeOffset? LastFlush { get; set; }

        public ITimer? Timer { get; set; }

        public Task? Running { get; set; }
    }
}
