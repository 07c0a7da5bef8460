using System.ComponentModel.DataAnnotations;

namespace NafflesBotKit.Discord.Gateway;

/// <summary>A shard's resumable session, kept where another process can resume it.</summary>
/// <param name="SessionId">READY's <c>session_id</c>.</param>
/// <param name="ResumeUrl">READY's <c>resume_gateway_url</c>.</param>
/// <param name="Sequence">The last sequence number whose dispatch was fully handled.</param>
public sealed record ShardSessionState(string SessionId, string ResumeUrl, long Sequence);

/// <summary>A lease on one shard held by one process.</summary>
/// <param name="ShardId">The shard.</param>
/// <param name="Owner">The holding process.</param>
/// <param name="FencingToken">Increases with every acquisition of the shard: a stale holder's token no longer matches.</param>
public sealed record ShardLease(int ShardId, string Owner, long FencingToken);

/// <summary>Who holds a shard now (status pages).</summary>
/// <param name="ShardId">The shard.</param>
/// <param name="Owner">The holding process, or null when the shard is free.</param>
/// <param name="FencingToken">The holder's fencing token (0 when free).</param>
/// <param name="ExpiresIn">How long the lease lasts without renewal.</param>
public sealed record ShardOwner(int ShardId, string? Owner, long FencingToken, TimeSpan? ExpiresIn);

/// <summary>
/// Where shard leases, cluster membership and resumable sessions live. The Redis implementation shares them between
/// processes (SET NX PX + compare-and-renew scripts, INCR fencing tokens); <see cref="InMemoryShardLeaseStore"/> keeps
/// them in one process.
/// </summary>
public interface IShardLeaseStore
{
    /// <summary>Announces <paramref name="owner"/> as alive for <paramref name="ttl"/> and returns the live members.</summary>
    /// <param name="owner">This process.</param>
    /// <param name="ttl">How long the announcement lasts.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask<int> HeartbeatAsync(string owner, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Withdraws <paramref name="owner"/> from the live members.</summary>
    /// <param name="owner">This process.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask LeaveAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Takes the shard's lease if nobody holds it; the lease carries a new fencing token.</summary>
    /// <param name="shardId">The shard.</param>
    /// <param name="owner">This process.</param>
    /// <param name="ttl">Lease duration.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask<ShardLease?> TryAcquireAsync(int shardId, string owner, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Extends the lease if it is still this one (same owner and token).</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="ttl">New duration from now.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask<bool> RenewAsync(ShardLease lease, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Gives the lease up if it is still this one.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask<bool> ReleaseAsync(ShardLease lease, CancellationToken cancellationToken);

    /// <summary>Whether the lease is still held with this fencing token (checked right before Identify/Resume).</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask<bool> IsHeldAsync(ShardLease lease, CancellationToken cancellationToken);

    /// <summary>The holder of every shard.</summary>
    /// <param name="shardCount">Total shards.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask<IReadOnlyList<ShardOwner>> GetOwnersAsync(int shardCount, CancellationToken cancellationToken);

    /// <summary>Saves the shard's session for whoever takes the shard next, if <paramref name="lease"/> is still held.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="session">The session, or null to forget it (the session ended).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask SaveSessionAsync(ShardLease lease, ShardSessionState? session, CancellationToken cancellationToken);

    /// <summary>The shard's saved session, if any.</summary>
    /// <param name="shardId">The shard.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask<ShardSessionState?> LoadSessionAsync(int shardId, CancellationToken cancellationToken);
}

/// <summary>
/// Cluster configuration (section <c>Cluster</c>): several processes share the shards of one bot through leases. On when
/// <see cref="Enabled"/> is true (the host turns it on by default when <c>Redis:Configuration</c> is set and no
/// <c>Discord:Gateway:ShardIds</c> are pinned).
/// </summary>
public sealed class ShardClusterOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Cluster";

    /// <summary>Whether shards are leased instead of configured.</summary>
    public bool Enabled { get; set; }

    /// <summary>This process's name in leases and status; default: host name, process id and a random suffix.</summary>
    public string? ProcessId { get; set; }

    /// <summary>How long a lease lasts without renewal: a crashed process's shards are free after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often leases are renewed, sessions saved and free shards claimed (less than a third of the lease).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:03:00")]
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At most this many shards per process (0 = no cap); the share is otherwise shards / live processes, rounded up.</summary>
    [Range(0, 65535)]
    public int MaxShards { get; set; }

    /// <summary>How long a starting process waits, announced, before claiming (so processes started together split evenly).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan JoinDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The process id in use.</summary>
    internal string ResolvedProcessId => string.IsNullOrWhiteSpace(ProcessId)
        ? _defaultId ??= $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}"
        : ProcessId;

    private string? _defaultId;
}

/// <summary>Which process owns which shard (status page, metrics).</summary>
public interface IShardOwnership
{
    /// <summary>Whether shards are leased (several processes) rather than configured.</summary>
    bool Clustered { get; }

    /// <summary>This process's id.</summary>
    string ProcessId { get; }

    /// <summary>The shards this process holds now.</summary>
    IReadOnlyList<int> OwnedShards { get; }

    /// <summary>Every shard and its holder.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask<IReadOnlyList<ShardOwner>> GetOwnersAsync(CancellationToken cancellationToken);
}

/// <summary>An <see cref="IShardLeaseStore"/> in this process's memory (one process, or tests).</summary>
public sealed class InMemoryShardLeaseStore : IShardLeaseStore
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<int, (ShardLease Lease, DateTimeOffset Until)> _leases = [];
    private readonly Dictionary<int, long> _tokens = [];
    private readonly Dictionary<int, ShardSessionState> _sessions = [];
    private readonly Dictionary<string, DateTimeOffset> _members = new(StringComparer.Ordinal);

    /// <summary>Creates the store.</summary>
    /// <param name="timeProvider">Clock for expiry.</param>
    public InMemoryShardLeaseStore(TimeProvider timeProvider) => _time = timeProvider;

    /// <inheritdoc />
    public ValueTask<int> HeartbeatAsync(string owner, TimeSpan ttl, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _members[owner] = now + ttl;
            foreach (var gone in _members.Where(m => m.Value <= now).Select(m => m.Key).ToList())
            {
                _members.Remove(gone);
            }

            return ValueTask.FromResult(_members.Count);
        }
    }

    /// <inheritdoc />
    public ValueTask LeaveAsync(string owner, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _members.Remove(owner);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<ShardLease?> TryAcquireAsync(int shardId, string owner, TimeSpan ttl, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (_leases.TryGetValue(shardId, out var held) && held.Until > now)
            {
                return ValueTask.FromResult<ShardLease?>(null);
            }

            var token = _tokens[shardId] = _tokens.GetValueOrDefault(shardId) + 1;
            var lease = new ShardLease(shardId, owner, token);
            _leases[shardId] = (lease, now + ttl);
            return ValueTask.FromResult<ShardLease?>(lease);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RenewAsync(ShardLease lease, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (!HeldLocked(lease))
            {
                return ValueTask.FromResult(false);
            }

            _leases[lease.ShardId] = (lease, _time.GetUtcNow() + ttl);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(ShardLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            return ValueTask.FromResult(HeldLocked(lease) && _leases.Remove(lease.ShardId));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> IsHeldAsync(ShardLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            return ValueTask.FromResult(HeldLocked(lease));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ShardOwner>> GetOwnersAsync(int shardCount, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var owners = Enumerable.Range(0, shardCount).Select(id => _leases.TryGetValue(id, out var held) && held.Until > now
                ? new ShardOwner(id, held.Lease.Owner, held.Lease.FencingToken, held.Until - now)
                : new ShardOwner(id, null, 0, null)).ToArray();
            return ValueTask.FromResult<IReadOnlyList<ShardOwner>>(owners);
        }
    }

    /// <inheritdoc />
    public ValueTask SaveSessionAsync(ShardLease lease, ShardSessionState? session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (HeldLocked(lease))
            {
                if (session is null)
                {
                    _sessions.Remove(lease.ShardId);
                }
                else
                {
                    _sessions[lease.ShardId] = session;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<ShardSessionState?> LoadSessionAsync(int shardId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_sessions.GetValueOrDefault(shardId));
        }
    }

    private bool HeldLocked(ShardLease lease) =>
        _leases.TryGetValue(lease.ShardId, out var held) && held.Until > _time.GetUtcNow() && held.Lease == lease;
}

/// <summary>
/// Optional side of an <see cref="IIdentifyThrottler"/> that also enforces the daily identify budget
/// (<c>session_start_limit</c>) across processes.
/// </summary>
public interface IIdentifyBudget
{
    /// <summary>Seeds the shared budget from <c>GET /gateway/bot</c> (kept if already seeded for this period).</summary>
    /// <param name="limit">The limit Discord reported.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask SeedAsync(SessionStartLimit limit, CancellationToken cancellationToken);
}
