using System.Globalization;
using NafflesBotKit.Discord.Gateway;
using NafflesBotKit.Runtime.Services;
using StackExchange.Redis;

namespace NafflesBotKit.Host.Cluster;

/// <summary>
/// Shard leases in Redis. A lease is <c>{prefix}shard:{id}:lease = "owner|token"</c> set with <c>SET NX PX</c> semantics
/// inside a script that also <c>INCR</c>s <c>{prefix}shard:{id}:fence</c> — the fencing token, which only grows. Renew,
/// release, the fencing check and session saves compare the whole value, so a process whose lease expired (and was
/// taken) can no longer touch it. Lease expiry is Redis's own clock; membership uses the hosts' clocks.
/// </summary>
internal sealed class RedisShardLeaseStore(RedisConnection redis, TimeProvider time) : IShardLeaseStore
{
    private static readonly TimeSpan SessionLifetime = TimeSpan.FromMinutes(15);

    // KEYS: lease, fence. ARGV: owner, ttl ms. Returns the new token, or nil when held.
    private const string AcquireScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return false end
        local token = redis.call('INCR', KEYS[2])
        redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[2])
        return token
        """;

    // KEYS: lease. ARGV: value, ttl ms.
    private const string RenewScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return 0
        """;

    // KEYS: lease. ARGV: value.
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    // KEYS: lease, session. ARGV: value, session ('' = forget), ttl ms.
    private const string SaveSessionScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        if ARGV[2] == '' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) end
        return 1
        """;

    // KEYS: members. ARGV: owner, now ms, ttl ms. Returns the live member count.
    private const string HeartbeatScript = """
        redis.call('ZADD', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[3]), ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 4)
        return redis.call('ZCARD', KEYS[1])
        """;

    public async ValueTask<int> HeartbeatAsync(string owner, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var result = await db.ScriptEvaluateAsync(HeartbeatScript, [Members], [owner, time.GetUtcNow().ToUnixTimeMilliseconds(), Ms(ttl)]).ConfigureAwait(false);
        return (int)(long)result;
    }

    public async ValueTask LeaveAsync(string owner, CancellationToken cancellationToken)
    {
        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await db.SortedSetRemoveAsync(Members, owner).ConfigureAwait(false);
    }

    public async ValueTask<ShardLease?> TryAcquireAsync(int shardId, string owner, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var result = await db.ScriptEvaluateAsync(AcquireScript, [LeaseKey(shardId), Key(shardId, "fence")], [owner, Ms(ttl)]).ConfigureAwait(false);
        return result.IsNull ? null : new ShardLease(shardId, owner, (long)result);
    }

    public async ValueTask<bool> RenewAsync(ShardLease lease, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        return (long)await db.ScriptEvaluateAsync(RenewScript, [LeaseKey(lease.ShardId)], [Value(lease), Ms(ttl)]).ConfigureAwait(false) == 1;
    }

    public async ValueTask<bool> ReleaseAsync(ShardLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        return (long)await db.ScriptEvaluateAsync(ReleaseScript, [LeaseKey(lease.ShardId)], [Value(lease)]).ConfigureAwait(false) == 1;
    }

    public async ValueTask<bool> IsHeldAsync(ShardLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        return await db.StringGetAsync(LeaseKey(lease.ShardId)).ConfigureAwait(false) == Value(lease);
    }

    public async ValueTask<IReadOnlyList<ShardOwner>> GetOwnersAsync(int shardCount, CancellationToken cancellationToken)
    {
        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var keys = Enumerable.Range(0, shardCount).Select(LeaseKey).ToArray();
        var values = await db.StringGetAsync(keys).ConfigureAwait(false);
        var ttls = await Task.WhenAll(keys.Select(k => db.KeyTimeToLiveAsync(k))).ConfigureAwait(false);
        var owners = new ShardOwner[shardCount];
        for (var i = 0; i < shardCount; i++)
        {
            var value = (string?)values[i];
            var split = value?.LastIndexOf('|') ?? -1;
            owners[i] = split > 0 && long.TryParse(value![(split + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var token)
                ? new ShardOwner(i, value[..split], token, ttls[i])
                : new ShardOwner(i, null, 0, null);
        }

        return owners;
    }

    public async ValueTask SaveSessionAsync(ShardLease lease, ShardSessionState? session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var text = session is null ? "" : string.Join('\n', session.SessionId, session.ResumeUrl, session.Sequence.ToString(CultureInfo.InvariantCulture));
        await db.ScriptEvaluateAsync(SaveSessionScript, [LeaseKey(lease.ShardId), Key(lease.ShardId, "session")], [Value(lease), text, Ms(SessionLifetime)]).ConfigureAwait(false);
    }

    public async ValueTask<ShardSessionState?> LoadSessionAsync(int shardId, CancellationToken cancellationToken)
    {
        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var text = (string?)await db.StringGetAsync(Key(shardId, "session")).ConfigureAwait(false);
        var parts = text?.Split('\n');
        return parts is { Length: 3 } && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            ? new ShardSessionState(parts[0], parts[1], seq)
            : null;
    }

    private RedisKey Members => redis.KeyPrefix + "cluster:members";

    private RedisKey LeaseKey(int shardId) => Key(shardId, "lease");

    private RedisKey Key(int shardId, string what) => redis.KeyPrefix + "shard:" + shardId.ToString(CultureInfo.InvariantCulture) + ":" + what;

    private static string Value(ShardLease lease) => lease.Owner + "|" + lease.FencingToken.ToString(CultureInfo.InvariantCulture);

    private static long Ms(TimeSpan span) => (long)Math.Ceiling(span.TotalMilliseconds);
}
