using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace NafflesBotKit.Runtime.Services;

/// <summary>
/// The host's one Redis connection, opened asynchronously on first use (never while the container resolves services)
/// and shared by the store, the rate limiter and the cache.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable, IDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection;

    /// <summary>Creates the holder; nothing connects until <see cref="GetDatabaseAsync"/>.</summary>
    /// <param name="options">Redis options.</param>
    public RedisConnection(IOptions<RedisOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        KeyPrefix = value.KeyPrefix;
        _connection = new Lazy<Task<ConnectionMultiplexer>>(
            () => ConnectAsync(value.Configuration ?? throw new InvalidOperationException("Redis:Configuration is not set.")),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Prefix of every key.</summary>
    public string KeyPrefix { get; }

    /// <summary>The database, connecting on first call.</summary>
    /// <param name="cancellationToken">Cancellation of the wait (the connection attempt itself continues).</param>
    /// <returns>The database.</returns>
    public async ValueTask<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken)
    {
        var connection = await _connection.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        return connection.GetDatabase();
    }

    /// <summary>The pub/sub side of the same connection (cross-process notifications), connecting on first call.</summary>
    /// <param name="cancellationToken">Cancellation of the wait (the connection attempt itself continues).</param>
    /// <returns>The subscriber.</returns>
    public async ValueTask<ISubscriber> GetSubscriberAsync(CancellationToken cancellationToken)
    {
        var connection = await _connection.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        return connection.GetSubscriber();
    }

    private static Task<ConnectionMultiplexer> ConnectAsync(string configuration)
    {
        // Keep retrying in the background when Redis is down at start, instead of caching a failed connection forever.
        var options = ConfigurationOptions.Parse(configuration);
        if (!configuration.Contains("abortConnect", StringComparison.OrdinalIgnoreCase))
        {
            options.AbortOnConnectFail = false;
        }

        return ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            _connection.Value.Result.Dispose();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await _connection.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }
}
