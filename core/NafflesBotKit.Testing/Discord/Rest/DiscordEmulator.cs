using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Interactions;

namespace NafflesBotKit.Testing.Discord;

/// <summary>
/// An in-process Discord for tests: a Kestrel server on 127.0.0.1 serving the REST API v10 routes the bot uses, with
/// bot-token auth, real rate-limit headers, scriptable 429s, stores for commands, messages, interactions, guild
/// members and roles, OAuth2, and a simulator that sends interactions to the bot the way Discord does.
/// Partial: the gateway side lives in its own files.
/// </summary>
public sealed partial class DiscordEmulator : IAsyncDisposable
{
    private const string ApiPrefix = "/api/v10";

    private readonly ConcurrentQueue<EmulatedRequest> _requests = new();
    private readonly List<Route> _routes = [];
    private WebApplication? _app;
    private long _idCounter;

    /// <summary>Creates an emulator; call <see cref="StartAsync"/>.</summary>
    /// <param name="options">Settings; defaults when null.</param>
    public DiscordEmulator(DiscordEmulatorOptions? options = null)
    {
        Options = options ?? new DiscordEmulatorOptions();
        Time = Options.Time;
        SigningKey = NSec.Cryptography.Key.Create(NSec.Cryptography.SignatureAlgorithm.Ed25519, new NSec.Cryptography.KeyCreationParameters { ExportPolicy = NSec.Cryptography.KeyExportPolicies.AllowPlaintextExport });
        PublicKeyHex = Convert.ToHexStringLower(SigningKey.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey));
        Interactions = new InteractionSimulator(this);
        RegisterRoutes();
    }

    /// <summary>The settings.</summary>
    public DiscordEmulatorOptions Options { get; }

    /// <summary>The emulator's clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>The application id (also the bot user id).</summary>
    public ulong ApplicationId => Options.ApplicationId;

    /// <summary>The bot token the REST API accepts.</summary>
    public string BotToken => Options.BotToken;

    /// <summary>The application's public key (hex), for the bot's Discord:PublicKey.</summary>
    public string PublicKeyHex { get; }

    /// <summary>The URLs, once started.</summary>
    public DiscordEmulatorUrls Urls { get; private set; } = null!;

    /// <summary>The gateway URL returned by <c>GET /gateway/bot</c> (set by the gateway side).</summary>
    public string GatewayUrl { get; set; } = "ws://127.0.0.1:1";

    /// <summary>Builds and delivers interactions.</summary>
    public InteractionSimulator Interactions { get; }

    /// <summary>Called for every request before it is answered (e.g. to validate it against the OpenAPI spec).</summary>
    public Action<EmulatedRequest>? RequestObserver { get; set; }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<EmulatedRequest> Requests => [.. _requests];

    internal NSec.Cryptography.Key SigningKey { get; }

    /// <summary>Starts Kestrel on 127.0.0.1 with a free port.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<DiscordEmulatorUrls> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = 32 * 1024 * 1024);
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var origin = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/'));
        Urls = new DiscordEmulatorUrls(new Uri(origin, ApiPrefix), new Uri(origin, "/api"), origin);
        return Urls;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        SigningKey.Dispose();
        Interactions.Dispose();
    }

    /// <summary>A new snowflake at the emulator's current time.</summary>
    public ulong NextId()
    {
        var now = Time.GetUtcNow();
        var floor = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return Snowflake.FromTimestamp(now < floor ? floor : now, (ulong)Interlocked.Increment(ref _idCounter));
    }

    // ---- Routing ----

    private delegate Task<Reply> RouteHandler(RequestContext request);

    private enum Auth
    {
        Bot,
        None,
        BotOrBearer,
    }

    private sealed record Route(string Method, string Template, Regex Pattern, Auth Auth, bool Global, RouteHandler Handler);

    private void Map(string method, string template, Auth auth, RouteHandler handler)
    {
        var pattern = "^" + Regex.Replace(Regex.Escape(template).Replace(@"\{", "{", StringComparison.Ordinal), "{([a-z_]+)}", m => $"(?<{m.Groups[1].Value}>[^/]+)") + "$";
        var global = auth != Auth.None && !template.StartsWith("/oauth2", StringComparison.Ordinal);
        _routes.Add(new Route(method, template, new Regex(pattern, RegexOptions.CultureInvariant), auth, global, handler));
    }

    private async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? string.Empty;
        var body = await ReadAllAsync(http.Request).ConfigureAwait(false);
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Reply reply;
        string? template = null;
        if (!path.StartsWith(ApiPrefix + "/", StringComparison.Ordinal))
        {
            reply = Reply.Error(404, 0, "404: Not Found");
        }
        else
        {
            var sub = path[ApiPrefix.Length..];
            var matches = _routes.Select(r => (Route: r, Match: r.Pattern.Match(sub))).Where(x => x.Match.Success).ToList();
            var match = matches.FirstOrDefault(x => x.Route.Method == http.Request.Method);
            if (match.Route is null)
            {
                reply = matches.Count > 0 ? Reply.Error(405, 0, "405: Method Not Allowed") : Reply.Error(404, 0, "404: Not Found");
            }
            else
            {
                template = match.Route.Template;
                var request = new RequestContext(http, match.Match, body, headers);
                reply = await DispatchAsync(match.Route, request).ConfigureAwait(false);
            }
        }

        var recorded = new EmulatedRequest(http.Request.Method, path[Math.Min(path.Length, ApiPrefix.Length)..] + http.Request.QueryString, template, http.Request.ContentType, headers, body, reply.Status);
        _requests.Enqueue(recorded);
        RequestObserver?.Invoke(recorded);
        await reply.WriteAsync(http).ConfigureAwait(false);
    }

    private async Task<Reply> DispatchAsync(Route route, RequestContext request)
    {
        var authorization = request.Header("Authorization");
        var isBot = authorization == "Bot " + BotToken;
        var bearer = authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true ? authorization["Bearer ".Length..] : null;
        switch (route.Auth)
        {
            case Auth.Bot when !isBot:
            case Auth.BotOrBearer when !isBot && (bearer is null || !IsAccessToken(bearer)):
                return Reply.Error(401, 0, "401: Unauthorized");
        }

        request.Bearer = isBot ? null : bearer;
        if (ScriptedServerError(route, request) is { } failure)
        {
            return failure;
        }

        var limited = CheckRateLimits(route, request, isBot);
        if (limited is not null)
        {
            return limited;
        }

        try
        {
            var reply = await route.Handler(request).ConfigureAwait(false);
            return reply.WithHeaders(request.RateLimitHeaders);
        }
        catch (JsonException)
        {
            return Reply.Error(400, 50109, "The request body contains invalid JSON.");
        }
    }

    private static async Task<byte[]> ReadAllAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }

    internal static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);

    internal static ulong ParseId(string? id) =>
        ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    /// <summary>One request's match and body.</summary>
    private sealed class RequestContext(HttpContext http, Match match, byte[] body, IReadOnlyDictionary<string, string> headers)
    {
        public HttpContext Http { get; } = http;

        public byte[] Body { get; } = body;

        public string? Bearer { get; set; }

        public Dictionary<string, string> RateLimitHeaders { get; } = [];

        public string Param(string name) => Uri.UnescapeDataString(match.Groups[name].Value);

        public ulong IdParam(string name) => ParseId(Param(name));

        public string? Header(string name) => headers.TryGetValue(name, out var v) ? v : null;

        public string? Query(string name) => Http.Request.Query.TryGetValue(name, out var v) ? v.ToString() : null;

        /// <summary>The JSON body (or the <c>payload_json</c> part of a multipart body) and any files.</summary>
        public (JsonNode? Json, List<EmulatedAttachment> Files, Reply? Error) ReadPayload(DiscordEmulator emulator)
        {
            var contentType = Http.Request.ContentType ?? string.Empty;
            if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                return (JsonNode.Parse(Body), [], null);
            }

            if (contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                return emulator.ParseMultipart(contentType, Body);
            }

            return Body.Length == 0 ? (null, [], null) : (null, [], Reply.Error(400, 50035, "Invalid Form Body (unsupported content type)"));
        }
    }

    /// <summary>An answer.</summary>
    private sealed record Reply(int Status, JsonNode? Json, Dictionary<string, string> Headers)
    {
        public static Reply Ok(JsonNode? json) => new(json is null ? 204 : 200, json, []);

        public static Reply NoContent() => new(204, null, []);

        public static Reply Error(int status, int code, string message, JsonNode? errors = null)
        {
            var json = new JsonObject { ["message"] = message, ["code"] = code };
            if (errors is not null)
            {
                json["errors"] = errors;
            }

            return new Reply(status, json, []);
        }

        public Reply WithHeaders(Dictionary<string, string> headers)
        {
            foreach (var (k, v) in headers)
            {
                Headers.TryAdd(k, v);
            }

            return this;
        }

        public async Task WriteAsync(HttpContext http)
        {
            http.Response.StatusCode = Status;
            foreach (var (k, v) in Headers)
            {
                http.Response.Headers[k] = v;
            }

            if (Json is not null)
            {
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync(Json.ToJsonString()).ConfigureAwait(false);
            }
        }
    }
}
