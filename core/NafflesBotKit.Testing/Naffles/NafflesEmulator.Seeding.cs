using System.Globalization;
using System.Text.Json.Nodes;
using NafflesBotKit.Naffles;

namespace NafflesBotKit.Testing.Naffles;

// Seeding and inspection API for tests: state the platform owns, set up directly.
public sealed partial class NafflesEmulator
{
    /// <summary>Adds (or replaces) a community.</summary>
    /// <param name="id">The community id.</param>
    /// <param name="name">The name.</param>
    /// <param name="description">The description.</param>
    /// <returns>The id.</returns>
    public string AddCommunity(string id, string name, string? description = null)
    {
        lock (_gate)
        {
            _store.Communities[id] = new JsonObject { ["id"] = id, ["name"] = name, ["description"] = description, ["createdAt"] = Now() };
        }

        return id;
    }

    /// <summary>Adds (or replaces) a user.</summary>
    /// <param name="id">The Naffles user id.</param>
    /// <param name="username">The user name.</param>
    /// <param name="discordId">A linked Discord id, if any.</param>
    /// <param name="walletAddress">A wallet address, if any.</param>
    /// <param name="email">The account's e-mail address, if any (found by <c>POST /api/users/lookup</c>; never returned).</param>
    /// <returns>The id.</returns>
    public string AddUser(string id, string username, string? discordId = null, string? walletAddress = null, string? email = null)
    {
        lock (_gate)
        {
            _store.Users[id] = new JsonObject { ["id"] = id, ["username"] = username, ["discordId"] = discordId, ["walletAddress"] = walletAddress, ["points"] = 0 };
            if (email is not null)
            {
                _store.Emails[id] = email;
            }
        }

        return id;
    }

    /// <summary>Makes a user a member of a community with a role (see <see cref="CommunityRoles"/>).</summary>
    /// <param name="communityId">The community id.</param>
    /// <param name="userId">The Naffles user id.</param>
    /// <param name="role">The role.</param>
    /// <param name="joinedAt">When the user joined (default: now).</param>
    public void AddMembership(string communityId, string userId, string role = CommunityRoles.Member, DateTimeOffset? joinedAt = null)
    {
        if (CommunityRoles.Rank(role) < 0)
        {
            throw new ArgumentException($"Unknown role '{role}'; use one of {string.Join(", ", CommunityRoles.Hierarchy)}.", nameof(role));
        }

        lock (_gate)
        {
            _store.Memberships[(communityId, userId)] = new JsonObject
            {
                ["communityId"] = communityId,
                ["userId"] = userId,
                ["username"] = _store.Users.TryGetValue(userId, out var user) ? user["username"]?.DeepClone() : null,
                ["role"] = role,
                ["joinedAt"] = Iso(joinedAt ?? _options.TimeProvider.GetUtcNow()),
            };
        }
    }

    /// <summary>Adds (or replaces) a social task.</summary>
    /// <param name="id">The task id.</param>
    /// <param name="communityId">The community id.</param>
    /// <param name="title">The title.</param>
    /// <param name="type">The task type.</param>
    /// <param name="status">The status.</param>
    /// <param name="points">The reward points.</param>
    /// <param name="createdAt">When it was created (default: now).</param>
    /// <returns>The id.</returns>
    public string AddSocialTask(string id, string communityId, string title, string type = "twitter_follow", string status = "active", long points = 10, DateTimeOffset? createdAt = null)
    {
        lock (_gate)
        {
            _store.Tasks[id] = new JsonObject
            {
                ["id"] = id,
                ["communityId"] = communityId,
                ["title"] = title,
                ["type"] = type,
                ["status"] = status,
                ["rewards"] = new JsonObject { ["points"] = points },
                ["completionCount"] = 0,
                ["createdAt"] = Iso(createdAt ?? _options.TimeProvider.GetUtcNow()),
            };
        }

        return id;
    }

    /// <summary>Adds (or replaces) an allowlist.</summary>
    /// <param name="id">The allowlist id.</param>
    /// <param name="communityId">The community id.</param>
    /// <param name="title">The title.</param>
    /// <param name="maxEntries">The entry cap, if any.</param>
    /// <param name="status">The status (<c>active</c> accepts entries).</param>
    /// <param name="winnerCount">How many winners.</param>
    /// <returns>The id.</returns>
    public string AddAllowlist(string id, string communityId, string title, int? maxEntries = null, string status = "active", int winnerCount = 1)
    {
        lock (_gate)
        {
            _store.Allowlists[id] = new JsonObject
            {
                ["id"] = id,
                ["communityId"] = communityId,
                ["title"] = title,
                ["status"] = status,
                ["winnerCount"] = winnerCount,
                ["maxEntries"] = maxEntries,
                ["totalEntries"] = 0,
                ["entryPrice"] = new JsonObject { ["tokenType"] = "points", ["amount"] = "0" },
            };
            _store.Entries[id] = [];
        }

        return id;
    }

    /// <summary>
    /// Sets extra fields on an allowlist as the platform would return them (e.g. <c>endTime</c>, <c>description</c>,
    /// <c>socialTasks</c> requirements, <c>requiresWallet</c>), without sending a webhook.
    /// </summary>
    /// <param name="allowlistId">The allowlist.</param>
    /// <param name="fields">Fields to set (replacing values of the same name).</param>
    public void SetAllowlistFields(string allowlistId, JsonObject fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        lock (_gate)
        {
            foreach (var (name, value) in fields)
            {
                _store.Allowlists[allowlistId][name] = value?.DeepClone();
            }
        }
    }

    /// <summary>The stored entries of an allowlist (copies).</summary>
    /// <param name="allowlistId">The allowlist id.</param>
    /// <returns>The entries.</returns>
    public IReadOnlyList<JsonObject> GetStoredEntries(string allowlistId)
    {
        lock (_gate)
        {
            return [.. _store.EntriesOf(allowlistId).Select(e => (JsonObject)e.DeepClone())];
        }
    }

    /// <summary>The stored completions of a task (copies).</summary>
    /// <param name="taskId">The task id.</param>
    /// <returns>The completions.</returns>
    public IReadOnlyList<JsonObject> GetStoredCompletions(string taskId)
    {
        lock (_gate)
        {
            return [.. _store.Completions.Where(c => c["taskId"]?.GetValue<string>() == taskId).Select(c => (JsonObject)c.DeepClone())];
        }
    }

    /// <summary>The stored social tasks of a community (copies), oldest first.</summary>
    /// <param name="communityId">The community id.</param>
    /// <returns>The tasks.</returns>
    public IReadOnlyList<JsonObject> GetStoredTasks(string communityId)
    {
        lock (_gate)
        {
            return [.. _store.Tasks.Values.Where(t => t["communityId"]?.GetValue<string>() == communityId).Select(t => (JsonObject)t.DeepClone())];
        }
    }

    /// <summary>The stored allowlists of a community (copies).</summary>
    /// <param name="communityId">The community id.</param>
    /// <returns>The allowlists.</returns>
    public IReadOnlyList<JsonObject> GetStoredAllowlists(string communityId)
    {
        lock (_gate)
        {
            return [.. _store.Allowlists.Values.Where(a => a["communityId"]?.GetValue<string>() == communityId).Select(a => (JsonObject)a.DeepClone())];
        }
    }

    /// <summary>The stored activity records (copies).</summary>
    /// <returns>The records.</returns>
    public IReadOnlyList<JsonObject> GetStoredActivities()
    {
        lock (_gate)
        {
            return [.. _store.Activities.Select(a => (JsonObject)a.DeepClone())];
        }
    }

    /// <summary>Changes an allowlist's status and sends <c>allowlist-updated</c> / <c>status_changed</c>.</summary>
    /// <param name="allowlistId">The allowlist id.</param>
    /// <param name="status">The new status.</param>
    public void SetAllowlistStatus(string allowlistId, string status)
    {
        lock (_gate)
        {
            _store.Allowlists[allowlistId]["status"] = status;
        }

        Send(NafflesWebhookEvents.AllowlistUpdated, AllowlistUpdate(allowlistId, "status_changed", new JsonObject { ["newStatus"] = status }));
    }

    /// <summary>Marks winners and sends <c>allowlist-updated</c> / <c>winners_selected</c>.</summary>
    /// <param name="allowlistId">The allowlist id.</param>
    /// <param name="winnerUserIds">The winning Naffles user ids.</param>
    public void SelectWinners(string allowlistId, IReadOnlyList<string> winnerUserIds)
    {
        ArgumentNullException.ThrowIfNull(winnerUserIds);
        JsonArray winners;
        lock (_gate)
        {
            var entries = _store.EntriesOf(allowlistId);
            foreach (var entry in entries.Where(e => winnerUserIds.Contains(e["userId"]?.GetValue<string>())))
            {
                entry["status"] = "winner";
            }

            _store.Allowlists[allowlistId]["status"] = "completed";
            winners = new JsonArray([.. entries.Where(e => e["status"]?.GetValue<string>() == "winner")
                .Select(e => (JsonNode)new JsonObject { ["userId"] = e["userId"]?.DeepClone(), ["discordId"] = e["discordId"]?.DeepClone(), ["walletAddress"] = e["walletAddress"]?.DeepClone() })]);
        }

        Send(NafflesWebhookEvents.AllowlistUpdated, AllowlistUpdate(allowlistId, "winners_selected", new JsonObject { ["winners"] = winners }));
    }

    /// <summary>Changes community fields and sends <c>community-updated</c> with the changes.</summary>
    /// <param name="communityId">The community id.</param>
    /// <param name="changes">Field names and new string values.</param>
    public void UpdateCommunity(string communityId, IReadOnlyDictionary<string, string> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var changed = new JsonObject();
        lock (_gate)
        {
            var community = _store.Communities[communityId];
            foreach (var (key, value) in changes)
            {
                community[key] = value;
                changed[key] = value;
            }
        }

        Send(NafflesWebhookEvents.CommunityUpdated, new JsonObject { ["communityId"] = communityId, ["changes"] = changed, ["timestamp"] = Now() });
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
