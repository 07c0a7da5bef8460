using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NafflesBotKit.Discord.Gateway.Internal;

namespace NafflesBotKit.Discord.Gateway;

/// <summary>
/// Runs the shards of the bot: fetches <c>GET /gateway/bot</c>, decides the shard count, starts one state machine per
/// shard and hands every dispatch to the <see cref="IGatewayEventSink"/>. Which shards: the configured ones, or — in a
/// cluster (an <see cref="IShardLeaseStore"/> and <see cref="ShardClusterOptions.Enabled"/>) — those whose lease this
/// process holds, claimed up to its share, renewed, handed over on shutdown and taken over from crashed processes.
/// </summary>
public sealed partial class DiscordGatewayClient : IGatewayStatus, IShardOwnership, IAsyncDisposable
{
    private readonly DiscordGatewayOptions _options;
    private readonly IGatewayInfoSource _infoSource;
    private readonly IIdentifyThrottler _throttler;
    private readonly IGatewayEventSink _sink;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ILogger _shardLogger;
    private readonly IShardLeaseStore? _leases;
    private readonly ShardClusterOptions? _cluster;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<int, RunningShard> _running = new();
    private GatewayBotInfo? _info;
    private Task _completion = Task.CompletedTask;
    private CancellationTokenSource? _stop;
    private int _disposed;

    /// <summary>Creates the client.</summary>
    /// <param name="options">Gateway options (validated).</param>
    /// <param name="infoSource"><c>GET /gateway/bot</c>.</param>
    /// <param name="throttler">Identify throttler shared by every shard (and process).</param>
    /// <param name="sink">Receives the dispatches.</param>
    /// <param name="timeProvider">Clock for heartbeats, timeouts and backoff.</param>
    /// <param name="loggerFactory">Loggers.</param>
    /// <param name="random">Randomness for heartbeat and backoff jitter (tests pass a seeded one).</param>
    /// <param name="leaseStore">Shard leases, for a cluster of processes (used when <paramref name="cluster"/> is enabled).</param>
    /// <param name="cluster">Cluster options; null or disabled = run the configured shards.</param>
    public DiscordGatewayClient(
        IOptions<DiscordGatewayOptions> options,
        IGatewayInfoSource infoSource,
        IIdentifyThrottler throttler,
        IGatewayEventSink sink,
        TimeProvider timeProvider,
        ILoggerFactory? loggerFactory = null,
        Random? random = null,
        IShardLeaseStore? leaseStore = null,
        ShardClusterOptions? cluster = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _infoSource = infoSource;
        _throttler = throttler;
        _sink = sink;
        _time = timeProvider;
        _random = random ?? Random.Shared;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<DiscordGatewayClient>();
        _shardLogger = _loggerFactory.CreateLogger("NafflesBotKit.Discord.Gateway.Shard");
        if (cluster is { Enabled: true } && leaseStore is not null)
        {
            _cluster = cluster;
            _leases = leaseStore;
        }
    }

    /// <summary>The last <c>GET /gateway/bot</c> answer.</summary>
    public GatewayBotInfo? GatewayInfo => _info;

    /// <summary>Total shard count in use.</summary>
    public int ShardCount { get; private set; }

    /// <summary>Completes when every shard has stopped (on request or fatally).</summary>
    public Task Completion => _completion;

    /// <inheritdoc />
    public IReadOnlyList<GatewayShardStatus> Shards => _running.Values.OrderBy(r => r.Shard.ShardId).Select(r => r.Shard.Status).ToArray();

    /// <inheritdoc />
    public bool Clustered => _cluster is not null;

    /// <inheritdoc />
    public string ProcessId => _cluster?.ResolvedProcessId ?? $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <inheritdoc />
    public IReadOnlyList<int> OwnedShards => _running.Keys.Order().ToArray();

    /// <summary>Fetches the gateway info and starts the shards; returns once they are started (not ready).</summary>
    /// <param name="cancellationToken">Cancels the start (not the shards).</param>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_stop is not null)
            {
                throw new InvalidOperationException("The gateway client is already started.");
            }

            _stop = new CancellationTokenSource();
        }

        var info = await FetchInfoWithRetryAsync(cancellationToken).ConfigureAwait(false);
        _info = info;
        var count = _options.ShardCount > 0 ? _options.ShardCount : info.Shards;
        ShardCount = count;
        var ids = _options.ShardIds.Count > 0 ? _options.ShardIds.Order().ToArray() : Enumerable.Range(0, count).ToArray();
        if (ids.Any(id => id >= count))
        {
            throw new OptionsValidationException(nameof(DiscordGatewayOptions), typeof(DiscordGatewayOptions), [$"ShardIds must be < {count}."]);
        }

        var limit = info.SessionStartLimit;
        if (limit.Remaining < Math.Max(10, ids.Length * 2))
        {
            Log.LowSessionStarts(_logger, limit.Remaining, limit.Total, limit.ResetAfter);
        }

        if (_throttler is IIdentifyBudget budget)
        {
            await budget.SeedAsync(limit, cancellationToken).ConfigureAwait(false);
        }

        var stop = _stop.Token;
        if (_cluster is not null)
        {
            Log.Starting(_logger, "leased (cluster " + ProcessId + ")", count, limit.MaxConcurrency);
            _completion = Task.Run(() => RunClusterAsync(stop), CancellationToken.None);
            return;
        }

        Log.Starting(_logger, string.Join(',', ids), count, limit.MaxConcurrency);
        // Shards start in order; the identify throttler makes buckets identify in order too.
        _completion = Task.WhenAll(ids.Select(id => StartShard(id, null, null, stop).Task));
    }

    /// <summary>Stops every shard (closing with 1000) and waits for them.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        CancellationTokenSource? stop;
        lock (_lock)
        {
            stop = _stop;
        }

        if (stop is null || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await _completion.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The status of one shard, or null if this process doesn't run it.</summary>
    /// <param name="shardId">Shard id.</param>
    public GatewayShardStatus? GetShard(int shardId) => _running.TryGetValue(shardId, out var r) ? r.Shard.Status : null;

    /// <summary>
    /// Sends a gateway command (a whole payload <c>{"op":3,"d":...}</c>, at most 4096 bytes) on a shard, within the
    /// per-connection send budget.
    /// </summary>
    /// <param name="shardId">The shard.</param>
    /// <param name="payload">UTF-8 JSON payload.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public ValueTask SendAsync(int shardId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (!_running.TryGetValue(shardId, out var running))
        {
            throw new ArgumentOutOfRangeException(nameof(shardId), shardId, "This process does not run that shard.");
        }

        return running.Shard.SendCommandAsync(payload, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Idempotent: the container disposes it once per registration that resolves it (client and IGatewayStatus).
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _stop?.Dispose();
            }
        }
    }

    private async Task<GatewayBotInfo> FetchInfoWithRetryAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _infoSource.GetGatewayBotAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (ex.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
            {
                // A bad token: retrying only adds to the invalid-request count that earns a Cloudflare ban.
                Log.GatewayInfoUnauthorized(_logger, ex);
                throw;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(attempt - 1, 6))) * (0.5 + (NextRandom() / 2)));
                Log.GatewayInfoFailed(_logger, ex, attempt, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private double NextRandom()
    {
        lock (_random)
        {
            return _random.NextDouble();
        }
    }
}
