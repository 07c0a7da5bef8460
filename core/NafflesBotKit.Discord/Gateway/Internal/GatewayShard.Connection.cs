using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace NafflesBotKit.Discord.Gateway.Internal;

internal sealed partial class GatewayShard
{
    private long? CurrentSequence
    {
        get
        {
            lock (_stateLock)
            {
                return _sequence < 0 ? null : _sequence;
            }
        }
    }

    private async Task<Outcome> RunConnectionAsync(Uri baseUrl, bool resume, CancellationToken stop)
    {
        var generation = Interlocked.Increment(ref _generation);
        var uri = BuildUri(baseUrl, _options.Compression);
        SetState(GatewayShardState.Connecting);
        Log.Connecting(_logger, ShardId, ShardCount, uri.GetLeftPart(UriPartial.Path), resume ? "resume" : "identify");
        using var connection = new Connection(this, generation, resume, stop);
        Volatile.Write(ref _current, connection);
        try
        {
            try
            {
                using var handshake = new CancellationTokenSource(_options.HandshakeTimeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(handshake.Token, stop);
                await connection.Socket.ConnectAsync(uri, linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                return new Outcome(resume ? GatewayRecovery.Resume : GatewayRecovery.Identify, null, "connect failed: " + ex.Message, ReachedReady: false);
            }
            catch (OperationCanceledException)
            {
                return new Outcome(GatewayRecovery.Identify, null, "stopped", ReachedReady: false);
            }

            connection.StartHelloTimeout();
            string? failure = null;
            try
            {
                await ReceiveLoopAsync(connection).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
            {
                failure = ex.Message;
            }
            catch (Exception ex) when (ex is InvalidDataException or JsonException or InvalidOperationException or ArgumentException)
            {
                // A corrupt zlib stream (or a bug of ours) poisons this connection's context: start over with a fresh
                // socket and resume, counted as a failure so a repeating fault backs off instead of spinning.
                Log.ConnectionFaulted(_logger, ex, ShardId);
                connection.End(GatewayRecovery.Resume, GatewayCloseCodes.Resumable, "decode failure: " + ex.GetType().Name, countAsFailure: true);
            }

            connection.StopTimers();
            if (stop.IsCancellationRequested)
            {
                connection.End(GatewayRecovery.Identify, StopCloseCode, "shutting down");
                await connection.ClosingTask.ConfigureAwait(false);
                return new Outcome(GatewayRecovery.Identify, StopCloseCode, "stopped", connection.ReachedReady);
            }

            if (connection.EndRecovery is { } ours)
            {
                await connection.ClosingTask.ConfigureAwait(false);
                return new Outcome(ours, connection.EndCode, connection.EndReason, connection.ReachedReady && !connection.CountAsFailure, connection.InvalidSessionWait);
            }

            if (connection.Socket.CloseStatus is { } status)
            {
                var code = (int)status;
                await connection.AcknowledgeCloseAsync().ConfigureAwait(false);
                return new Outcome(GatewayCloseCodes.Classify(code), code, "closed by the server: " + connection.Socket.CloseStatusDescription, connection.ReachedReady);
            }

            return new Outcome(GatewayRecovery.Resume, null, "connection lost" + (failure is null ? "" : ": " + failure), connection.ReachedReady);
        }
        finally
        {
            Interlocked.CompareExchange(ref _current, null, connection);
        }
    }

    private async Task ReceiveLoopAsync(Connection c)
    {
        var socket = c.Socket;
        var ct = c.Token;
        if (c.Inflater is { } inflater)
        {
            while (!c.Ended)
            {
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(inflater.GetInputBuffer(8192), ct).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    inflater.Advance(result.Count);
                }
                while (!result.EndOfMessage);

                // A payload may span several WebSocket messages: inflate only once the sync-flush marker arrives.
                if (inflater.HasCompleteMessage)
                {
                    Process(c, inflater.Inflate());
                }
            }

            return;
        }

        var text = new ArrayBufferWriter<byte>(16 * 1024);
        while (!c.Ended)
        {
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(text.GetMemory(8192), ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                text.Advance(result.Count);
            }
            while (!result.EndOfMessage);

            Process(c, text.WrittenSpan);
            text.ResetWrittenCount();
        }
    }

    private void Process(Connection c, ReadOnlySpan<byte> payload)
    {
        GatewayEnvelope envelope;
        try
        {
            envelope = GatewayPayloadReader.ReadEnvelope(payload);
        }
        catch (JsonException ex)
        {
            Log.DecodeFailed(_logger, ex, ShardId);
            return;
        }

        var data = payload.Slice(envelope.DataStart, envelope.DataLength);
        switch (envelope.Op)
        {
            case GatewayOp.Dispatch:
                OnDispatch(c, envelope, data);
                break;
            case GatewayOp.Heartbeat:
                c.SendHeartbeat();
                break;
            case GatewayOp.HeartbeatAck:
                c.OnAck();
                break;
            case GatewayOp.Hello:
                double interval;
                try
                {
                    interval = GatewayPayloadReader.ReadHeartbeatInterval(data);
                }
                catch (JsonException ex)
                {
                    Log.DecodeFailed(_logger, ex, ShardId);
                    return;
                }

                c.OnHello(TimeSpan.FromMilliseconds(interval));
                break;
            case GatewayOp.Reconnect:
                c.End(GatewayRecovery.Resume, GatewayCloseCodes.Resumable, "op 7 reconnect");
                break;
            case GatewayOp.InvalidSession:
                var resumable = envelope.DataToken == JsonTokenType.True;
                Log.InvalidSession(_logger, ShardId, resumable);
                if (resumable)
                {
                    c.End(GatewayRecovery.Resume, GatewayCloseCodes.Resumable, "op 9 invalid session (resumable)");
                }
                else
                {
                    ClearSession();
                    c.End(GatewayRecovery.Identify, 1000, "op 9 invalid session", invalidSessionWait: true);
                }

                break;
            default:
                break;
        }
    }

    private void OnDispatch(Connection c, in GatewayEnvelope envelope, ReadOnlySpan<byte> data)
    {
        if (c.Generation != Volatile.Read(ref _generation) || c.Ended)
        {
            return; // from a connection that is no longer the shard's
        }

        var name = envelope.EventName ?? "";
        long seq;
        lock (_stateLock)
        {
            if (envelope.Sequence is { } s)
            {
                _sequence = s;
            }

            seq = _sequence;
        }

        if (name == "READY")
        {
            var (sessionId, resumeUrl, guilds) = GatewayPayloadReader.ReadReady(data);
            Uri? resume = null;
            if (resumeUrl is not null)
            {
                _ = Uri.TryCreate(resumeUrl, UriKind.Absolute, out resume);
            }

            lock (_stateLock)
            {
                _sessionId = sessionId;
                _resumeUrl = resume ?? _info.Url;
                _state = GatewayShardState.Ready;
            }

            c.MarkReady();
            Log.Ready(_logger, ShardId, guilds.Count);
        }
        else if (name == "RESUMED")
        {
            SetState(GatewayShardState.Ready);
            c.MarkReady();
            Log.Resumed(_logger, ShardId, seq < 0 ? null : seq);
        }

        _dispatches.Writer.TryWrite(new GatewayDispatch(ShardId, seq, name, data.ToArray()));
    }

    /// <summary>One WebSocket connection of the shard, with its own zlib context, timers and send budget.</summary>
    private sealed class Connection : IDisposable
    {
        private readonly GatewayShard _shard;
        private readonly CancellationTokenSource _cts;
        private readonly SemaphoreSlim _sendLock = new(1, 1);
        private readonly GatewaySendLimiter _limiter;
        private readonly bool _resume;
        private readonly Lock _timerLock = new();
        private readonly CancellationTokenRegistration _stopRegistration;
        private ITimer? _heartbeat;
        private ITimer? _helloTimeout;
        private ITimer? _readyTimeout;
        private int _ended;
        private int _awaitingAck;
        private long _lastBeat;

        public Connection(GatewayShard shard, int generation, bool resume, CancellationToken stop)
        {
            _shard = shard;
            Generation = generation;
            _resume = resume;
            // Not linked to stop: a shutdown first sends a 1000 close frame, then cancels the receive.
            _cts = new CancellationTokenSource();
            _stopRegistration = stop.Register(static state => ((Connection)state!).End(GatewayRecovery.Identify, ((Connection)state!)._shard.StopCloseCode, "shutting down"), this);
            _limiter = new GatewaySendLimiter(shard._time, shard._options.SendBudgetPerMinute);
            Socket.Options.KeepAliveInterval = TimeSpan.Zero; // the gateway heartbeat is the keep-alive
            Inflater = shard._options.Compression == GatewayCompression.ZlibStream ? new ZlibStreamInflater() : null;
        }

        public int Generation { get; }

        public ClientWebSocket Socket { get; } = new();

        public ZlibStreamInflater? Inflater { get; }

        public CancellationToken Token => _cts.Token;

        public bool Ended => Volatile.Read(ref _ended) != 0;

        public bool ReachedReady { get; private set; }

        public GatewayRecovery? EndRecovery { get; private set; }

        public int? EndCode { get; private set; }

        public string EndReason { get; private set; } = "";

        public bool InvalidSessionWait { get; private set; }

        public bool CountAsFailure { get; private set; }

        public Task ClosingTask { get; private set; } = Task.CompletedTask;

        private bool IsCurrent => !Ended && Generation == Volatile.Read(ref _shard._generation);

        public void StartHelloTimeout()
        {
            lock (_timerLock)
            {
                _helloTimeout = _shard._time.CreateTimer(
                    static state =>
                    {
                        var c = (Connection)state!;
                        Log.Timeout(c._shard._logger, c._shard.ShardId, "Hello", c._shard._options.HelloTimeout);
                        c.End(GatewayRecovery.Resume, GatewayCloseCodes.Resumable, "no Hello");
                    },
                    this,
                    _shard._options.HelloTimeout,
                    Timeout.InfiniteTimeSpan);
            }
        }

        public void OnHello(TimeSpan interval)
        {
            lock (_timerLock)
            {
                _helloTimeout?.Dispose();
                _helloTimeout = null;
                if (_heartbeat is not null || Ended)
                {
                    return;
                }

                // First beat after interval * jitter, then every interval.
                var first = TimeSpan.FromTicks((long)(interval.Ticks * _shard.NextRandom()));
                _heartbeat = _shard._time.CreateTimer(static state => ((Connection)state!).OnBeatDue(), this, first, interval);
            }

            _ = AuthenticateAsync();
        }

        public void SendHeartbeat()
        {
            if (!IsCurrent)
            {
                return;
            }

            Volatile.Write(ref _awaitingAck, 1);
            Interlocked.Exchange(ref _lastBeat, _shard._time.GetTimestamp());
            var buffer = new ArrayBufferWriter<byte>(32);
            GatewayPayloadWriter.WriteHeartbeat(buffer, _shard.CurrentSequence);
            _ = SendQuietlyAsync(buffer.WrittenMemory, priority: true);
        }

        public void OnAck()
        {
            Volatile.Write(ref _awaitingAck, 0);
            var sent = Interlocked.Read(ref _lastBeat);
            if (sent != 0)
            {
                Interlocked.Exchange(ref _shard._latencyTicks, _shard._time.GetElapsedTime(sent).Ticks);
            }

            Interlocked.Exchange(ref _shard._lastAckUtcTicks, _shard._time.GetUtcNow().UtcTicks);
        }

        public void MarkReady()
        {
            ReachedReady = true;
            lock (_timerLock)
            {
                _readyTimeout?.Dispose();
                _readyTimeout = null;
            }
        }

        public async ValueTask SendAsync(ReadOnlyMemory<byte> payload, bool priority, CancellationToken cancellationToken)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Token);
            await _limiter.AcquireAsync(priority, linked.Token).ConfigureAwait(false);
            await _sendLock.WaitAsync(linked.Token).ConfigureAwait(false);
            try
            {
                await Socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, linked.Token).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }

        /// <summary>Ends the connection (once): sends a close frame with <paramref name="code"/>, then stops receiving.</summary>
        public void End(GatewayRecovery recovery, int code, string reason, bool invalidSessionWait = false, bool countAsFailure = false)
        {
            if (Interlocked.Exchange(ref _ended, 1) != 0)
            {
                return;
            }

            CountAsFailure = countAsFailure;
            EndRecovery = recovery;
            EndCode = code;
            EndReason = reason;
            InvalidSessionWait = invalidSessionWait;
            StopTimers();
            ClosingTask = CloseAndCancelAsync(code, reason);
        }

        public async Task AcknowledgeCloseAsync()
        {
            if (Socket.State == WebSocketState.CloseReceived)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _shard._time);
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
                {
                }
            }
        }

        public void StopTimers()
        {
            lock (_timerLock)
            {
                _heartbeat?.Dispose();
                _helloTimeout?.Dispose();
                _readyTimeout?.Dispose();
                _heartbeat = _helloTimeout = _readyTimeout = null;
            }
        }

        public void Dispose()
        {
            _stopRegistration.Dispose();
            StopTimers();
            _cts.Cancel();
            Socket.Dispose();
            Inflater?.Dispose();
            _cts.Dispose();
            _sendLock.Dispose();
        }

        private void OnBeatDue()
        {
            if (!IsCurrent)
            {
                return;
            }

            if (Volatile.Read(ref _awaitingAck) != 0)
            {
                Log.Zombie(_shard._logger, _shard.ShardId);
                End(GatewayRecovery.Resume, GatewayCloseCodes.Resumable, "zombie connection (no heartbeat ACK)");
                return;
            }

            SendHeartbeat();
        }

        private async Task AuthenticateAsync()
        {
            try
            {
                var shard = _shard;
                if (shard._fence is { } fence && !await fence(Token).ConfigureAwait(false))
                {
                    // Fencing: this process no longer holds the shard's lease; another one may be connecting it.
                    Log.LeaseLost(shard._logger, shard.ShardId);
                    End(GatewayRecovery.Identify, GatewayCloseCodes.Resumable, "shard lease lost");
                    return;
                }

                var buffer = new ArrayBufferWriter<byte>(512);
                string? sessionId;
                lock (shard._stateLock)
                {
                    sessionId = shard._sessionId;
                }

                if (_resume && sessionId is not null)
                {
                    shard.SetState(GatewayShardState.Resuming);
                    GatewayPayloadWriter.WriteResume(buffer, shard._options.BareToken, sessionId, shard.CurrentSequence);
                }
                else
                {
                    shard.SetState(GatewayShardState.Identifying);
                    await shard._throttler.WaitAsync(shard.ShardId, shard._info.SessionStartLimit.MaxConcurrency, Token).ConfigureAwait(false);
                    if (!IsCurrent)
                    {
                        return;
                    }

                    GatewayPayloadWriter.WriteIdentify(
                        buffer,
                        shard._options.BareToken,
                        shard._options.Intents,
                        shard._options.OperatingSystem ?? OperatingSystemName(),
                        shard.ShardId,
                        shard.ShardCount,
                        shard._options.LargeThreshold);
                }

                await SendAsync(buffer.WrittenMemory, priority: true, Token).ConfigureAwait(false);
                if (!_resume || sessionId is null)
                {
                    try
                    {
                        await shard._throttler.IdentifySentAsync(shard.ShardId, shard._info.SessionStartLimit.MaxConcurrency, Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // The grant already spaced it; only the delay after the grant goes uncounted.
                        Log.IdentifySentNotRecorded(shard._logger, ex, shard.ShardId);
                    }
                }

                lock (_timerLock)
                {
                    if (!Ended && !ReachedReady)
                    {
                        _readyTimeout = shard._time.CreateTimer(
                            static state =>
                            {
                                var c = (Connection)state!;
                                Log.Timeout(c._shard._logger, c._shard.ShardId, c._resume ? "RESUMED" : "READY", c._shard._options.ReadyTimeout);
                                // A resume that never completes falls back to a new session.
                                c.End(GatewayRecovery.Identify, GatewayCloseCodes.Resumable, "no READY/RESUMED");
                            },
                            this,
                            shard._options.ReadyTimeout,
                            Timeout.InfiniteTimeSpan);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                // the connection ended meanwhile; the receive loop reports why
            }
            catch (Exception ex)
            {
                // e.g. a distributed throttler that is down: don't sit on a socket that will never identify.
                Log.AuthenticateFailed(_shard._logger, ex, _shard.ShardId);
                End(_resume ? GatewayRecovery.Resume : GatewayRecovery.Identify, GatewayCloseCodes.Resumable, "identify/resume failed: " + ex.GetType().Name, countAsFailure: true);
            }
        }

        private async Task SendQuietlyAsync(ReadOnlyMemory<byte> payload, bool priority)
        {
            try
            {
                await SendAsync(payload, priority, Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                Log.SendFailed(_shard._logger, ex, _shard.ShardId);
            }
        }

        private async Task CloseAndCancelAsync(int code, string reason)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _shard._time);
                await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
                try
                {
                    if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await Socket.CloseOutputAsync((WebSocketCloseStatus)code, reason.Length > 120 ? reason[..120] : reason, timeout.Token).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _sendLock.Release();
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
            }
            finally
            {
                try
                {
                    _cts.Cancel();
                }
                catch (ObjectDisposedException)
                {
                }
            }
        }
    }
}
