using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace NafflesBotKit.Discord.Gateway.Internal;

/// <summary>
/// One shard: a state machine that owns at most one connection at a time. Each connection gets a generation number;
/// anything a stale connection (its timers, its late sends) tries to do is dropped. The session (id, resume URL,
/// last seq) survives connections; the zlib context, heartbeat timer and send budget do not.
/// </summary>
internal sealed partial class GatewayShard
{
    private readonly DiscordGatewayOptions _options;
    private readonly IIdentifyThrottler _throttler;
    private readonly IGatewayEventSink _sink;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly Channel<GatewayDispatch> _dispatches = Channel.CreateUnbounded<GatewayDispatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Lock _stateLock = new();

    private readonly GatewayBotInfo _info;
    private int _generation;
    private Connection? _current;
    private string? _sessionId;
    private Uri? _resumeUrl;
    private long _sequence = -1;
    private GatewayShardState _state = GatewayShardState.Idle;
    private long _latencyTicks = -1;
    private long _lastAckUtcTicks;
    private int _reconnects;
    private int? _lastCloseCode;
    private string? _fatalReason;
    private long _processedSequence = -1;
    private readonly Func<CancellationToken, ValueTask<bool>>? _fence;

    public GatewayShard(
        int shardId,
        int shardCount,
        GatewayBotInfo info,
        DiscordGatewayOptions options,
        IIdentifyThrottler throttler,
        IGatewayEventSink sink,
        TimeProvider time,
        Random random,
        ILogger logger,
        ShardSessionState? session = null,
        Func<CancellationToken, ValueTask<bool>>? fence = null)
    {
        ShardId = shardId;
        ShardCount = shardCount;
        _info = info;
        _options = options;
        _throttler = throttler;
        _sink = sink;
        _time = time;
        _random = random;
        _logger = logger;
        _fence = fence;
        if (session is not null && Uri.TryCreate(session.ResumeUrl, UriKind.Absolute, out var resumeUrl))
        {
            // Taken over from another process: resume its session where it stopped processing.
            _sessionId = session.SessionId;
            _resumeUrl = resumeUrl;
            _sequence = session.Sequence;
            _processedSequence = session.Sequence;
        }
    }

    public int ShardId { get; }

    /// <summary>
    /// The close code sent when the shard is stopped: 1000 ends the session at Discord; a resumable code (4200) keeps
    /// it alive so another process can resume it (cluster handover).
    /// </summary>
    public int StopCloseCode { get; set; } = 1000;

    /// <summary>The resumable session with the last sequence the sink finished with, or null without a session.</summary>
    public ShardSessionState? SessionState
    {
        get
        {
            lock (_stateLock)
            {
                var processed = Interlocked.Read(ref _processedSequence);
                return _sessionId is null || _resumeUrl is null
                    ? null
                    : new ShardSessionState(_sessionId, _resumeUrl.ToString(), Math.Max(0, Math.Min(processed, _sequence)));
            }
        }
    }

    public int ShardCount { get; }

    public GatewayShardStatus Status
    {
        get
        {
            lock (_stateLock)
            {
                var latency = Interlocked.Read(ref _latencyTicks);
                return new GatewayShardStatus(
                    ShardId,
                    ShardCount,
                    _state,
                    latency < 0 ? null : TimeSpan.FromTicks(latency),
                    _sessionId is not null,
                    _sequence < 0 ? null : _sequence,
                    _reconnects,
                    _lastCloseCode,
                    _fatalReason,
                    Interlocked.Read(ref _lastAckUtcTicks) is var ack and > 0 ? new DateTimeOffset(ack, TimeSpan.Zero) : null);
            }
        }
    }

    /// <summary>Runs the shard until <paramref name="stop"/> or a fatal close code.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var pump = PumpAsync(stop);
        try
        {
            await ConnectLoopAsync(stop).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            // A bug, not a protocol outcome: make it visible in status and logs rather than losing the shard quietly.
            lock (_stateLock)
            {
                _state = GatewayShardState.Faulted;
                _fatalReason = "internal error: " + ex.Message;
            }

            Log.ShardCrashed(_logger, ex, ShardId);
        }
        finally
        {
            _dispatches.Writer.TryComplete();
            await pump.ConfigureAwait(false);
        }
    }

    /// <summary>Sends a gateway command (presence update, request guild members, ...) on the current connection.</summary>
    public async ValueTask SendCommandAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (payload.Length > 4096)
        {
            throw new ArgumentException("Gateway payloads are limited to 4096 bytes (Discord closes with 4002).", nameof(payload));
        }

        var connection = Volatile.Read(ref _current);
        if (connection is null || Status.State != GatewayShardState.Ready)
        {
            throw new InvalidOperationException($"Shard {ShardId} is not connected.");
        }

        await connection.SendAsync(payload, priority: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task ConnectLoopAsync(CancellationToken stop)
    {
        var recovery = _sessionId is null ? GatewayRecovery.Identify : GatewayRecovery.Resume;
        var failures = 0;
        var delay = TimeSpan.Zero;
        var first = true;
        while (!stop.IsCancellationRequested)
        {
            if (delay > TimeSpan.Zero)
            {
                SetState(GatewayShardState.Reconnecting);
                Log.Backoff(_logger, ShardId, delay, failures);
                try
                {
                    await Task.Delay(delay, _time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var resume = recovery == GatewayRecovery.Resume && _sessionId is not null && _resumeUrl is not null;
            if (!resume)
            {
                ClearSession();
            }

            if (!first)
            {
                lock (_stateLock)
                {
                    _reconnects++;
                }
            }

            first = false;
            var outcome = await RunConnectionAsync(resume ? _resumeUrl! : _info.Url, resume, stop).ConfigureAwait(false);
            lock (_stateLock)
            {
                _lastCloseCode = outcome.CloseCode ?? _lastCloseCode;
            }

            if (stop.IsCancellationRequested)
            {
                break;
            }

            if (outcome.Recovery == GatewayRecovery.Fatal)
            {
                var code = outcome.CloseCode ?? 0;
                var description = GatewayCloseCodes.Describe(code);
                lock (_stateLock)
                {
                    _fatalReason = $"{code}: {description}";
                    _state = GatewayShardState.Faulted;
                }

                ClearSession();
                Log.Fatal(_logger, ShardId, code, description);
                return;
            }

            Log.ConnectionEnded(_logger, ShardId, outcome.Reason, outcome.CloseCode, outcome.Recovery);
            failures = outcome.ReachedReady ? 0 : failures + 1;
            recovery = outcome.Recovery;
            if (outcome.InvalidSessionWait)
            {
                // op 9 d:false: a random 1-5 s before identifying anew.
                delay = TimeSpan.FromMilliseconds(1000 + (NextRandom() * 4000));
            }
            else if (failures > 0)
            {
                delay = Backoff(failures);
            }
            else
            {
                delay = TimeSpan.Zero;
            }
        }

        SetState(GatewayShardState.Stopped);
    }

    private TimeSpan Backoff(int failures)
    {
        var baseMs = _options.ReconnectBaseDelay.TotalMilliseconds;
        var maxMs = _options.ReconnectMaxDelay.TotalMilliseconds;
        var exp = Math.Min(maxMs, baseMs * Math.Pow(2, Math.Min(failures - 1, 16)));
        // "equal jitter": half fixed, half random, so retries of many shards spread out.
        return TimeSpan.FromMilliseconds((exp / 2) + (NextRandom() * exp / 2));
    }

    private void ClearSession()
    {
        lock (_stateLock)
        {
            _sessionId = null;
            _resumeUrl = null;
            _sequence = -1;
            Interlocked.Exchange(ref _processedSequence, -1);
        }
    }

    private void SetState(GatewayShardState state)
    {
        lock (_stateLock)
        {
            _state = state;
        }
    }

    private async Task PumpAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var dispatch in _dispatches.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                try
                {
                    await _sink.OnDispatchAsync(dispatch, stop).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    Log.SinkFailed(_logger, ex, ShardId, dispatch.EventName, dispatch.Sequence);
                }

                if (dispatch.Sequence > 0)
                {
                    Interlocked.Exchange(ref _processedSequence, dispatch.Sequence);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The injected Random may be a plain (not thread-safe) instance shared by every shard's timers.</summary>
    private double NextRandom()
    {
        lock (_random)
        {
            return _random.NextDouble();
        }
    }

    private static Uri BuildUri(Uri baseUrl, GatewayCompression compression)
    {
        var builder = new UriBuilder(baseUrl);
        if (string.IsNullOrEmpty(builder.Path))
        {
            builder.Path = "/";
        }

        builder.Query = compression == GatewayCompression.ZlibStream ? "v=10&encoding=json&compress=zlib-stream" : "v=10&encoding=json";
        return builder.Uri;
    }

    private static string OperatingSystemName() =>
        OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "darwin" : RuntimeInformation.OSDescription;

    private readonly record struct Outcome(GatewayRecovery Recovery, int? CloseCode, string Reason, bool ReachedReady, bool InvalidSessionWait = false);
}
