using NafflesBotKit.Discord.Gateway.Internal;

namespace NafflesBotKit.Discord.Gateway;

/// <summary>Shard leases: claim, renew, save sessions, hand over, take over.</summary>
public sealed partial class DiscordGatewayClient
{
    private static readonly TimeSpan ShutdownBudget = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ShardOwner>> GetOwnersAsync(CancellationToken cancellationToken)
    {
        if (_leases is not null)
        {
            return await _leases.GetOwnersAsync(ShardCount, cancellationToken).ConfigureAwait(false);
        }

        var owned = _running.Keys.ToHashSet();
        return Enumerable.Range(0, ShardCount).Select(id => new ShardOwner(id, owned.Contains(id) ? ProcessId : null, 0, null)).ToArray();
    }

    private RunningShard StartShard(int shardId, ShardLease? lease, ShardSessionState? session, CancellationToken stop)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Func<CancellationToken, ValueTask<bool>>? fence = null;
        if (lease is not null && _leases is { } leases)
        {
            fence = async ct =>
            {
                var held = await leases.IsHeldAsync(lease, ct).ConfigureAwait(false);
                if (!held)
                {
                    try
                    {
                        await cts.CancelAsync().ConfigureAwait(false);
                    }
                    catch (ObjectDisposedException)
                    {
                    }
                }

                return held;
            };
        }

        var shard = new GatewayShard(shardId, ShardCount, _info!, _options, _throttler, _sink, _time, _random, _shardLogger, session, fence);
        if (_cluster is not null)
        {
            // Stopping hands the shard over: keep its session alive at Discord so the next holder resumes it.
            shard.StopCloseCode = GatewayCloseCodes.Resumable;
        }

        var running = new RunningShard(shard, cts, lease) { LastSaved = session };
        _running[shardId] = running;
        running.Task = Task.Run(() => shard.RunAsync(cts.Token), CancellationToken.None);
        return running;
    }

    private async Task RunClusterAsync(CancellationToken stop)
    {
        var cluster = _cluster!;
        var leases = _leases!;
        try
        {
            await leases.HeartbeatAsync(ProcessId, cluster.LeaseDuration, stop).ConfigureAwait(false);
            if (cluster.JoinDelay > TimeSpan.Zero)
            {
                await Task.Delay(cluster.JoinDelay, _time, stop).ConfigureAwait(false);
            }

            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await ClusterRoundAsync(leases, cluster, stop).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    // Redis unreachable: held shards keep running until their leases would have expired.
                    Log.LeaseRoundFailed(_logger, ex);
                    await StopExpiredAsync(cluster).ConfigureAwait(false);
                }

                await Task.Delay(cluster.RenewInterval, _time, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        await Task.WhenAll(_running.Keys.ToArray().Select(HandOverAsync)).ConfigureAwait(false);
        try
        {
            using var timeout = new CancellationTokenSource(ShutdownBudget, _time);
            await leases.LeaveAsync(ProcessId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.LeaseRoundFailed(_logger, ex);
        }
    }

    private async Task ClusterRoundAsync(IShardLeaseStore leases, ShardClusterOptions cluster, CancellationToken stop)
    {
        var ttl = cluster.LeaseDuration;
        var members = await leases.HeartbeatAsync(ProcessId, ttl, stop).ConfigureAwait(false);
        foreach (var (id, running) in _running.ToArray())
        {
            if (running.Task.IsCompleted)
            {
                // Stopped for good (fatal close code): let go, so the status shows it free.
                _running.TryRemove(id, out _);
                await leases.ReleaseAsync(running.Lease!, stop).ConfigureAwait(false);
                running.Dispose();
                continue;
            }

            if (!await leases.RenewAsync(running.Lease!, ttl, stop).ConfigureAwait(false))
            {
                Log.LeaseRenewFailed(_logger, id);
                _running.TryRemove(id, out _);
                await running.StopAsync().ConfigureAwait(false);
                continue;
            }

            running.RenewedAt = _time.GetUtcNow();
            await SaveSessionAsync(leases, running, stop).ConfigureAwait(false);
        }

        var target = (int)Math.Ceiling(ShardCount / (double)Math.Max(1, members));
        if (cluster.MaxShards > 0)
        {
            target = Math.Min(target, cluster.MaxShards);
        }

        if (target != Volatile.Read(ref _lastTarget))
        {
            Volatile.Write(ref _lastTarget, target);
            Log.ClusterShare(_logger, ProcessId, members, target, ShardCount);
        }

        // A shard whose identify or resume is still in flight is not handed over yet (a later round does it): it has no
        // session to pass on, so the taker would have to identify again, spending identifies from the daily budget.
        var surplus = _running.Count - target;
        var movable = _running
            .Where(r => r.Value.Shard.Status.State is not (GatewayShardState.Connecting or GatewayShardState.Identifying or GatewayShardState.Resuming))
            .Select(r => r.Key)
            .OrderDescending()
            .Take(Math.Max(0, surplus))
            .ToArray();
        foreach (var id in movable)
        {
            Log.HandingOver(_logger, id);
            await HandOverAsync(id).ConfigureAwait(false);
        }

        for (var id = 0; id < ShardCount && _running.Count < target; id++)
        {
            if (_running.ContainsKey(id))
            {
                continue;
            }

            var lease = await leases.TryAcquireAsync(id, ProcessId, ttl, stop).ConfigureAwait(false);
            if (lease is null)
            {
                continue;
            }

            var session = await leases.LoadSessionAsync(id, stop).ConfigureAwait(false);
            Log.LeaseAcquired(_logger, id, ProcessId, lease.FencingToken, session is null ? "identifying" : "resuming session at seq " + session.Sequence);
            var running = StartShard(id, lease, session, stop);
            running.RenewedAt = _time.GetUtcNow();
        }
    }

    private int _lastTarget = -1;

    /// <summary>How many shards this process aims to run, from its last cluster round (-1 before the first).</summary>
    internal int ClusterTarget => Volatile.Read(ref _lastTarget);

    private static async Task SaveSessionAsync(IShardLeaseStore leases, RunningShard running, CancellationToken cancellationToken)
    {
        var state = running.Shard.SessionState;
        if (state != running.LastSaved)
        {
            await leases.SaveSessionAsync(running.Lease!, state, cancellationToken).ConfigureAwait(false);
            running.LastSaved = state;
        }
    }

    /// <summary>Stops a shard with a resumable close, saves its session and releases its lease.</summary>
    private async Task HandOverAsync(int shardId)
    {
        if (!_running.TryRemove(shardId, out var running))
        {
            return;
        }

        await running.StopAsync().ConfigureAwait(false);
        if (_leases is { } leases && running.Lease is { } lease)
        {
            try
            {
                using var timeout = new CancellationTokenSource(ShutdownBudget, _time);
                await SaveSessionAsync(leases, running, timeout.Token).ConfigureAwait(false);
                await leases.ReleaseAsync(lease, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The lease expires by itself; the session saved last round is at most one round old.
                Log.LeaseRoundFailed(_logger, ex);
            }
        }

        running.Dispose();
    }

    /// <summary>Without the lease store, a shard whose lease has surely expired must stop: another process may hold it.</summary>
    private async Task StopExpiredAsync(ShardClusterOptions cluster)
    {
        var now = _time.GetUtcNow();
        foreach (var (id, running) in _running.ToArray())
        {
            if (now - running.RenewedAt >= cluster.LeaseDuration)
            {
                Log.LeaseRenewFailed(_logger, id);
                _running.TryRemove(id, out _);
                await running.StopAsync().ConfigureAwait(false);
                running.Dispose();
            }
        }
    }

    private sealed class RunningShard(GatewayShard shard, CancellationTokenSource stop, ShardLease? lease) : IDisposable
    {
        public GatewayShard Shard { get; } = shard;

        public ShardLease? Lease { get; } = lease;

        public Task Task { get; set; } = Task.CompletedTask;

        public ShardSessionState? LastSaved { get; set; }

        public DateTimeOffset RenewedAt { get; set; }

        public async Task StopAsync()
        {
            try
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
            }

            await Task.ConfigureAwait(false);
        }

        public void Dispose() => stop.Dispose();
    }
}
