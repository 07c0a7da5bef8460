using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace NafflesBotKit.Runtime.Services.Store;

/// <summary>
/// The embedded store: one SQLite file (WAL journal), created with its folder on first use. Each call takes a pooled
/// connection, so the backend is safe to share between threads.
/// </summary>
public sealed class SqliteKeyValueBackend : IKeyValueBackend, IAsyncDisposable, IDisposable
{
    private const string Schema = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS kv (
            plugin TEXT NOT NULL,
            guild INTEGER NOT NULL,
            key TEXT NOT NULL,
            value BLOB NOT NULL,
            expires_at INTEGER NULL,
            PRIMARY KEY (plugin, guild, key)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS kv_guild ON kv (guild);
        """;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _init = new(1, 1);
    private volatile bool _ready;
    private int _writes;

    /// <summary>Creates the backend; the file is opened on first use.</summary>
    /// <param name="options">Where the file is.</param>
    /// <param name="time">The clock that judges expiry.</param>
    public SqliteKeyValueBackend(IOptions<StorageOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        FilePath = System.IO.Path.GetFullPath(options.Value.Path);
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public async ValueTask<byte[]?> GetAsync(StoreKey key, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT value FROM kv WHERE plugin = $p AND guild = $g AND key = $k AND (expires_at IS NULL OR expires_at > $now)";
            Bind(command, key);
            command.Parameters.AddWithValue("$now", Now());
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
        }
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(StoreKey key, byte[] value, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO kv (plugin, guild, key, value, expires_at) VALUES ($p, $g, $k, $v, $e)
                ON CONFLICT (plugin, guild, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
                """;
            Bind(command, key, value, expiresAt);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await MaybePurgeAsync(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryAddAsync(StoreKey key, byte[] value, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();

            // An expired row counts as absent: the upsert only replaces it when it has expired.
            command.CommandText = """
                INSERT INTO kv (plugin, guild, key, value, expires_at) VALUES ($p, $g, $k, $v, $e)
                ON CONFLICT (plugin, guild, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
                WHERE kv.expires_at IS NOT NULL AND kv.expires_at <= $now
                """;
            Bind(command, key, value, expiresAt);
            command.Parameters.AddWithValue("$now", Now());
            var changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await MaybePurgeAsync(connection, cancellationToken).ConfigureAwait(false);
            return changed > 0;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(StoreKey key, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM kv WHERE plugin = $p AND guild = $g AND key = $k RETURNING (expires_at IS NULL OR expires_at > $now)";
            Bind(command, key);
            command.Parameters.AddWithValue("$now", Now());
            var live = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return live is long l && l != 0;
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ListKeysAsync(string plugin, ulong? guild, string prefix, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT key FROM kv
                WHERE plugin = $p AND guild = $g AND substr(key, 1, length($prefix)) = $prefix AND (expires_at IS NULL OR expires_at > $now)
                ORDER BY key
                """;
            command.Parameters.AddWithValue("$p", plugin);
            command.Parameters.AddWithValue("$g", GuildColumn(guild));
            command.Parameters.AddWithValue("$prefix", prefix);
            command.Parameters.AddWithValue("$now", Now());
            var keys = new List<string>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    keys.Add(reader.GetString(0));
                }
            }

            // SQLite's BINARY collation orders UTF-8 bytes; keep the documented ordinal (UTF-16) order.
            keys.Sort(StringComparer.Ordinal);
            return keys;
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> DeleteGuildAsync(ulong guildId, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM kv WHERE guild = $g";
            command.Parameters.AddWithValue("$g", GuildColumn(guildId));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Releases pooled connections so the file can be reopened or removed.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Releases pooled connections so the file can be reopened or removed.</summary>
    public void Dispose()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _init.Dispose();
    }

    private static long GuildColumn(ulong? guild) => unchecked((long)(guild ?? 0));

    private static void Bind(SqliteCommand command, StoreKey key)
    {
        command.Parameters.AddWithValue("$p", key.Plugin);
        command.Parameters.AddWithValue("$g", GuildColumn(key.Guild));
        command.Parameters.AddWithValue("$k", key.Key);
    }

    private static void Bind(SqliteCommand command, StoreKey key, byte[] value, DateTimeOffset? expiresAt)
    {
        Bind(command, key);
        command.Parameters.AddWithValue("$v", value);
        command.Parameters.AddWithValue("$e", expiresAt is { } e ? e.ToUnixTimeMilliseconds() : DBNull.Value);
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_ready)
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        await _init.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready)
            {
                return;
            }

            var folder = System.IO.Path.GetDirectoryName(FilePath);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            var connection = new SqliteConnection(_connectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                using var command = connection.CreateCommand();
                command.CommandText = Schema;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            _ready = true;
        }
        finally
        {
            _init.Release();
        }
    }

    private async ValueTask MaybePurgeAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        // Expired rows are invisible to reads; sweep them now and then so the file does not grow without bound.
        if (Interlocked.Increment(ref _writes) % 256 != 0)
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= $now";
        command.Parameters.AddWithValue("$now", Now());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
