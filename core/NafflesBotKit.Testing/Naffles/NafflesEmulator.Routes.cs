using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using NafflesBotKit.Naffles;

namespace NafflesBotKit.Testing.Naffles;

public sealed partial class NafflesEmulator
{
    private static readonly HashSet<string> TaskTypes = new(StringComparer.Ordinal)
    {
        "twitter_follow", "twitter_retweet", "twitter_like", "discord_join", "telegram_join", "raffle_entry", "custom_url", "quiz", "survey", "custom",
    };

    private readonly Store _store = new();

    private void MapRoutes(IEndpointRouteBuilder app)
    {
        Map(app, NafflesEmulatorRoutes.Health, _ => _options.Dialect == NafflesDialect.PublishedBackend
            ? new Result(200, new JsonObject
            {
                ["statusCode"] = 200,
                ["message"] = "Service is healthy",
                ["data"] = new JsonObject { ["status"] = "healthy", ["timestamp"] = Now(), ["service"] = "naffles-backend", ["version"] = "1.0.0" },
            }) { Raw = true }
            : new Result(200, new JsonObject { ["status"] = "healthy", ["timestamp"] = Now(), ["service"] = "naffles-emulator", ["version"] = "1.0.0" }));

        Map(app, NafflesEmulatorRoutes.GetCommunity, c => Found(_store.Communities, c.Route("communityId"), "Community"));
        Map(app, NafflesEmulatorRoutes.LinkDiscordServer, LinkDiscordServer);
        Map(app, NafflesEmulatorRoutes.UnlinkDiscordServer, UnlinkDiscordServer);
        Map(app, NafflesEmulatorRoutes.GetCommunityMembers, GetCommunityMembers);
        Map(app, NafflesEmulatorRoutes.GetCommunityMembership, c =>
            _store.Memberships.TryGetValue((c.Route("communityId"), c.Route("userId")), out var m) ? Ok(m) : Error(404, "not_found", "Membership not found"));
        Map(app, NafflesEmulatorRoutes.CreateSocialTask, CreateSocialTask);
        Map(app, NafflesEmulatorRoutes.GetSocialTasks, GetSocialTasks);
        Map(app, NafflesEmulatorRoutes.UpdateTaskProgress, UpdateTaskProgress);
        Map(app, NafflesEmulatorRoutes.CompleteTask, CompleteTask);
        Map(app, NafflesEmulatorRoutes.GetAllowlist, GetAllowlist);
        Map(app, NafflesEmulatorRoutes.ConnectAllowlist, ConnectAllowlist);
        Map(app, NafflesEmulatorRoutes.EnterAllowlist, EnterAllowlist);
        Map(app, NafflesEmulatorRoutes.GetAllowlistEntries, GetAllowlistEntries);
        Map(app, NafflesEmulatorRoutes.LinkDiscordAccount, LinkDiscordAccount);
        Map(app, NafflesEmulatorRoutes.GetUserByDiscordId, c =>
            _store.Users.Values.FirstOrDefault(u => u["discordId"]?.GetValue<string>() == c.Route("discordId")) is { } user ? Ok(user) : Error(404, "not_found", "User not found"));
        Map(app, NafflesEmulatorRoutes.FindUserByEmail, c =>
            Missing(c, "email") ?? (_store.Emails.FirstOrDefault(e => string.Equals(e.Value, c.Text("email"), StringComparison.OrdinalIgnoreCase)).Key is { } id && _store.Users.TryGetValue(id, out var user) ? Ok(user) : Error(404, "not_found", "User not found")));
        Map(app, NafflesEmulatorRoutes.UpdateUserActivity, UpdateUserActivity);
        Map(app, NafflesEmulatorRoutes.RegisterWebhook, RegisterWebhook);
    }

    // ---- communities ----------------------------------------------------------------------------

    private Result LinkDiscordServer(Call c)
    {
        if (!_store.Communities.TryGetValue(c.Route("communityId"), out var community))
        {
            return Error(404, "not_found", "Community not found");
        }

        if (Missing(c, "guildId", "linkedBy") is { } invalid)
        {
            return invalid;
        }

        var guildId = c.Text("guildId")!;
        if (_store.Communities.Values.Any(x => x != community && x["discordGuildId"]?.GetValue<string>() == guildId))
        {
            return Error(409, "guild_already_linked", "This Discord server is linked to another community.");
        }

        community["discordGuildId"] = guildId;
        return Ok(new JsonObject
        {
            ["communityId"] = c.Route("communityId"),
            ["guildId"] = guildId,
            ["linkedBy"] = c.Text("linkedBy"),
            ["linkedAt"] = c.Text("timestamp") ?? Now(),
        }, 201);
    }

    private Result UnlinkDiscordServer(Call c)
    {
        if (!_store.Communities.TryGetValue(c.Route("communityId"), out var community) || community["discordGuildId"] is null)
        {
            return Error(404, "not_found", "No Discord server is linked to this community.");
        }

        community.Remove("discordGuildId");
        return Ok(new JsonObject { ["communityId"] = c.Route("communityId"), ["unlinked"] = true });
    }

    private Result GetCommunityMembers(Call c)
    {
        var communityId = c.Route("communityId");
        if (!_store.Communities.ContainsKey(communityId))
        {
            return Error(404, "not_found", "Community not found");
        }

        if (Paging(c, out var page, out var limit) is { } invalid)
        {
            return invalid;
        }

        var sort = c.Query("sort") ?? "joinedAt";
        var members = _store.Memberships.Where(m => m.Key.Community == communityId).Select(m => m.Value);
        return PageOf("members", Sorted(members, sort, c.Query("order") ?? "desc"), page, limit);
    }

    // ---- social tasks ---------------------------------------------------------------------------

    private Result CreateSocialTask(Call c)
    {
        var communityId = c.Route("communityId");
        if (!_store.Communities.ContainsKey(communityId))
        {
            return Error(404, "not_found", "Community not found");
        }

        var fields = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(c.Text("title")))
        {
            fields.Add(("title", "Title is required"));
        }

        // The bot offers "custom" (seed dialect accepts it); the published backend has no such type.
        var allowed = _options.Dialect == NafflesDialect.PublishedBackend ? TaskTypes.Where(t => t != "custom").ToHashSet(StringComparer.Ordinal) : TaskTypes;
        if (c.Text("type") is not { } type || !allowed.Contains(type))
        {
            fields.Add(("type", $"Type must be one of: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}"));
        }

        if (c.Body["rewards"] is JsonObject rewards && rewards["points"] is JsonValue points && points.GetValue<long>() < 0)
        {
            fields.Add(("rewards.points", "Points must not be negative"));
        }

        if (fields.Count > 0)
        {
            return Error(422, "validation_failed", "Validation failed", fields);
        }

        var task = (JsonObject)c.Body.DeepClone();
        var id = _store.NextId("task");
        task["id"] = id;
        task["communityId"] = communityId;
        task["status"] = "active";
        task["completionCount"] = 0;
        task["createdAt"] = c.Text("createdAt") ?? Now();
        _store.Tasks[id] = task;
        return Ok(task, 201);
    }

    private Result GetSocialTasks(Call c)
    {
        var communityId = c.Route("communityId");
        if (!_store.Communities.ContainsKey(communityId))
        {
            return Error(404, "not_found", "Community not found");
        }

        if (Paging(c, out var page, out var limit) is { } invalid)
        {
            return invalid;
        }

        var status = c.Query("status") ?? "active";
        var tasks = _store.Tasks.Values.Where(t => t["communityId"]?.GetValue<string>() == communityId
            && (status == "all" || t["status"]?.GetValue<string>() == status));
        return PageOf("tasks", Sorted(tasks, c.Query("sortBy") ?? "createdAt", c.Query("sortOrder") ?? "desc"), page, limit);
    }

    private Result UpdateTaskProgress(Call c)
    {
        var taskId = c.Route("taskId");
        if (!_store.Tasks.ContainsKey(taskId))
        {
            return Error(404, "not_found", "Task not found");
        }

        if (Missing(c, "userId") is { } invalid)
        {
            return invalid;
        }

        var progress = (JsonObject)c.Body.DeepClone();
        progress["taskId"] = taskId;
        progress["updatedAt"] = Now();
        _store.Progress[(taskId, c.Text("userId")!)] = progress;
        return Ok(progress);
    }

    private Result CompleteTask(Call c)
    {
        var taskId = c.Route("taskId");
        if (!_store.Tasks.TryGetValue(taskId, out var task))
        {
            return Error(404, "not_found", "Task not found");
        }

        if (Missing(c, "userId") is { } invalid)
        {
            return invalid;
        }

        var userId = c.Text("userId")!;
        if (task["status"]?.GetValue<string>() != "active")
        {
            return Error(409, "task_not_active", "This task is no longer active.");
        }

        if (_store.Completions.Any(x => x["taskId"]?.GetValue<string>() == taskId && x["userId"]?.GetValue<string>() == userId))
        {
            return Error(409, "already_completed", "You have already completed this task.");
        }

        var points = (task["rewards"] as JsonObject)?["points"]?.GetValue<long>() ?? 0;
        var completion = new JsonObject
        {
            ["id"] = _store.NextId("completion"),
            ["taskId"] = taskId,
            ["userId"] = userId,
            ["status"] = "completed",
            ["pointsAwarded"] = points,
            ["completedAt"] = c.Text("completedAt") ?? Now(),
            ["source"] = c.Text("source"),
            ["completionData"] = c.Body["completionData"]?.DeepClone(),
        };
        _store.Completions.Add(completion);
        var count = task["completionCount"]?.GetValue<int>() + 1 ?? 1;
        task["completionCount"] = count;
        var members = _store.Memberships.Keys.Count(k => k.Community == task["communityId"]?.GetValue<string>());
        c.Emit(NafflesWebhookEvents.TaskCompleted, new JsonObject
        {
            ["taskId"] = taskId,
            ["userId"] = userId,
            ["completionData"] = new JsonObject
            {
                ["completedBy"] = count,
                ["completionRate"] = members == 0 ? 0 : Math.Round((double)count / members, 4),
            },
            ["timestamp"] = Now(),
        });
        return Ok(completion, 201);
    }

    // ---- allowlists -----------------------------------------------------------------------------

    private Result GetAllowlist(Call c)
    {
        if (!_store.Allowlists.TryGetValue(c.Route("allowlistId"), out var allowlist))
        {
            return Error(404, "not_found", "Allowlist not found");
        }

        var result = Ok(allowlist);
        if (_options.Dialect == NafflesDialect.PublishedBackend
            && allowlist["communityId"]?.GetValue<string>() is { } communityId
            && _store.Communities.TryGetValue(communityId, out var community))
        {
            // The published backend populates the reference: communityId: {_id, name, description}.
            ((JsonObject)result.Body!)["communityId"] = new JsonObject { ["id"] = communityId, ["name"] = community["name"]?.DeepClone(), ["description"] = community["description"]?.DeepClone() };
        }

        return result;
    }

    private Result ConnectAllowlist(Call c)
    {
        var allowlistId = c.Route("allowlistId");
        if (!_store.Allowlists.ContainsKey(allowlistId))
        {
            return Error(404, "not_found", "Allowlist not found");
        }

        if (Missing(c, "guildId", "channelId") is { } invalid)
        {
            return invalid;
        }

        var connection = (JsonObject)c.Body.DeepClone();
        connection["allowlistId"] = allowlistId;
        connection["connectedAt"] = c.Text("connectedAt") ?? Now();
        _store.Connections[allowlistId] = connection;
        return Ok(connection, 201);
    }

    private Result EnterAllowlist(Call c)
    {
        var allowlistId = c.Route("allowlistId");
        if (!_store.Allowlists.TryGetValue(allowlistId, out var allowlist))
        {
            return Error(404, "not_found", "Allowlist not found");
        }

        if (Missing(c, "userId") is { } invalid)
        {
            return invalid;
        }

        var userId = c.Text("userId")!;
        var entries = _store.EntriesOf(allowlistId);
        if (entries.FirstOrDefault(e => e["userId"]?.GetValue<string>() == userId) is { } existing)
        {
            return Error(409, "already_entered", "You have already entered this allowlist.", extra: new JsonObject { ["entry"] = existing.DeepClone() });
        }

        if (allowlist["status"]?.GetValue<string>() != "active")
        {
            return Error(409, "allowlist_closed", "This allowlist is not accepting entries.");
        }

        if (allowlist["maxEntries"] is JsonValue max && entries.Count >= max.GetValue<int>())
        {
            return Error(409, "allowlist_full", "This allowlist is full.");
        }

        var entry = new JsonObject
        {
            ["id"] = _store.NextId("entry"),
            ["allowlistId"] = allowlistId,
            ["userId"] = userId,
            ["discordId"] = c.Text("discordId"),
            ["username"] = c.Text("username"),
            ["walletAddress"] = c.Text("walletAddress"),
            ["status"] = "active",
            ["source"] = c.Text("source"),
            ["enteredAt"] = c.Text("enteredAt") ?? Now(),
        };
        entries.Add(entry);
        allowlist["totalEntries"] = entries.Count;
        c.Emit(NafflesWebhookEvents.AllowlistUpdated, AllowlistUpdate(allowlistId, "entry_added", new JsonObject { ["newEntryCount"] = entries.Count }));
        return Ok(entry, 201);
    }

    private Result GetAllowlistEntries(Call c)
    {
        var allowlistId = c.Route("allowlistId");
        if (!_store.Allowlists.ContainsKey(allowlistId))
        {
            return Error(404, "not_found", "Allowlist not found");
        }

        if (Paging(c, out var page, out var limit) is { } invalid)
        {
            return invalid;
        }

        var status = c.Query("status") ?? "active";
        var entries = _store.EntriesOf(allowlistId).Where(e => status == "all" || e["status"]?.GetValue<string>() == status);
        return PageOf("entries", entries.ToList(), page, limit);
    }

    // ---- users and webhooks ---------------------------------------------------------------------

    private Result LinkDiscordAccount(Call c)
    {
        if (!_store.Users.TryGetValue(c.Route("userId"), out var user))
        {
            return Error(404, "not_found", "User not found");
        }

        if (Missing(c, "discordId", "username") is { } invalid)
        {
            return invalid;
        }

        var discordId = c.Text("discordId")!;
        if (_store.Users.Values.Any(u => u != user && u["discordId"]?.GetValue<string>() == discordId))
        {
            return Error(409, "discord_already_linked", "This Discord account is linked to another Naffles user.");
        }

        user["discordId"] = discordId;
        user["discordUsername"] = c.Text("username");
        user["linkedAt"] = c.Text("linkedAt") ?? Now();
        return Ok(user);
    }

    private Result UpdateUserActivity(Call c)
    {
        var userId = c.Route("userId");
        if (!_store.Users.ContainsKey(userId))
        {
            return Error(404, "not_found", "User not found");
        }

        if (Missing(c, "type") is { } invalid)
        {
            return invalid;
        }

        var activity = (JsonObject)c.Body.DeepClone();
        activity["userId"] = userId;
        _store.Activities.Add(activity);
        return Ok(new JsonObject { ["userId"] = userId, ["recorded"] = true });
    }

    private Result RegisterWebhook(Call c)
    {
        var fields = new List<(string, string)>();
        if (c.Text("url") is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            fields.Add(("url", "An absolute URL is required"));
        }

        if (c.Body["events"] is not JsonArray { Count: > 0 })
        {
            fields.Add(("events", "At least one event is required"));
        }

        if (string.IsNullOrWhiteSpace(c.Text("secret")))
        {
            fields.Add(("secret", "A secret is required"));
        }

        if (fields.Count > 0)
        {
            return Error(422, "validation_failed", "Validation failed", fields);
        }

        var registration = (JsonObject)c.Body.DeepClone();
        registration["id"] = _store.NextId("webhook");
        registration["active"] ??= true;
        _store.Webhooks.Add(registration);
        var response = (JsonObject)registration.DeepClone();
        response.Remove("secret");
        return Ok(response, 201);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Result Ok(JsonNode body, int status = 200) => new(status, body.DeepClone());

    private static Result Found(Dictionary<string, JsonObject> map, string id, string what) =>
        map.TryGetValue(id, out var item) ? Ok(item) : Error(404, "not_found", $"{what} not found");

    private static Result? Missing(Call c, params string[] names)
    {
        var missing = names.Where(n => c.Body[n] is null || (c.Body[n] is JsonValue v && v.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(v.GetValue<string>())))
            .Select(n => (n, $"{n} is required")).ToList();
        return missing.Count == 0 ? null : Error(422, "validation_failed", "Validation failed", missing);
    }

    private static Result? Paging(Call c, out int page, out int limit)
    {
        page = 1;
        limit = 50;
        var fields = new List<(string, string)>();
        if (c.Query("page") is { } p && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            fields.Add(("page", "page must be a positive integer"));
        }

        if (c.Query("limit") is { } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            fields.Add(("limit", "limit must be between 1 and 100"));
        }

        return fields.Count == 0 ? null : Error(422, "validation_failed", "Validation failed", fields);
    }

    private static List<JsonObject> Sorted(IEnumerable<JsonObject> items, string field, string order)
    {
        var sorted = items.OrderBy(i => i[field]?.ToJsonString() ?? "", StringComparer.Ordinal);
        return [.. string.Equals(order, "asc", StringComparison.OrdinalIgnoreCase) ? sorted : sorted.Reverse()];
    }

    private static Result PageOf(string key, List<JsonObject> items, int page, int limit) => Ok(new JsonObject
    {
        [key] = new JsonArray([.. items.Skip((page - 1) * limit).Take(limit).Select(i => (JsonNode)i.DeepClone())]),
        ["page"] = page,
        ["limit"] = limit,
        ["total"] = items.Count,
    });

    private JsonObject AllowlistUpdate(string allowlistId, string updateType, JsonObject data) => new()
    {
        ["allowlistId"] = allowlistId,
        ["updateType"] = updateType,
        ["data"] = data,
        ["timestamp"] = Now(),
    };

    private sealed class Store
    {
        private int _ids;

        public Dictionary<string, JsonObject> Communities { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string Community, string User), JsonObject> Memberships { get; } = [];

        public Dictionary<string, JsonObject> Tasks { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string Task, string User), JsonObject> Progress { get; } = [];

        public List<JsonObject> Completions { get; } = [];

        public Dictionary<string, JsonObject> Allowlists { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, JsonObject> Connections { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<JsonObject>> Entries { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, JsonObject> Users { get; } = new(StringComparer.Ordinal);

        /// <summary>User id to e-mail address (kept apart so user JSON never carries it).</summary>
        public Dictionary<string, string> Emails { get; } = new(StringComparer.Ordinal);

        public List<JsonObject> Activities { get; } = [];

        public List<JsonObject> Webhooks { get; } = [];

        public string NextId(string prefix) => $"{prefix}_{++_ids}";

        public List<JsonObject> EntriesOf(string allowlistId)
        {
            if (!Entries.TryGetValue(allowlistId, out var list))
            {
                Entries[allowlistId] = list = [];
            }

            return list;
        }
    }
}
