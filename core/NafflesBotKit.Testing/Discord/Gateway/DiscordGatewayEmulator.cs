using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NafflesBotKit.Testing.Discord;

/// <summary>A message a client sent to the emulated gateway.</summary>
/// <param name="ConnectionId">Which connection.</param>
/// <param name="ShardId">The shard of the connection, once known (after Identify/Resume).</param>
/// <param name="Op">Opcode.</param>
/// <param name="Json">The raw payload.</param>
/// <param name="At">When (emulator clock).</param>
public sealed record GatewayClientMessage(int ConnectionId, int? ShardId, int Op, string Json, DateTimeOffset At)
{
    /// <summary>The payload's <c>d</c>.</summary>
    public JsonNode? Data => JsonNode.Parse(Json)?["d"];
}

/// <summary>One WebSocket connection the emulator accepted.</summary>
public sealed class GatewayConnectionRecord
{
    internal GatewayConnectionRecord(int id, string path, string query) => (Id, Path, Query) = (id, path, query);

    /// <summary>Connection number (1-based).</summary>
    public int Id { get; }

    /// <summary>Request path (<c>/</c> for the gateway URL, <c>/resume</c> for <c>resume_gateway_url</c>).</summary>
    public string Path { get; }

    /// <summary>Query string.</summary>
    public string Query { get; }

    /// <summary>Shard id, once the client identified or resumed.</summary>
    public int? ShardId { get; internal set; }

    /// <summary>Whether the client identified (op 2) on it.</summary>
    public bool Identified { get; internal set; }

    /// <summary>Whether the client resumed (op 6) successfully on it.</summary>
    public bool Resumed { get; internal set; }

    /// <summary>The close code the client sent, if it closed.</summary>
    public int? ClientCloseCode { get; internal set; }

    /// <summary>The close code the emulator sent, if it closed.</summary>
    public int? ServerCloseCode { get; internal set; }

    /// <summary>Whether the connection has ended.</summary>
    public bool Ended { get; internal set; }
}

/// <summary>
/// An in-process Discord gateway (API v10) over real WebSockets on 127.0.0.1, with <c>GET /api/v10/gateway/bot</c>.
/// Speaks zlib-stream (one deflate context per connection, Z_SYNC_FLUSH per payload; optionally split over several
/// messages and fragments), heartbeats, Identify/READY/GUILD_CREATE, Resume with replay, and strict checks. Faults can
/// be injected (op 7, op 9, close codes, drops, zombie). Everything the client sent is recorded.
/// </summary>
public sealed partial class DiscordGatewayEmulator : IAsyncDisposable
{
    private static readonly TimeSpan IdentifyWindow = TimeSpan.FromSeconds(5);

    private readonly DiscordGatewayEmulatorOptions _options;
    private readonly Lock _lock = new();
    private readonly List<GatewayClientMessage> _received = [];
    private readonly List<GatewayConnectionRecord> _connections = [];
    private readonly List<string> _violations = [];
    private readonly List<string> _concurrentConnections = [];
    private readonly Dictionary<string, Session> _sessions = [];
    private readonly Dictionary<int, Session> _sessionByShard = [];
    private readonly Dictionary<int, Connection> _connectionByShard = [];
    private readonly Dictionary<int, List<(string Name, string Json)>> _pending = [];
    private readonly Dictionary<int, DateTimeOffset> _lastIdentifyByKey = [];
    private readonly List<DateTimeOffset> _identifyTimes = [];
    private WebApplication? _app;
    private int _connectionCounter;
    private int _sessionCounter;
    private int _remaining;

    /// <summary>Creates the emulator (call <see cref="StartAsync"/>).</summary>
    /// <param name="options">Options; null = defaults.</param>
    public DiscordGatewayEmulator(DiscordGatewayEmulatorOptions? options = null)
    {
        _options = options ?? new DiscordGatewayEmulatorOptions();
        _remaining = _options.SessionStartRemaining;
    }

    /// <summary>Options (mutable between connections: interval, splitting, fragmenting).</summary>
    public DiscordGatewayEmulatorOptions Options => _options;

    /// <summary>The gateway URL (<c>ws://127.0.0.1:port</c>), as <c>GET /gateway/bot</c> returns it.</summary>
    public Uri GatewayUrl { get; private set; } = null!;

    /// <summary>The REST base with version (<c>http://127.0.0.1:port/api/v10</c>).</summary>
    public Uri ApiBaseUrl { get; private set; } = null!;

    /// <summary>The REST base without version, as discord.js's <c>REST({ api })</c> takes it.</summary>
    public Uri ApiRootUrl { get; private set; } = null!;

    /// <summary>Everything clients sent, in order.</summary>
    public IReadOnlyList<GatewayClientMessage> Received
    {
        get
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Every connection accepted, in order.</summary>
    public IReadOnlyList<GatewayConnectionRecord> Connections
    {
        get
        {
            lock (_lock)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>Protocol violations seen (bad identify shape, identify concurrency exceeded, rate limit, ...).</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_lock)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>
    /// Identifies of a shard while another connection of that shard was live (the same shard connected twice at once,
    /// e.g. by two processes). Not a protocol violation — Discord allows it — but a bot running one shard in two places
    /// handles every event twice.
    /// </summary>
    public IReadOnlyList<string> ConcurrentConnections
    {
        get
        {
            lock (_lock)
            {
                return [.. _concurrentConnections];
            }
        }
    }

    /// <summary>Times of every accepted Identify (emulator clock).</summary>
    public IReadOnlyList<DateTimeOffset> IdentifyTimes
    {
        get
        {
            lock (_lock)
            {
                return [.. _identifyTimes];
            }
        }
    }

    /// <summary>Starts Kestrel on 127.0.0.1 with a free port.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.MapGet("/api/v10/gateway/bot", HandleGatewayBot);
        app.MapGet("/api/v10/gateway", () => Results.Json(new JsonObject { ["url"] = GatewayUrl.ToString().TrimEnd('/') }));
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            if (context.WebSockets.IsWebSocketRequest)
            {
                await HandleSocketAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        GatewayUrl = new Uri($"ws://127.0.0.1:{port}");
        ApiRootUrl = new Uri($"http://127.0.0.1:{port}/api");
        ApiBaseUrl = new Uri($"http://127.0.0.1:{port}/api/v10");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Connection[] open;
        lock (_lock)
        {
            open = [.. _connectionByShard.Values];
        }

        foreach (var c in open)
        {
            c.Abort();
        }

        if (Interlocked.Exchange(ref _app, null) is { } app)
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Dispatches an event to a shard's session with the next real sequence number; returns it (or -1 when the event
    /// waits for the next session, see <see cref="DiscordGatewayEmulatorOptions.KeepDispatchesWithoutSession"/>). A
    /// session whose client is disconnected keeps it for replay on Resume.
    /// </summary>
    /// <param name="shardId">Shard.</param>
    /// <param name="eventName">Event name (<c>t</c>).</param>
    /// <param name="data">The event data (<c>d</c>) as JSON.</param>
    public async Task<long> DispatchAsync(int shardId, string eventName, string data)
    {
        Session? session;
        lock (_lock)
        {
            _sessionByShard.TryGetValue(shardId, out session);
            if (session is null || session.Invalid)
            {
                if (_options.KeepDispatchesWithoutSession)
                {
                    if (!_pending.TryGetValue(shardId, out var list))
                    {
                        _pending[shardId] = list = [];
                    }

                    list.Add((eventName, data));
                }

                return -1;
            }
        }

        return await session.DispatchAsync(eventName, data).ConfigureAwait(false);
    }

    /// <summary>Dispatches an event built from a JSON node.</summary>
    /// <param name="shardId">Shard.</param>
    /// <param name="eventName">Event name.</param>
    /// <param name="data">Event data.</param>
    public Task<long> DispatchAsync(int shardId, string eventName, JsonNode data) => DispatchAsync(shardId, eventName, data.ToJsonString());

    /// <summary>The last sequence number of a shard's session (0 if none).</summary>
    /// <param name="shardId">Shard.</param>
    public long LastSequence(int shardId)
    {
        lock (_lock)
        {
            return _sessionByShard.TryGetValue(shardId, out var s) ? s.Sequence : 0;
        }
    }

    /// <summary>
    /// The shard Discord would send a guild's events to: <c>(guild_id &gt;&gt; 22) % num_shards</c> over the shard count
    /// the connected sessions identified with; DMs go to shard 0. Null when no session is open.
    /// </summary>
    /// <param name="guildId">The guild, or null for a DM.</param>
    public int? ShardFor(ulong? guildId)
    {
        lock (_lock)
        {
            var count = _sessionByShard.Values.Where(s => !s.Invalid).Select(s => s.ShardCount).DefaultIfEmpty(0).Max();
            if (count == 0)
            {
                return null;
            }

            return guildId is { } g ? (int)((g >> 22) % (ulong)count) : 0;
        }
    }

    /// <summary>Whether the shard has a connection that identified or resumed and got READY/RESUMED.</summary>
    /// <param name="shardId">Shard.</param>
    public bool IsLive(int shardId)
    {
        lock (_lock)
        {
            return _connectionByShard.TryGetValue(shardId, out var c) && c.Live && _sessionByShard.TryGetValue(shardId, out var s) && !s.Invalid && ReferenceEquals(s.Current, c);
        }
    }

    /// <summary>Sends op 7 Reconnect to the shard's connection.</summary>
    /// <param name="shardId">Shard.</param>
    public Task SendReconnectAsync(int shardId) => SendOpAsync(shardId, """{"op":7,"d":null}""");

    /// <summary>Sends op 1 (the client must beat at once).</summary>
    /// <param name="shardId">Shard.</param>
    public Task RequestHeartbeatAsync(int shardId) => SendOpAsync(shardId, """{"op":1,"d":null}""");

    /// <summary>Sends op 9 Invalid Session; with <paramref name="resumable"/> false the session is gone.</summary>
    /// <param name="shardId">Shard.</param>
    /// <param name="resumable">The <c>d</c> flag.</param>
    public Task SendInvalidSessionAsync(int shardId, bool resumable)
    {
        if (!resumable)
        {
            lock (_lock)
            {
                if (_sessionByShard.TryGetValue(shardId, out var s))
                {
                    s.Invalid = true;
                }
            }
        }

        return SendOpAsync(shardId, resumable ? """{"op":9,"d":true}""" : """{"op":9,"d":false}""");
    }

    /// <summary>Closes the shard's connection with a close code (identify-class and fatal codes end the session).</summary>
    /// <param name="shardId">Shard.</param>
    /// <param name="code">Close code.</param>
    public async Task CloseAsync(int shardId, int code)
    {
        var c = GetConnection(shardId);
        if (c is null)
        {
            return;
        }

        if (code is 1000 or 1001 or (>= 4003 and <= 4014))
        {
            lock (_lock)
            {
                if (c.Session is { } s)
                {
                    s.Invalid = true;
                }
            }
        }

        await c.CloseAsync(code, "emulator close").ConfigureAwait(false);
    }

    /// <summary>Drops the shard's TCP connection without a close frame (network loss).</summary>
    /// <param name="shardId">Shard.</param>
    public void Drop(int shardId) => GetConnection(shardId)?.Abort();

    /// <summary>Stops ACKing heartbeats on the shard's current connection (a zombie).</summary>
    /// <param name="shardId">Shard.</param>
    public void MakeZombie(int shardId)
    {
        var c = GetConnection(shardId);
        if (c is not null)
        {
            c.Zombie = true;
        }
    }

    /// <summary>Sends raw bytes as one binary message, bypassing the deflate context (to test corrupt streams).</summary>
    /// <param name="shardId">Shard.</param>
    /// <param name="bytes">The bytes.</param>
    public Task SendRawAsync(int shardId, byte[] bytes)
    {
        var c = GetConnection(shardId) ?? throw new InvalidOperationException($"Shard {shardId} has no connection.");
        return c.SendRawAsync(bytes);
    }

    private Connection? GetConnection(int shardId)
    {
        lock (_lock)
        {
            return _connectionByShard.GetValueOrDefault(shardId);
        }
    }

    private async Task SendOpAsync(int shardId, string json)
    {
        var c = GetConnection(shardId) ?? throw new InvalidOperationException($"Shard {shardId} has no connection.");
        await c.SendAsync(json).ConfigureAwait(false);
    }

    private IResult HandleGatewayBot(HttpContext context)
    {
        var auth = context.Request.Headers.Authorization.ToString();
        if (auth != "Bot " + _options.Token)
        {
            return Results.Json(new JsonObject { ["message"] = "401: Unauthorized", ["code"] = 0 }, statusCode: 401);
        }

        int remaining;
        lock (_lock)
        {
            remaining = _remaining;
        }

        return Results.Json(new JsonObject
        {
            ["url"] = GatewayUrl.ToString().TrimEnd('/'),
            ["shards"] = _options.RecommendedShards,
            ["session_start_limit"] = new JsonObject
            {
                ["total"] = _options.SessionStartRemaining,
                ["remaining"] = remaining,
                ["reset_after"] = 14_400_000,
                ["max_concurrency"] = _options.MaxConcurrency,
            },
        });
    }

    private void Violation(string text)
    {
        lock (_lock)
        {
            _violations.Add(text);
        }
    }

    private static int ShardOf(ulong guildId, int shardCount) => (int)((guildId >> 22) % (ulong)shardCount);

    private static string Str(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
