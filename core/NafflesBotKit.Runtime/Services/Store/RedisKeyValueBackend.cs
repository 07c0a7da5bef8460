using System.Globalization;
using StackExchange.Redis;

namespace NafflesBotKit.Runtime.Services.Store;

/// <summary>
/// The store in Redis, so several hosts share it. A value is a hash <c>{v: bytes, e: expiry ms (0 = none)}</c> under
/// <c>{prefix}store:{plugin}:{guild|_}:{key}</c>; a sorted set per scope indexes keys for prefix listing and a set per
/// guild names the plugins holding its data. Every operation is one Lua script (one round trip, atomic). Expiry is
/// judged with the host's clock (as in the SQLite store); Redis's own expiry only collects the garbage.
/// Uses several keys per script, so it needs a single Redis (or one with replicas), not Redis Cluster.
/// </summary>
public sealed class RedisKeyValueBackend(RedisConnection redis, TimeProvider time) : IKeyValueBackend
{
    private const string SetScript = """
        if ARGV[6] == '1' then
          local e = redis.call('HGET', KEYS[1], 'e')
          if e and (tonumber(e) == 0 or tonumber(e) > tonumber(ARGV[3])) then return 0 end
        end
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'v', ARGV[1], 'e', ARGV[2])
        if ARGV[4] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
        redis.call('ZADD', KEYS[2], 0, ARGV[5])
        if ARGV[7] ~= '' then redis.call('SADD', KEYS[3], ARGV[7]) end
        return 1
        """;

    private const string DeleteScript = """
        local e = redis.call('HGET', KEYS[1], 'e')
        redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        if e and (tonumber(e) == 0 or tonumber(e) > tonumber(ARGV[2])) then return 1 end
        return 0
        """;

    private const string ListScript = """
        local members = redis.call('ZRANGEBYLEX', KEYS[1], ARGV[2], ARGV[3])
        local out = {}
        for _, m in ipairs(members) do
          local e = redis.call('HGET', ARGV[1] .. m, 'e')
          if not e then
            redis.call('ZREM', KEYS[1], m)
          elseif tonumber(e) == 0 or tonumber(e) > tonumber(ARGV[4]) then
            out[#out + 1] = m
          end
        end
        return out
        """;

    private const string DeleteGuildScript = """
        local plugins = redis.call('SMEMBERS', KEYS[1])
        local n = 0
        for _, p in ipairs(plugins) do
          local idx = ARGV[1] .. 'store-idx:' .. p .. ':' .. ARGV[2]
          local base = ARGV[1] .. 'store:' .. p .. ':' .. ARGV[2] .. ':'
          for _, m in ipairs(redis.call('ZRANGE', idx, 0, -1)) do
            n = n + redis.call('DEL', base .. m)
          end
          redis.call('DEL', idx)
        end
        redis.call('DEL', KEYS[1])
        return n
        """;

    /// <inheritdoc />
    public async ValueTask<byte[]?> GetAsync(StoreKey key, CancellationToken cancellationToken)
    {
        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var fields = await db.HashGetAsync(ValueKey(key), ["v", "e"]).ConfigureAwait(false);
        if (fields[0].IsNull || !IsLive((long)fields[1]))
        {
            return null;
        }

        return (byte[]?)fields[0];
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(StoreKey key, byte[] value, DateTimeOffset? expiresAt, CancellationToken cancellationToken) =>
        await WriteAsync(key, value, expiresAt, onlyIfAbsent: false, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<bool> TryAddAsync(StoreKey key, byte[] value, DateTimeOffset? expiresAt, CancellationToken cancellationToken) =>
        WriteAsync(key, value, expiresAt, onlyIfAbsent: true, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(StoreKey key, CancellationToken cancellationToken)
    {
        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var result = await db.ScriptEvaluateAsync(DeleteScript, [ValueKey(key), IndexKey(key.Plugin, key.Guild)], [key.Key, Now()]).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ListKeysAsync(string plugin, ulong? guild, string prefix, CancellationToken cancellationToken)
    {
        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        RedisValue min = prefix.Length == 0 ? "-" : "[" + prefix;
        RedisValue max = prefix.Length == 0 ? "+" : (RedisValue)UpperBound(prefix);
        var result = await db.ScriptEvaluateAsync(
            ListScript,
            [IndexKey(plugin, guild)],
            [ScopeBase(plugin, guild), min, max, Now()]).ConfigureAwait(false);
        var keys = ((RedisResult[]?)result ?? []).Select(r => (string)r!).ToList();
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    /// <inheritdoc />
    public async ValueTask<int> DeleteGuildAsync(ulong guildId, CancellationToken cancellationToken)
    {
        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var result = await db.ScriptEvaluateAsync(
            DeleteGuildScript,
            [GuildSetKey(guildId)],
            [redis.KeyPrefix, guildId.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
        return (int)(long)result;
    }

    private static byte[] UpperBound(string prefix) => [.. System.Text.Encoding.UTF8.GetBytes("[" + prefix), 0xFF];

    private static string GuildPart(ulong? guild) => guild?.ToString(CultureInfo.InvariantCulture) ?? "_";

    private async ValueTask<bool> WriteAsync(StoreKey key, byte[] value, DateTimeOffset? expiresAt, bool onlyIfAbsent, CancellationToken cancellationToken)
    {
        var db = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        RedisValue gcAfter = RedisValue.EmptyString;
        if (expiresAt is { } e)
        {
            // Garbage collection only, by Redis's clock; a minute of slack so clocks that differ a little never lose live data.
            gcAfter = (long)Math.Max(1, (e - now).TotalMilliseconds) + 60_000;
        }

        var result = await db.ScriptEvaluateAsync(
            SetScript,
            [ValueKey(key), IndexKey(key.Plugin, key.Guild), key.Guild is { } g ? GuildSetKey(g) : IndexKey(key.Plugin, key.Guild)],
            [value, expiresAt?.ToUnixTimeMilliseconds() ?? 0, now.ToUnixTimeMilliseconds(), gcAfter, key.Key, onlyIfAbsent ? "1" : "0", key.Guild is null ? RedisValue.EmptyString : key.Plugin])
            .ConfigureAwait(false);
        return (long)result == 1;
    }

    private bool IsLive(long expiresAt) => expiresAt == 0 || expiresAt > Now();

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private string ScopeBase(string plugin, ulong? guild) => $"{redis.KeyPrefix}store:{plugin}:{GuildPart(guild)}:";

    private RedisKey ValueKey(StoreKey key) => ScopeBase(key.Plugin, key.Guild) + key.Key;

    private RedisKey IndexKey(string plugin, ulong? guild) => $"{redis.KeyPrefix}store-idx:{plugin}:{GuildPart(guild)}";

    private RedisKey GuildSetKey(ulong guild) => $"{redis.KeyPrefix}store-guild:{guild.ToString(CultureInfo.InvariantCulture)}";
}
