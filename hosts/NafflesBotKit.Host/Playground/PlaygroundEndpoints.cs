using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using NafflesBotKit.Host.Sandbox;
using NafflesBotKit.Testing.Discord;
using Serilog.Events;

namespace NafflesBotKit.Host.Playground;

/// <summary>
/// The sandbox's web playground: static page under <c>/playground/</c> and a JSON API under <c>/playground/api/*</c>
/// backed by the emulators. Mapped only in sandbox mode and answered only to loopback clients.
/// </summary>
internal static class PlaygroundEndpoints
{
    public const string Prefix = "/playground";

    private const int EphemeralFlag = 64;

    private static readonly Dictionary<string, string> Assets = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["playground.css"] = "text/css; charset=utf-8",
        ["playground.js"] = "text/javascript; charset=utf-8",
    };

    /// <summary>Request-log level: the page's own API calls are Debug so they do not drown the sandbox's log.</summary>
    /// <param name="context">The request.</param>
    /// <param name="elapsed">Elapsed milliseconds.</param>
    /// <param name="exception">The exception, if any.</param>
    public static LogEventLevel RequestLogLevel(HttpContext context, double elapsed, Exception? exception)
    {
        ArgumentNullException.ThrowIfNull(context);
        _ = elapsed;
        if (exception is not null || context.Response.StatusCode >= 500)
        {
            return LogEventLevel.Error;
        }

        return context.Request.Path.StartsWithSegments(Prefix, StringComparison.Ordinal) ? LogEventLevel.Debug : LogEventLevel.Information;
    }

    public static WebApplication MapPlayground(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup(Prefix).AddEndpointFilter(LoopbackOnly);

        // One endpoint for /playground and /playground/ (routing ignores a trailing slash); the page's relative asset
        // links need the slash.
        group.MapGet("/", (HttpRequest request) => request.Path.Value?.EndsWith('/') == true ? Asset("index.html") : Results.Redirect(Prefix + "/"));
        group.MapGet("/{file}", (string file) => Assets.ContainsKey(file) ? Asset(file) : Results.NotFound());

        var api = group.MapGroup("/api");
        api.MapGet("/state", State);
        api.MapGet("/commands", (SandboxEnvironment sandbox) => Json(Commands(sandbox)));
        api.MapGet("/messages", Messages);
        api.MapGet("/events", EventsAsync);
        api.MapPost("/command", RunCommandAsync);
        api.MapPost("/click", ClickAsync);
        api.MapPost("/modal", SubmitModalAsync);
        api.MapPost("/simulate", SimulateAsync);
        return app;
    }

    internal static async ValueTask<object?> LoopbackOnly(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var remote = context.HttpContext.Connection.RemoteIpAddress;
        if (remote is null || !IPAddress.IsLoopback(remote))
        {
            return Results.Problem("The playground only answers on this machine (loopback).", statusCode: StatusCodes.Status403Forbidden);
        }

        return await next(context).ConfigureAwait(false);
    }

    private static IResult Asset(string file)
    {
        var stream = typeof(PlaygroundEndpoints).Assembly.GetManifestResourceStream("playground/" + file);
        return stream is null ? Results.NotFound() : Results.Stream(stream, Assets[file]);
    }

    private static IResult Json(JsonNode node, int status = StatusCodes.Status200OK) =>
        Results.Text(node.ToJsonString(), "application/json", Encoding.UTF8, status);

    private static IResult Error(string message, int status = StatusCodes.Status400BadRequest) =>
        Json(new JsonObject { ["error"] = message }, status);

    // ---- state --------------------------------------------------------------------------------

    private static IResult State(SandboxEnvironment sandbox, SandboxStatus status, PlaygroundChanges changes)
    {
        var tasks = new JsonArray([.. sandbox.Naffles.GetStoredTasks(SandboxEnvironment.CommunityId).Select(t => (JsonNode)new JsonObject
        {
            ["id"] = t["id"]?.DeepClone(),
            ["title"] = t["title"]?.DeepClone(),
            ["status"] = t["status"]?.DeepClone(),
            ["completions"] = t["completionCount"]?.DeepClone(),
        })]);
        var allowlists = new JsonArray([.. sandbox.Naffles.GetStoredAllowlists(SandboxEnvironment.CommunityId).Select(a => (JsonNode)new JsonObject
        {
            ["id"] = a["id"]?.DeepClone(),
            ["title"] = a["title"]?.DeepClone(),
            ["status"] = a["status"]?.DeepClone(),
            ["entries"] = a["totalEntries"]?.DeepClone(),
            ["winnerCount"] = a["winnerCount"]?.DeepClone(),
        })]);
        var deliveries = new JsonArray([.. sandbox.Naffles.WebhookDeliveries.TakeLast(20).Reverse().Select(d => (JsonNode)new JsonObject
        {
            ["event"] = d.Event,
            ["status"] = d.StatusCode,
            ["error"] = d.Error,
            ["update"] = TryParse(d.Body)?["updateType"]?.DeepClone(),
        })]);
        var roles = sandbox.Discord.Guild(sandbox.GuildId).Roles;
        JsonArray roleList;
        lock (sandbox.Discord.Guild(sandbox.GuildId))
        {
            roleList = new JsonArray([.. roles.Select(r => (JsonNode)new JsonObject { ["id"] = Id(r.Key), ["name"] = r.Value })]);
        }

        return Json(new JsonObject
        {
            ["ready"] = status.Ready.Task.IsCompleted,
            ["problem"] = status.Problem,
            ["reason"] = status.Reason,
            ["version"] = changes.Version,
            ["guild"] = new JsonObject { ["id"] = Id(sandbox.GuildId), ["name"] = SandboxEnvironment.GuildName },
            ["channel"] = new JsonObject { ["id"] = Id(sandbox.ChannelId), ["name"] = SandboxEnvironment.ChannelName },
            ["community"] = new JsonObject { ["id"] = SandboxEnvironment.CommunityId, ["name"] = SandboxEnvironment.CommunityName },
            ["bot"] = new JsonObject { ["id"] = Id(sandbox.Discord.ApplicationId), ["name"] = "Naffles Bot" },
            ["users"] = new JsonArray([.. sandbox.Users.Select(u => (JsonNode)UserJson(u))]),
            ["roles"] = roleList,
            ["tasks"] = tasks,
            ["allowlists"] = allowlists,
            ["webhooks"] = deliveries,
        });
    }

    private static JsonObject UserJson(SandboxUser user) => new()
    {
        ["role"] = user.Role,
        ["id"] = Id(user.Discord.Id),
        ["username"] = user.Discord.Username,
        ["label"] = user.Label,
        ["nafflesUserId"] = user.NafflesUserId,
    };

    // ---- commands -----------------------------------------------------------------------------

    /// <summary>The registered commands, one entry per invocable path (subcommands flattened), with their options.</summary>
    private static JsonArray Commands(SandboxEnvironment sandbox)
    {
        var result = new JsonArray();
        var all = sandbox.Discord.Commands().OfType<JsonObject>().Concat(sandbox.Discord.Commands(sandbox.GuildId).OfType<JsonObject>());
        foreach (var command in all.Where(c => (int?)c["type"] is null or 1).OrderBy(c => (string?)c["name"], StringComparer.Ordinal))
        {
            Flatten(result, (string)command["name"]!, (string?)command["description"] ?? "", command["options"] as JsonArray);
        }

        return result;
    }

    private static void Flatten(JsonArray result, string path, string description, JsonArray? options)
    {
        var subs = options?.OfType<JsonObject>().Where(o => (int)o["type"]! is 1 or 2).ToList() ?? [];
        if (subs.Count > 0)
        {
            foreach (var sub in subs)
            {
                Flatten(result, path + " " + (string)sub["name"]!, (string?)sub["description"] ?? "", sub["options"] as JsonArray);
            }

            return;
        }

        result.Add(new JsonObject
        {
            ["path"] = path,
            ["description"] = description,
            ["options"] = new JsonArray([.. (options ?? []).OfType<JsonObject>().Select(o => (JsonNode)new JsonObject
            {
                ["name"] = o["name"]?.DeepClone(),
                ["description"] = o["description"]?.DeepClone(),
                ["type"] = o["type"]?.DeepClone(),
                ["required"] = (bool?)o["required"] ?? false,
                ["choices"] = o["choices"]?.DeepClone(),
                ["min_value"] = o["min_value"]?.DeepClone(),
                ["max_value"] = o["max_value"]?.DeepClone(),
                ["max_length"] = o["max_length"]?.DeepClone(),
            })]),
        });
    }

    // ---- messages -----------------------------------------------------------------------------

    private static IResult Messages(SandboxEnvironment sandbox, PlaygroundChanges changes, string? @as)
    {
        var viewer = sandbox.User(@as) ?? sandbox.Admin;
        var list = new JsonArray();
        foreach (var message in sandbox.Discord.Messages(sandbox.ChannelId).Where(m => !m.Deleted))
        {
            var invoker = message.InteractionId is { } iid ? Invoker(sandbox, iid) : null;
            var ephemeral = (message.Flags & EphemeralFlag) != 0;
            if (ephemeral && invoker?.Discord.Id != viewer.Discord.Id)
            {
                continue; // Discord shows an ephemeral reply to the user who invoked it only
            }

            var json = new JsonObject
            {
                ["id"] = Id(message.Id),
                ["content"] = message.Content,
                ["embeds"] = message.Embeds.DeepClone(),
                ["components"] = message.Components.DeepClone(),
                ["flags"] = message.Flags,
                ["ephemeral"] = ephemeral,
                ["loading"] = message.Loading,
                ["edited"] = message.EditCount > 0,
                ["timestamp"] = NafflesBotKit.Interactions.Snowflake.ToTimestamp(message.Id).ToString("O", CultureInfo.InvariantCulture),
            };
            if (invoker is not null)
            {
                json["interaction"] = new JsonObject { ["user"] = invoker.Label, ["command"] = CommandName(sandbox, message.InteractionId!.Value) };
            }

            list.Add(json);
        }

        return Json(new JsonObject { ["version"] = changes.Version, ["as"] = viewer.Role, ["messages"] = list });
    }

    private static SandboxUser? Invoker(SandboxEnvironment sandbox, ulong interactionId)
    {
        var payload = sandbox.Discord.Interaction(interactionId).Payload;
        var userId = (string?)(payload["member"]?["user"]?["id"] ?? payload["user"]?["id"]);
        return new[] { sandbox.Admin, sandbox.Member, sandbox.Owner }.FirstOrDefault(u => Id(u.Discord.Id) == userId);
    }

    private static string? CommandName(SandboxEnvironment sandbox, ulong interactionId)
    {
        var payload = sandbox.Discord.Interaction(interactionId).Payload;
        if ((int?)payload["type"] != 2)
        {
            return null;
        }

        var parts = new List<string> { (string?)payload["data"]?["name"] ?? "" };
        var options = payload["data"]?["options"] as JsonArray;
        while (options?.OfType<JsonObject>().FirstOrDefault(o => (int)o["type"]! is 1 or 2) is { } sub)
        {
            parts.Add((string)sub["name"]!);
            options = sub["options"] as JsonArray;
        }

        return string.Join(' ', parts);
    }

    // ---- live updates -------------------------------------------------------------------------

    private static async Task EventsAsync(HttpContext context, PlaygroundChanges changes, IHostApplicationLifetime lifetime)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        long seen = -1;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var version = await changes.WaitAsync(seen, TimeSpan.FromSeconds(15), stop.Token).ConfigureAwait(false);
                var line = version != seen ? string.Create(CultureInfo.InvariantCulture, $"data: {version}\n\n") : ": keep-alive\n\n";
                seen = version;
                await context.Response.WriteAsync(line, stop.Token).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // the page went away or the host stops
        }
    }

    // ---- acting -------------------------------------------------------------------------------

    private static async Task<IResult> RunCommandAsync(HttpRequest request, SandboxEnvironment sandbox, PlaygroundChanges changes)
    {
        var body = await ReadAsync(request).ConfigureAwait(false);
        if (body is null || sandbox.User((string?)body["as"]) is not { } user || (string?)body["command"] is not { Length: > 0 } path)
        {
            return Error("Send {\"as\": \"admin\"|\"member\", \"command\": \"name [sub]\", \"options\": {...}}.");
        }

        var definition = Commands(sandbox).OfType<JsonObject>().FirstOrDefault(c => (string?)c["path"] == path);
        if (definition is null)
        {
            return Error($"/{path} is not a registered command.", StatusCodes.Status404NotFound);
        }

        var options = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in body["options"] as JsonObject ?? [])
        {
            var option = ((JsonArray)definition["options"]!).OfType<JsonObject>().FirstOrDefault(o => (string?)o["name"] == name);
            if (option is null || value is null || value.ToString().Length == 0)
            {
                continue;
            }

            if (OptionValue((int)option["type"]!, value) is not { } converted)
            {
                return Error($"Option '{name}' has a value of the wrong kind: {value.ToJsonString()}.");
            }

            options[name] = converted;
        }

        foreach (var required in ((JsonArray)definition["options"]!).OfType<JsonObject>().Where(o => (bool?)o["required"] == true))
        {
            if (!options.ContainsKey((string)required["name"]!))
            {
                return Error($"Option '{required["name"]}' is required.");
            }
        }

        return await SendAsync(sandbox, changes, ct => sandbox.Discord.Interactions.RunCommandAsync(user.Discord, sandbox.GuildId, sandbox.ChannelId, path, options, ct)).ConfigureAwait(false);
    }

    private static object? OptionValue(int type, JsonNode value)
    {
        var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString();
        return type switch
        {
            3 => text,
            4 => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null,
            10 => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
            5 => bool.TryParse(text, out var b) ? b : null,
            6 or 7 or 8 or 9 => ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null,
            _ => null,
        };
    }

    private static async Task<IResult> ClickAsync(HttpRequest request, SandboxEnvironment sandbox, PlaygroundChanges changes)
    {
        var body = await ReadAsync(request).ConfigureAwait(false);
        if (body is null || sandbox.User((string?)body["as"]) is not { } user
            || !ulong.TryParse((string?)body["messageId"], NumberStyles.None, CultureInfo.InvariantCulture, out var messageId)
            || (string?)body["customId"] is not { Length: > 0 } customId)
        {
            return Error("Send {\"as\", \"messageId\", \"customId\", \"values\"?}.");
        }

        var values = (body["values"] as JsonArray)?.Select(v => v?.ToString() ?? "").ToList();
        return await SendAsync(sandbox, changes, ct => sandbox.Discord.Interactions.ClickAsync(user.Discord, sandbox.GuildId, messageId, customId, values, ct)).ConfigureAwait(false);
    }

    private static async Task<IResult> SubmitModalAsync(HttpRequest request, SandboxEnvironment sandbox, PlaygroundChanges changes)
    {
        var body = await ReadAsync(request).ConfigureAwait(false);
        if (body is null || sandbox.User((string?)body["as"]) is not { } user || (string?)body["customId"] is not { Length: > 0 } customId)
        {
            return Error("Send {\"as\", \"customId\", \"fields\": {id: value}}.");
        }

        var fields = (body["fields"] as JsonObject ?? []).ToDictionary(f => f.Key, f => f.Value?.ToString() ?? "", StringComparer.Ordinal);
        return await SendAsync(sandbox, changes, ct => sandbox.Discord.Interactions.SubmitModalAsync(user.Discord, sandbox.GuildId, sandbox.ChannelId, customId, fields, labelComponents: false, ct)).ConfigureAwait(false);
    }

    /// <summary>Sends the interaction, waits for the bot's initial response and says what it was (a modal is returned to show).</summary>
    private static async Task<IResult> SendAsync(SandboxEnvironment sandbox, PlaygroundChanges changes, Func<CancellationToken, Task<SimulatedInteraction>> send)
    {
        SimulatedInteraction sent;
        EmulatedCallback response;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            sent = await send(timeout.Token).ConfigureAwait(false);
            changes.Notify();
            response = await sandbox.Discord.WaitForResponseAsync(sent.Interaction.Id, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            return Error(ex.Message);
        }
        catch (TimeoutException)
        {
            return Error("The bot did not answer within 10 seconds (Discord gives up after 3).", StatusCodes.Status504GatewayTimeout);
        }

        changes.Notify();
        var result = new JsonObject
        {
            ["interactionId"] = Id(sent.Interaction.Id),
            ["type"] = response.Type,
            ["messageId"] = sent.Interaction.OriginalMessageId is { } m ? Id(m) : null,
        };
        if (response.Type == 9)
        {
            result["modal"] = response.Data?.DeepClone();
        }

        return Json(result);
    }

    // ---- simulate Naffles events ----------------------------------------------------------------

    private static async Task<IResult> SimulateAsync(HttpRequest request, SandboxEnvironment sandbox, PlaygroundChanges changes, IHttpClientFactory clients)
    {
        var body = await ReadAsync(request).ConfigureAwait(false);
        var kind = (string?)body?["event"];
        using var http = clients.CreateClient();
        http.BaseAddress = sandbox.Naffles.BaseUrl;
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", sandbox.Naffles.ApiKey);
        JsonObject result;
        switch (kind)
        {
            case "task-completed" when (string?)body!["taskId"] is { Length: > 0 } taskId:
                {
                    var (userId, username) = sandbox.AddSimulatedUser();
                    using var response = await http.PostAsJsonAsync(
                        new Uri($"api/social-tasks/{Uri.EscapeDataString(taskId)}/complete", UriKind.Relative),
                        new JsonObject { ["userId"] = userId, ["source"] = "naffles-web" }).ConfigureAwait(false);
                    result = await OutcomeAsync(response, $"{username} completed task {taskId} on Naffles").ConfigureAwait(false);
                    break;
                }

            case "allowlist-entry" when (string?)body!["allowlistId"] is { Length: > 0 } allowlistId:
                {
                    var (userId, username) = sandbox.AddSimulatedUser();
                    using var response = await http.PostAsJsonAsync(
                        new Uri($"api/allowlists/{Uri.EscapeDataString(allowlistId)}/entries", UriKind.Relative),
                        new JsonObject { ["userId"] = userId, ["username"] = username, ["source"] = "naffles-web" }).ConfigureAwait(false);
                    result = await OutcomeAsync(response, $"{username} entered allowlist {allowlistId} on Naffles").ConfigureAwait(false);
                    break;
                }

            case "winners" when (string?)body!["allowlistId"] is { Length: > 0 } allowlistId:
                {
                    var allowlist = sandbox.Naffles.GetStoredAllowlists(SandboxEnvironment.CommunityId).FirstOrDefault(a => (string?)a["id"] == allowlistId);
                    if (allowlist is null)
                    {
                        return Error($"No allowlist {allowlistId}.", StatusCodes.Status404NotFound);
                    }

                    var entrants = sandbox.Naffles.GetStoredEntries(allowlistId).Select(e => (string)e["userId"]!).ToList();
                    var count = (int?)allowlist["winnerCount"] ?? 1;
                    var winners = entrants.OrderBy(_ => System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue)).Take(count).ToList();
                    sandbox.Naffles.SelectWinners(allowlistId, winners);
                    result = new JsonObject { ["ok"] = true, ["detail"] = $"{winners.Count} winner(s) drawn from {entrants.Count} entr{(entrants.Count == 1 ? "y" : "ies")} of {allowlistId}" };
                    break;
                }

            default:
                return Error("Send {\"event\": \"task-completed\", \"taskId\"} | {\"event\": \"allowlist-entry\" | \"winners\", \"allowlistId\"}.");
        }

        await sandbox.Naffles.DrainWebhooksAsync().ConfigureAwait(false);
        changes.Notify();
        return Json(result, (bool?)result["ok"] == true ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
    }

    private static async Task<JsonObject> OutcomeAsync(HttpResponseMessage response, string detail)
    {
        if (response.IsSuccessStatusCode)
        {
            return new JsonObject { ["ok"] = true, ["detail"] = detail };
        }

        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        var json = TryParse(text);
        var message = (json?["error"] as JsonObject)?["message"]?.ToString() ?? (json?["error"] as JsonValue)?.ToString() ?? json?["message"]?.ToString() ?? text;
        return new JsonObject { ["ok"] = false, ["detail"] = $"Naffles refused: {message}" };
    }

    private static async Task<JsonObject?> ReadAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static JsonObject? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
