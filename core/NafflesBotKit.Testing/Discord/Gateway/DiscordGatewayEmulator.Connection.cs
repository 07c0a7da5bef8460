using System.Globalization;
using System.IO.Compression;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace NafflesBotKit.Testing.Discord;

public sealed partial class DiscordGatewayEmulator
{
    private const int MaxPayloadBytes = 4096;
    private const int SendLimit = 120;
    private static readonly TimeSpan SendWindow = TimeSpan.FromSeconds(60);
    private static ReadOnlySpan<byte> SyncFlushMarker => [0x00, 0x00, 0xff, 0xff];

    private async Task HandleSocketAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var record = new GatewayConnectionRecord(Interlocked.Increment(ref _connectionCounter), context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? "");
        lock (_lock)
        {
            _connections.Add(record);
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var compress = query["compress"].ToString();
        var c = new Connection(this, context, socket, record, compress == "zlib-stream");
        try
        {
            if (query["v"].ToString() != "10")
            {
                Violation($"connection {record.Id}: v={query["v"]} (must be 10)");
                await c.CloseAsync(4012, "Invalid API version").ConfigureAwait(false);
                return;
            }

            if (query["encoding"].ToString() != "json")
            {
                Violation($"connection {record.Id}: encoding={query["encoding"]} (must be json)");
                await c.CloseAsync(4002, "Error while decoding payload").ConfigureAwait(false);
                return;
            }

            if (compress.Length > 0 && compress != "zlib-stream")
            {
                Violation($"connection {record.Id}: compress={compress} (only zlib-stream is emulated)");
            }

            if (_options.SendHello)
            {
                await c.SendAsync($$"""{"op":10,"d":{"heartbeat_interval":{{_options.HeartbeatIntervalMs}}},"s":null,"t":null}""").ConfigureAwait(false);
            }

            await ReceiveLoopAsync(c).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
        {
        }
        finally
        {
            c.Live = false;
            lock (_lock)
            {
                record.Ended = true;
                if (c.ShardId is { } shard && _connectionByShard.TryGetValue(shard, out var current) && ReferenceEquals(current, c))
                {
                    _connectionByShard.Remove(shard);
                }

                if (c.Session is { } s && ReferenceEquals(s.Current, c))
                {
                    s.Current = null;
                }
            }

            c.Dispose();
        }
    }

    private async Task ReceiveLoopAsync(Connection c)
    {
        var buffer = new byte[64 * 1024];
        var socket = c.Socket;
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    c.Record.ClientCloseCode = (int?)socket.CloseStatus;
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await c.CloseAsync((int)(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure), "", record: false).ConfigureAwait(false);
                    }

                    return;
                }

                length += result.Count;
            }
            while (!result.EndOfMessage);

            if (!await HandleMessageAsync(c, buffer.AsMemory(0, length), result.MessageType).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <returns>false when the emulator closed the connection.</returns>
    private async Task<bool> HandleMessageAsync(Connection c, ReadOnlyMemory<byte> message, WebSocketMessageType type)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var json = Encoding.UTF8.GetString(message.Span);
        if (type != WebSocketMessageType.Text)
        {
            Violation($"connection {c.Record.Id}: sent a binary message (the client must send JSON text)");
        }

        if (message.Length > MaxPayloadBytes)
        {
            Violation($"connection {c.Record.Id}: payload of {message.Length} bytes (> 4096)");
            await c.CloseAsync(4002, "Payload too large").ConfigureAwait(false);
            return false;
        }

        if (now - c.WindowStart >= SendWindow)
        {
            c.WindowStart = now;
            c.WindowCount = 0;
        }

        if (++c.WindowCount > SendLimit)
        {
            Violation($"connection {c.Record.Id}: more than 120 payloads in 60 s");
            await c.CloseAsync(4008, "Rate limited.").ConfigureAwait(false);
            return false;
        }

        JsonObject payload;
        int op;
        try
        {
            payload = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("not an object");
            op = payload["op"]!.GetValue<int>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            Violation($"connection {c.Record.Id}: undecodable payload {json}");
            await c.CloseAsync(4002, "Error while decoding payload.").ConfigureAwait(false);
            return false;
        }

        lock (_lock)
        {
            _received.Add(new GatewayClientMessage(c.Record.Id, c.ShardId, op, json, now));
        }

        var d = payload["d"];
        switch (op)
        {
            case 1:
                if (d is not null && d.GetValueKind() != JsonValueKind.Number)
                {
                    Violation($"connection {c.Record.Id}: heartbeat d must be the last seq or null");
                }

                if (!c.Zombie)
                {
                    await c.SendAsync("""{"op":11,"d":null,"s":null,"t":null}""").ConfigureAwait(false);
                }

                return true;
            case 2:
                return await IdentifyAsync(c, d as JsonObject, now).ConfigureAwait(false);
            case 6:
                return await ResumeAsync(c, d as JsonObject).ConfigureAwait(false);
            case 3 or 4 or 8:
                if (c.Session is null)
                {
                    await c.CloseAsync(4003, "Not authenticated.").ConfigureAwait(false);
                    return false;
                }

                return true;
            default:
                Violation($"connection {c.Record.Id}: unknown opcode {op}");
                await c.CloseAsync(4001, "Unknown opcode.").ConfigureAwait(false);
                return false;
        }
    }

    private async Task<bool> IdentifyAsync(Connection c, JsonObject? d, DateTimeOffset now)
    {
        if (c.Session is not null || c.Record.Identified)
        {
            await c.CloseAsync(4005, "Already authenticated.").ConfigureAwait(false);
            return false;
        }

        if (d is null)
        {
            Violation($"connection {c.Record.Id}: identify without d");
            await c.CloseAsync(4002, "Error while decoding payload.").ConfigureAwait(false);
            return false;
        }

        if (d["token"]?.GetValueKind() != JsonValueKind.String || d["token"]!.GetValue<string>() != _options.Token)
        {
            if (d["token"]?.GetValueKind() == JsonValueKind.String && d["token"]!.GetValue<string>().StartsWith("Bot ", StringComparison.Ordinal))
            {
                Violation($"connection {c.Record.Id}: identify token has the 'Bot ' prefix");
            }

            await c.CloseAsync(4004, "Authentication failed.").ConfigureAwait(false);
            return false;
        }

        var problems = new List<string>();
        if (d["properties"] is not JsonObject props)
        {
            problems.Add("properties missing");
        }
        else
        {
            foreach (var key in new[] { "os", "browser", "device" })
            {
                if (props[key]?.GetValueKind() != JsonValueKind.String)
                {
                    problems.Add($"properties.{key} missing");
                }

                if (props.ContainsKey("$" + key))
                {
                    problems.Add($"deprecated properties.${key}");
                }
            }
        }

        if (d["intents"]?.GetValueKind() != JsonValueKind.Number)
        {
            problems.Add("intents missing");
        }

        if (d["large_threshold"] is { } lt && (lt.GetValueKind() != JsonValueKind.Number || lt.GetValue<int>() is < 50 or > 250))
        {
            problems.Add("large_threshold outside 50..250");
        }

        int shardId = 0, shardCount = 1;
        if (d["shard"] is { } shardNode)
        {
            if (shardNode is JsonArray { Count: 2 } arr && arr[0]?.GetValueKind() == JsonValueKind.Number && arr[1]?.GetValueKind() == JsonValueKind.Number)
            {
                shardId = arr[0]!.GetValue<int>();
                shardCount = arr[1]!.GetValue<int>();
            }
            else
            {
                problems.Add("shard must be [id, count]");
            }
        }

        if (problems.Count > 0)
        {
            Violation($"connection {c.Record.Id}: identify shape: {string.Join("; ", problems)}");
            await c.CloseAsync(4002, "Error while decoding payload.").ConfigureAwait(false);
            return false;
        }

        if (shardCount < 1 || shardId < 0 || shardId >= shardCount)
        {
            await c.CloseAsync(4010, "Invalid shard.").ConfigureAwait(false);
            return false;
        }

        var intents = d["intents"]!.GetValue<long>();
        const long documented = 0b11_0011_0001_1111_1111_1111_1111;
        if ((intents & ~documented) != 0)
        {
            await c.CloseAsync(4013, "Invalid intent(s).").ConfigureAwait(false);
            return false;
        }

        const long privileged = (1 << 1) | (1 << 8) | (1 << 15);
        if ((intents & privileged & ~(long)_options.AllowedPrivilegedIntents) != 0)
        {
            await c.CloseAsync(4014, "Disallowed intent(s).").ConfigureAwait(false);
            return false;
        }

        Session session;
        lock (_lock)
        {
            var key = shardId % Math.Max(1, _options.MaxConcurrency);
            if (_lastIdentifyByKey.TryGetValue(key, out var last) && now - last < IdentifyWindow - _options.IdentifyWindowSlack)
            {
                _violations.Add($"identify concurrency: shard {shardId} (key {key}) identified {(now - last).TotalMilliseconds:0} ms after the previous identify of that key");
                session = null!;
            }
            else
            {
                _lastIdentifyByKey[key] = now;
                _identifyTimes.Add(now);
                _remaining--;
                if (!_options.AnswerIdentify)
                {
                    return true;
                }

                var id = $"emu{Interlocked.Increment(ref _sessionCounter):x4}{Guid.NewGuid():N}"[..24];
                session = new Session(this, id, shardId, shardCount);
                _sessions[id] = session;
                if (_sessionByShard.TryGetValue(shardId, out var old))
                {
                    old.Invalid = true;
                }

                _sessionByShard[shardId] = session;
                if (_connectionByShard.TryGetValue(shardId, out var previous) && !ReferenceEquals(previous, c) && previous.Live && !previous.Record.Ended)
                {
                    // Discord would now send this shard's events to two sessions at once.
                    _concurrentConnections.Add($"shard {shardId}: connection {c.Record.Id} identified while connection {previous.Record.Id} was live");
                }

                _connectionByShard[shardId] = c;
                c.ShardId = shardId;
                c.Record.ShardId = shardId;
                c.Record.Identified = true;
            }
        }

        if (session is null)
        {
            await c.SendAsync("""{"op":9,"d":false,"s":null,"t":null}""").ConfigureAwait(false);
            return true;
        }

        await session.StartAsync(c, BuildReady(session), BuildGuildCreates(shardId, shardCount), TakePending(shardId)).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> ResumeAsync(Connection c, JsonObject? d)
    {
        if (d?["token"]?.GetValueKind() != JsonValueKind.String || d["token"]!.GetValue<string>() != _options.Token)
        {
            await c.CloseAsync(4004, "Authentication failed.").ConfigureAwait(false);
            return false;
        }

        var sessionId = d["session_id"]?.GetValueKind() == JsonValueKind.String ? d["session_id"]!.GetValue<string>() : null;
        long? seq = d["seq"]?.GetValueKind() == JsonValueKind.Number ? d["seq"]!.GetValue<long>() : null;
        Session? session;
        Connection? old = null;
        lock (_lock)
        {
            session = sessionId is null ? null : _sessions.GetValueOrDefault(sessionId);
            if (session is null || session.Invalid || seq > session.Sequence)
            {
                session = null;
            }
            else
            {
                old = session.Current;
                _connectionByShard[session.ShardId] = c;
                c.ShardId = session.ShardId;
                c.Record.ShardId = session.ShardId;
            }
        }

        if (session is null)
        {
            await c.SendAsync("""{"op":9,"d":false,"s":null,"t":null}""").ConfigureAwait(false);
            return true;
        }

        if (old is not null && !ReferenceEquals(old, c) && !old.Record.Ended)
        {
            old.Abort();
        }

        await session.ResumeAsync(c, seq ?? 0).ConfigureAwait(false);
        return true;
    }

    private List<(string Name, string Json)> TakePending(int shardId)
    {
        lock (_lock)
        {
            if (_pending.Remove(shardId, out var list))
            {
                return list;
            }
        }

        return [];
    }

    private string BuildReady(Session session)
    {
        var guilds = new JsonArray();
        foreach (var g in _options.Guilds.Where(g => ShardOf(g.Id, session.ShardCount) == session.ShardId))
        {
            guilds.Add(new JsonObject { ["id"] = Str(g.Id), ["unavailable"] = true });
        }

        var ready = new JsonObject
        {
            ["v"] = 10,
            ["user"] = new JsonObject
            {
                ["id"] = Str(_options.BotUserId),
                ["username"] = "NafflesEmulatorBot",
                ["discriminator"] = "0",
                ["global_name"] = null,
                ["avatar"] = null,
                ["bot"] = true,
                ["verified"] = true,
                ["flags"] = 0,
            },
            ["guilds"] = guilds,
            ["session_id"] = session.Id,
            ["resume_gateway_url"] = GatewayUrl.ToString().TrimEnd('/') + "/resume",
            ["shard"] = new JsonArray(session.ShardId, session.ShardCount),
            ["application"] = new JsonObject { ["id"] = Str(_options.ApplicationId), ["flags"] = 0 },
            // Sent by Discord but not documented: clients must tolerate them.
            ["private_channels"] = new JsonArray(),
            ["presences"] = new JsonArray(),
            ["relationships"] = new JsonArray(),
            ["guild_join_requests"] = new JsonArray(),
            ["geo_ordered_rtc_regions"] = new JsonArray("us-east", "us-central"),
            ["session_type"] = "normal",
            ["user_settings"] = new JsonObject(),
            ["_trace"] = new JsonArray("[\"gateway-prd-emulator\",{\"micros\":0}]"),
        };
        return ready.ToJsonString();
    }

    private List<(string Name, string Json)> BuildGuildCreates(int shardId, int shardCount)
    {
        var list = new List<(string, string)>();
        foreach (var g in _options.Guilds.Where(g => ShardOf(g.Id, shardCount) == shardId))
        {
            list.Add(("GUILD_CREATE", BuildGuild(g).ToJsonString()));
        }

        return list;
    }

    /// <summary>The GUILD_CREATE payload of a guild.</summary>
    /// <param name="guild">The guild.</param>
    public static JsonObject BuildGuild(GatewayGuild guild)
    {
        ArgumentNullException.ThrowIfNull(guild);
        var channelId = Str(guild.Id + 1);
        var o = new JsonObject
        {
            ["id"] = Str(guild.Id),
            ["name"] = guild.Name,
            ["icon"] = null,
            ["owner_id"] = Str(guild.OwnerId),
            ["system_channel_id"] = channelId,
            ["joined_at"] = "2024-05-01T12:00:00.000000+00:00",
            ["large"] = false,
            ["unavailable"] = false,
            ["member_count"] = guild.MemberCount,
            ["features"] = new JsonArray(),
            ["roles"] = new JsonArray(new JsonObject { ["id"] = Str(guild.Id), ["name"] = "@everyone", ["permissions"] = "2248473465835073", ["position"] = 0, ["color"] = 0, ["hoist"] = false, ["managed"] = false, ["mentionable"] = false }),
            ["channels"] = new JsonArray(new JsonObject { ["id"] = channelId, ["name"] = "general", ["type"] = 0, ["position"] = 0, ["guild_id"] = Str(guild.Id) }),
            ["members"] = new JsonArray(),
            ["voice_states"] = new JsonArray(),
            ["threads"] = new JsonArray(),
            ["presences"] = new JsonArray(),
            ["stage_instances"] = new JsonArray(),
            ["guild_scheduled_events"] = new JsonArray(),
            ["soundboard_sounds"] = new JsonArray(),
            ["emojis"] = new JsonArray(),
            ["stickers"] = new JsonArray(),
        };
        if (guild.Extra is { } extra)
        {
            foreach (var (key, value) in extra)
            {
                o[key] = value?.DeepClone();
            }
        }

        return o;
    }

    private sealed class Session
    {
        private readonly DiscordGatewayEmulator _owner;
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly List<string> _log = [];

        public Session(DiscordGatewayEmulator owner, string id, int shardId, int shardCount)
        {
            _owner = owner;
            Id = id;
            ShardId = shardId;
            ShardCount = shardCount;
        }

        public string Id { get; }

        public int ShardId { get; }

        public int ShardCount { get; }

        public long Sequence { get; private set; }

        public Connection? Current { get; set; }

        public bool Invalid { get; set; }

        public async Task StartAsync(Connection c, string ready, List<(string Name, string Json)> guilds, List<(string Name, string Json)> pending)
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                Current = c;
                c.Session = this;
                c.Live = true;
                await AppendAndSendAsync("READY", ready).ConfigureAwait(false);
                foreach (var (name, json) in guilds.Concat(pending))
                {
                    await AppendAndSendAsync(name, json).ConfigureAwait(false);
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        public async Task ResumeAsync(Connection c, long fromSeq)
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                Current = c;
                c.Session = this;
                c.Live = true;
                c.Record.Resumed = true;
                for (var i = (int)fromSeq; i < _log.Count; i++)
                {
                    await SendQuietlyAsync(c, _log[i]).ConfigureAwait(false);
                }

                await AppendAndSendAsync("RESUMED", """{"_trace":["[\"gateway-prd-emulator\",{\"micros\":0}]"]}""").ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        public async Task<long> DispatchAsync(string name, string json)
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                return await AppendAndSendAsync(name, json).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        private async Task<long> AppendAndSendAsync(string name, string json)
        {
            long seq;
            lock (_owner._lock)
            {
                seq = ++Sequence;
            }

            var payload = string.Create(CultureInfo.InvariantCulture, $$"""{"t":"{{name}}","s":{{seq}},"op":0,"d":{{json}}}""");
            _log.Add(payload);
            if (Current is { Live: true } c)
            {
                await SendQuietlyAsync(c, payload).ConfigureAwait(false);
            }

            return seq;
        }

        private static async Task SendQuietlyAsync(Connection c, string payload)
        {
            try
            {
                await c.SendAsync(payload).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException or InvalidOperationException)
            {
                // the client is gone; the event stays in the log for Resume
            }
        }
    }

    private sealed class Connection : IDisposable
    {
        /// <summary>Cuts the connection; one that already ended (its context disposed) is left alone.</summary>
        public void Abort()
        {
            try
            {
                Context.Abort();
            }
            catch (ObjectDisposedException)
            {
                // The connection ended on its own between being looked up and being cut: nothing left to close.
            }
        }

        private readonly DiscordGatewayEmulator _owner;
        private readonly SemaphoreSlim _sendLock = new(1, 1);
        private readonly MemoryStream? _deflated;
        private readonly ZLibStream? _deflate;

        public Connection(DiscordGatewayEmulator owner, HttpContext context, WebSocket socket, GatewayConnectionRecord record, bool compress)
        {
            _owner = owner;
            Context = context;
            Socket = socket;
            Record = record;
            WindowStart = owner._options.TimeProvider.GetUtcNow();
            if (compress)
            {
                // One deflate context for the whole connection; Z_SYNC_FLUSH after every payload.
                _deflated = new MemoryStream();
                _deflate = new ZLibStream(_deflated, CompressionLevel.Fastest, leaveOpen: true);
            }
        }

        public HttpContext Context { get; }

        public WebSocket Socket { get; }

        public GatewayConnectionRecord Record { get; }

        public Session? Session { get; set; }

        public int? ShardId { get; set; }

        public volatile bool Zombie;

        public volatile bool Live;

        public DateTimeOffset WindowStart { get; set; }

        public int WindowCount { get; set; }

        public async Task SendAsync(string json)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            await _sendLock.WaitAsync().ConfigureAwait(false);
            try
            {
                // The connection may have ended (and its deflate context been released) while this payload waited.
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_deflate is null)
                {
                    await SendMessageAsync(bytes, WebSocketMessageType.Text).ConfigureAwait(false);
                    return;
                }

                _deflated!.SetLength(0);
                _deflate.Write(bytes);
                _deflate.Flush();
                var compressed = _deflated.ToArray();
                if (!compressed.AsSpan().EndsWith(SyncFlushMarker))
                {
                    _owner.Violation("emulator: deflate flush did not end with 00 00 ff ff");
                }

                var parts = Math.Clamp(_owner._options.SplitMessages, 1, compressed.Length);
                var size = (compressed.Length + parts - 1) / parts;
                for (var offset = 0; offset < compressed.Length; offset += size)
                {
                    await SendMessageAsync(compressed.AsMemory(offset, Math.Min(size, compressed.Length - offset)), WebSocketMessageType.Binary).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }

        public async Task SendRawAsync(byte[] bytes)
        {
            await _sendLock.WaitAsync().ConfigureAwait(false);
            try
            {
                await Socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }

        public async Task CloseAsync(int code, string reason, bool record = true)
        {
            if (record)
            {
                Record.ServerCloseCode = code;
            }

            Live = false;
            try
            {
                await _sendLock.WaitAsync().ConfigureAwait(false);
                try
                {
                    if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await Socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _sendLock.Release();
                }
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException or OperationCanceledException)
            {
            }

            if (record)
            {
                // A client that doesn't answer the close within a few seconds is cut off.
                _ = Task.Delay(TimeSpan.FromSeconds(3)).ContinueWith(_ => Abort(), TaskScheduler.Default);
            }
        }

        public void Dispose()
        {
            // Under the send lock: a dispatch racing the end of the connection must not write into a released stream.
            // A send stuck on a dead socket is given a moment; if it never returns, the streams are left to the GC.
            _disposed = true;
            if (!_sendLock.Wait(TimeSpan.FromSeconds(5)))
            {
                return;
            }

            try
            {
                _deflate?.Dispose();
                _deflated?.Dispose();
            }
            finally
            {
                _sendLock.Release();
            }
        }

        private volatile bool _disposed;

        private async Task SendMessageAsync(ReadOnlyMemory<byte> message, WebSocketMessageType type)
        {
            var fragment = _owner._options.FragmentSize;
            if (fragment <= 0 || message.Length <= fragment)
            {
                await Socket.SendAsync(message, type, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            for (var offset = 0; offset < message.Length; offset += fragment)
            {
                var n = Math.Min(fragment, message.Length - offset);
                await Socket.SendAsync(message.Slice(offset, n), type, endOfMessage: offset + n == message.Length, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
