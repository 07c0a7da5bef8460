using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NafflesBotKit.Testing.Naffles;

/// <summary>
/// A Naffles platform on a real loopback HTTP server (Kestrel on 127.0.0.1, a free port), implementing
/// every route of the seed's "Naffles Backend API Integration" over an in-memory store, with fault
/// injection, Idempotency-Key replay, both wire dialects and signed outgoing webhooks.
/// </summary>
public sealed partial class NafflesEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly NafflesEmulatorOptions _options;
    private readonly Lock _gate = new();
    private readonly List<NafflesRecordedRequest> _requests = [];
    private readonly Dictionary<string, StoredResult> _idempotency = new(StringComparer.Ordinal);
    private readonly NafflesWebhookSender _webhooks;

    private NafflesEmulator(WebApplication app, NafflesEmulatorOptions options)
    {
        _app = app;
        _options = options;
        _webhooks = new NafflesWebhookSender(options.TimeProvider);
    }

    /// <summary>The base URL to configure as <c>Naffles:BaseUrl</c>, e.g. <c>http://127.0.0.1:51234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The API key the emulator accepts.</summary>
    public string ApiKey => _options.ApiKey;

    /// <summary>Fault injection per route.</summary>
    public NafflesFaults Faults { get; } = new();

    /// <summary>Forgets the requests recorded so far (for long load runs that measure memory); seeded data stays.</summary>
    public void ForgetRequests()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }

    /// <summary>Every request received so far (including rejected ones), oldest first.</summary>
    public IReadOnlyList<NafflesRecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Every webhook sent so far; call <see cref="DrainWebhooksAsync"/> first to wait for deliveries in flight.</summary>
    public IReadOnlyList<NafflesWebhookDelivery> WebhookDeliveries => _webhooks.Deliveries;

    /// <summary>Starts an emulator on 127.0.0.1 and a free port.</summary>
    /// <param name="options">Settings; <see langword="null"/> for defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; read <see cref="BaseUrl"/>.</returns>
    public static async Task<NafflesEmulator> StartAsync(NafflesEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new NafflesEmulatorOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var emulator = new NafflesEmulator(app, options);
        emulator.MapRoutes(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return emulator;
    }

    /// <summary>Waits until every webhook delivery started so far has finished.</summary>
    /// <returns>A task.</returns>
    public Task DrainWebhooksAsync() => _webhooks.DrainAsync();

    /// <summary>Requests received on one route (a <see cref="NafflesEmulatorRoutes"/> value).</summary>
    /// <param name="route">The route key.</param>
    /// <returns>The matching requests, oldest first.</returns>
    public IReadOnlyList<NafflesRecordedRequest> RequestsTo(string route) => Requests.Where(r => r.Route == route).ToList();

    /// <summary>Stops the server and waits for webhook deliveries.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        await _webhooks.DrainAsync().ConfigureAwait(false);
        _webhooks.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private delegate Result Handler(Call call);

    private void Map(IEndpointRouteBuilder routes, string route, Handler handler)
    {
        var space = route.IndexOf(' ', StringComparison.Ordinal);
        var method = route[..space];
        var template = route[(space + 1)..];
        routes.MapMethods(template, [method], (RequestDelegate)(ctx => DispatchAsync(ctx, route, handler)));
    }

    private async Task DispatchAsync(HttpContext ctx, string route, Handler handler)
    {
        var request = ctx.Request;
        string bodyText;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            bodyText = await reader.ReadToEndAsync(ctx.RequestAborted).ConfigureAwait(false);
        }

        var recorded = new NafflesRecordedRequest(
            request.Method,
            route,
            request.Path.Value ?? "",
            request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            bodyText);
        lock (_gate)
        {
            _requests.Add(recorded);
        }

        var fault = Faults.Take(route);
        if (fault is not null)
        {
            if (fault.Latency > TimeSpan.Zero || fault.Mode == NafflesFaultMode.Hang)
            {
                try
                {
                    await Task.Delay(fault.Mode == NafflesFaultMode.Hang ? Timeout.InfiniteTimeSpan : fault.Latency, ctx.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return; // the client gave up
                }
            }

            switch (fault.Mode)
            {
                case NafflesFaultMode.DropBeforeProcessing:
                    ctx.Abort();
                    return;
                case NafflesFaultMode.Respond:
                    if (fault.RetryAfter is { } retryAfter)
                    {
                        ctx.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                    }

                    await WriteAsync(ctx, Error(fault.StatusCode, "injected_fault", $"Injected fault {fault.StatusCode}")).ConfigureAwait(false);
                    return;
            }
        }

        var result = Authenticate(request) ? Process(route, handler, request, bodyText) : Unauthorized();
        if (fault?.Mode == NafflesFaultMode.DropAfterProcessing)
        {
            ctx.Abort();
            return;
        }

        await WriteAsync(ctx, result).ConfigureAwait(false);
    }

    private Result Process(string route, Handler handler, HttpRequest request, string bodyText)
    {
        JsonObject? body = null;
        if (!string.IsNullOrWhiteSpace(bodyText))
        {
            try
            {
                body = JsonNode.Parse(bodyText) as JsonObject;
            }
            catch (JsonException)
            {
                return Error(400, "invalid_json", "The request body is not valid JSON.");
            }

            if (body is null)
            {
                return Error(400, "invalid_json", "The request body must be a JSON object.");
            }
        }

        var call = new Call(request.RouteValues.ToDictionary(v => v.Key, v => v.Value?.ToString() ?? "", StringComparer.Ordinal), request.Query, body ?? []);
        var key = request.Headers["Idempotency-Key"].ToString();
        var events = new List<PendingWebhook>();
        Result result;
        lock (_gate)
        {
            var scoped = $"{route}|{request.Path}|{key}";
            if (key.Length > 0 && _idempotency.TryGetValue(scoped, out var stored))
            {
                return stored.Result with { Replayed = true };
            }

            call.Webhooks = events;
            try
            {
                result = handler(call);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException)
            {
                // A field of the wrong JSON type (e.g. "points": "ten"): a client error, not a crash.
                events.Clear();
                result = Error(422, "validation_failed", "A field has the wrong type: " + ex.Message);
            }

            if (key.Length > 0)
            {
                _idempotency[scoped] = new StoredResult(result with { Body = result.Body?.DeepClone() });
            }
        }

        foreach (var pending in events)
        {
            Send(pending.Event, pending.Body);
        }

        return result;
    }

    private bool Authenticate(HttpRequest request)
    {
        var bearer = request.Headers.Authorization.ToString();
        var xApiKey = request.Headers["x-api-key"].ToString();
        return string.Equals(bearer, "Bearer " + _options.ApiKey, StringComparison.Ordinal)
            || string.Equals(xApiKey, _options.ApiKey, StringComparison.Ordinal);
    }

    private Result Unauthorized() => _options.Dialect == NafflesDialect.PublishedBackend
        ? new Result(401, new JsonObject { ["statusCode"] = 401, ["message"] = "Unauthorized" }) { Raw = true }
        : Error(401, "unauthorized", "Invalid or missing API key.");

    private async Task WriteAsync(HttpContext ctx, Result result)
    {
        var body = _options.Dialect == NafflesDialect.PublishedBackend && !result.Raw ? ToPublishedDialect(result) : result.Body;
        ctx.Response.StatusCode = result.Status;
        if (result.Replayed)
        {
            ctx.Response.Headers["Idempotent-Replayed"] = "true";
        }

        if (body is null)
        {
            return;
        }

        ctx.Response.ContentType = "application/json; charset=utf-8";
        await ctx.Response.WriteAsync(body.ToJsonString(), ctx.RequestAborted).ConfigureAwait(false);
    }

    private static JsonNode ToPublishedDialect(Result result)
    {
        var body = RenameIds(result.Body?.DeepClone());
        if (result.Status < 400)
        {
            return new JsonObject { ["success"] = true, ["message"] = "OK", ["data"] = body };
        }

        var error = (JsonObject)body!;
        var published = new JsonObject { ["success"] = false, ["message"] = error["message"]?.DeepClone(), ["error"] = error["code"]?.DeepClone() };
        if (error["errors"] is JsonNode errors)
        {
            published["errors"] = errors.DeepClone();
        }

        if (error["entry"] is JsonNode entry)
        {
            published["data"] = entry.DeepClone();
        }

        return published;
    }

    private static JsonNode? RenameIds(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    RenameIds(value);
                    if (key == "id")
                    {
                        obj.Remove("id");
                        obj["_id"] = value?.DeepClone();
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RenameIds(item);
                }

                break;
        }

        return node;
    }

    private static Result Error(int status, string code, string message, IEnumerable<(string Field, string Message)>? fields = null, JsonObject? extra = null)
    {
        var body = new JsonObject { ["message"] = message, ["code"] = code };
        if (fields is not null)
        {
            body["errors"] = new JsonArray([.. fields.Select(f => (JsonNode)new JsonObject { ["field"] = f.Field, ["message"] = f.Message })]);
        }

        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                body[key] = value?.DeepClone();
            }
        }

        return new Result(status, body);
    }

    private string Now() => _options.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private void Send(string eventName, JsonObject body)
    {
        if (_options.WebhookUrl is { } url && _options.WebhookSecret is { } secret)
        {
            _webhooks.Send(url, secret, eventName, body);
        }

        List<JsonObject> registrations;
        lock (_gate)
        {
            registrations = _store.Webhooks.Where(w => w["active"]?.GetValue<bool>() != false
                && (w["events"] as JsonArray)?.Any(e => e?.GetValue<string>() is { } name && (name == eventName || name == "*")) == true).ToList();
        }

        foreach (var registration in registrations)
        {
            _webhooks.Send(new Uri(registration["url"]!.GetValue<string>()), registration["secret"]!.GetValue<string>(), eventName, body);
        }
    }

    private sealed record Result(int Status, JsonNode? Body)
    {
        public bool Raw { get; init; }

        public bool Replayed { get; init; }
    }

    private sealed record StoredResult(Result Result);

    private sealed record PendingWebhook(string Event, JsonObject Body);

    private sealed class Call(Dictionary<string, string> route, IQueryCollection query, JsonObject body)
    {
        public JsonObject Body { get; } = body;

        public List<PendingWebhook> Webhooks { get; set; } = [];

        public string Route(string name) => route[name];

        public string? Query(string name) => query.TryGetValue(name, out var value) ? value.ToString() : null;

        public string? Text(string name) => Body[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

        public void Emit(string eventName, JsonObject payload) => Webhooks.Add(new PendingWebhook(eventName, payload));
    }
}
