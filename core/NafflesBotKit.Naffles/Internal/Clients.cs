using System.Net;
using System.Text.Json.Nodes;
using static NafflesBotKit.Naffles.Internal.NafflesHttp;

namespace NafflesBotKit.Naffles.Internal;

// One small typed client per API area (seed: CommunityApiService, SocialTasksApiService,
// AllowlistApiService, UserApiService, WebhookManager.registerWebhook, ApiHealthMonitor).
// Paths are relative so a BaseUrl with a path prefix keeps it.

internal sealed class CommunitiesApi(HttpClient http, TimeProvider time) : ICommunitiesApi
{
    private static readonly NafflesJsonContext Json = NafflesJsonContext.Default;

    public Task<NafflesCommunity> GetCommunityAsync(string communityId, CancellationToken cancellationToken = default) =>
        SendAsync(http, Create(HttpMethod.Get, $"api/communities/{Segment(communityId)}"), Json.NafflesCommunity, cancellationToken);

    public Task<DiscordServerLink> LinkDiscordServerAsync(string communityId, string guildId, string linkedByUserId, CancellationToken cancellationToken = default) =>
        SendAsync(
            http,
            Create(HttpMethod.Post, $"api/communities/{Segment(communityId)}/discord-link", new LinkDiscordServerBody(guildId, linkedByUserId, Iso(time)), Json.LinkDiscordServerBody),
            Json.DiscordServerLink,
            cancellationToken);

    public Task UnlinkDiscordServerAsync(string communityId, CancellationToken cancellationToken = default) =>
        SendAsync(http, Create(HttpMethod.Delete, $"api/communities/{Segment(communityId)}/discord-link"), cancellationToken);

    public Task<NafflesPage<CommunityMember>> GetCommunityMembersAsync(string communityId, CommunityMembersQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new CommunityMembersQuery();
        var path = $"api/communities/{Segment(communityId)}/members" + QueryString.Of(("page", query.Page), ("limit", query.Limit), ("sort", query.Sort), ("order", query.Order));
        return SendAsync(http, Create(HttpMethod.Get, path), Json.NafflesPageCommunityMember, cancellationToken, "members");
    }

    public async Task<CommunityMembership?> GetCommunityMembershipAsync(string communityId, string nafflesUserId, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendAsync(http, Create(HttpMethod.Get, $"api/communities/{Segment(communityId)}/members/{Segment(nafflesUserId)}"), Json.CommunityMembership, cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex) when (ex.Kind == NafflesErrorKind.NotFound)
        {
            return null; // seed: "if (!membership) return { hasAccess: false, reason: 'Not a member of this community' }"
        }
    }
}

internal sealed class SocialTasksApi(HttpClient http, TimeProvider time) : ISocialTasksApi
{
    private static readonly NafflesJsonContext Json = NafflesJsonContext.Default;

    public Task<SocialTask> CreateSocialTaskAsync(string communityId, CreateSocialTaskRequest task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var body = new CreateSocialTaskBody(task.Title, task.Description, task.Type, task.Rewards, task.Configuration, task.CreatedBy, task.EndsAt, Source, Iso(time));
        return SendAsync(http, Create(HttpMethod.Post, $"api/communities/{Segment(communityId)}/social-tasks", body, Json.CreateSocialTaskBody), Json.SocialTask, cancellationToken);
    }

    public Task<NafflesPage<SocialTask>> GetSocialTasksAsync(string communityId, SocialTasksQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new SocialTasksQuery();
        var path = $"api/communities/{Segment(communityId)}/social-tasks"
            + QueryString.Of(("status", query.Status), ("limit", query.Limit), ("page", query.Page), ("sortBy", query.SortBy), ("sortOrder", query.SortOrder));
        return SendAsync(http, Create(HttpMethod.Get, path), Json.NafflesPageSocialTask, cancellationToken, "tasks");
    }

    public Task<TaskProgress> UpdateTaskProgressAsync(string taskId, TaskProgressUpdate progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return SendAsync(http, Create(HttpMethod.Patch, $"api/social-tasks/{Segment(taskId)}/progress", progress, Json.TaskProgressUpdate), Json.TaskProgress, cancellationToken);
    }

    public Task<TaskCompletion> CompleteTaskAsync(string taskId, string nafflesUserId, IReadOnlyDictionary<string, string>? completionData = null, CancellationToken cancellationToken = default)
    {
        var body = new CompleteTaskBody(nafflesUserId, completionData, Iso(time), Source);
        return SendAsync(http, Create(HttpMethod.Post, $"api/social-tasks/{Segment(taskId)}/complete", body, Json.CompleteTaskBody), Json.TaskCompletion, cancellationToken);
    }
}

internal sealed class AllowlistsApi(HttpClient http, TimeProvider time) : IAllowlistsApi
{
    private static readonly NafflesJsonContext Json = NafflesJsonContext.Default;

    public Task<Allowlist> GetAllowlistAsync(string allowlistId, CancellationToken cancellationToken = default) =>
        SendAsync(http, Create(HttpMethod.Get, $"api/allowlists/{Segment(allowlistId)}"), Json.Allowlist, cancellationToken);

    public Task<AllowlistDiscordConnection> ConnectAllowlistToDiscordAsync(string allowlistId, AllowlistConnectionRequest connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var body = new ConnectAllowlistBody(connection.GuildId, connection.ChannelId, connection.MessageId, connection.ConnectedBy, Iso(time));
        return SendAsync(http, Create(HttpMethod.Post, $"api/allowlists/{Segment(allowlistId)}/discord-connection", body, Json.ConnectAllowlistBody), Json.AllowlistDiscordConnection, cancellationToken);
    }

    public async Task<AllowlistEntryResult> EnterAllowlistAsync(string allowlistId, AllowlistEntryRequest entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var body = new EnterAllowlistBody(entry.UserId, entry.DiscordId, entry.Username, entry.WalletAddress, Iso(time), Source);
        using var request = Create(HttpMethod.Post, $"api/allowlists/{Segment(allowlistId)}/entries", body, Json.EnterAllowlistBody);

        // A 409 may carry the user's existing entry; let it through to read it.
        request.Options.Set(NafflesErrorHandler.AcceptedStatusKey, (int)HttpStatusCode.Conflict);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Conflict)
        {
            return new AllowlistEntryResult(await ReadAsync(response, Json.AllowlistEntry, cancellationToken).ConfigureAwait(false), AlreadyEntered: false);
        }

        var node = await ParseAsync(response, cancellationToken).ConfigureAwait(false);
        var existing = node is JsonObject obj ? obj["entry"] ?? (obj["data"] as JsonObject) : null;
        if (existing is JsonObject)
        {
            var model = ToModel(ResponseNormalizer.Normalize(existing.DeepClone()), Json.AllowlistEntry, response);
            return new AllowlistEntryResult(model, AlreadyEntered: true);
        }

        throw NafflesErrorClassifier.FromResponse(response, node?.ToJsonString(), time.GetUtcNow());
    }

    public Task<NafflesPage<AllowlistEntry>> GetAllowlistEntriesAsync(string allowlistId, AllowlistEntriesQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new AllowlistEntriesQuery();
        var path = $"api/allowlists/{Segment(allowlistId)}/entries" + QueryString.Of(("page", query.Page), ("limit", query.Limit), ("status", query.Status));
        return SendAsync(http, Create(HttpMethod.Get, path), Json.NafflesPageAllowlistEntry, cancellationToken, "entries");
    }
}

internal sealed class UsersApi(HttpClient http, TimeProvider time) : IUsersApi
{
    private static readonly NafflesJsonContext Json = NafflesJsonContext.Default;

    public Task<NafflesUser> LinkDiscordAccountAsync(string nafflesUserId, DiscordAccount discordAccount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(discordAccount);
        var body = new LinkDiscordAccountBody(discordAccount.Id, discordAccount.Username, discordAccount.Discriminator, discordAccount.Avatar, Iso(time));
        return SendAsync(http, Create(HttpMethod.Post, $"api/users/{Segment(nafflesUserId)}/discord-link", body, Json.LinkDiscordAccountBody), Json.NafflesUser, cancellationToken);
    }

    public async Task<NafflesUser?> GetUserByDiscordIdAsync(string discordId, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendAsync(http, Create(HttpMethod.Get, $"api/users/discord/{Segment(discordId)}"), Json.NafflesUser, cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex) when (ex.Kind == NafflesErrorKind.NotFound)
        {
            return null; // seed: "if (error.response?.status === 404) return null; // User not found"
        }
    }

    public async Task<NafflesUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        try
        {
            return await SendAsync(http, Create(HttpMethod.Post, "api/users/lookup", new UserLookupBody(email), Json.UserLookupBody), Json.NafflesUser, cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex) when (ex.Kind == NafflesErrorKind.NotFound)
        {
            return null;
        }
    }

    public Task UpdateUserActivityAsync(string nafflesUserId, UserActivity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var body = new UserActivityBody(activity.Type, activity.GuildId, activity.Details, Iso(time), Source);
        return SendAsync(http, Create(HttpMethod.Patch, $"api/users/{Segment(nafflesUserId)}/activity", body, Json.UserActivityBody), cancellationToken);
    }
}

internal sealed class WebhooksApi(HttpClient http) : IWebhooksApi
{
    public Task<WebhookRegistration> RegisterWebhookAsync(Uri url, IReadOnlyList<string> events, string secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        var body = new RegisterWebhookBody(url.AbsoluteUri, events, secret, Active: true);
        return SendAsync(http, Create(HttpMethod.Post, "api/webhooks", body, NafflesJsonContext.Default.RegisterWebhookBody), NafflesJsonContext.Default.WebhookRegistration, cancellationToken);
    }
}

internal sealed class NafflesHealthApi(HttpClient http) : INafflesHealthApi
{
    public Task<NafflesHealth> GetHealthAsync(CancellationToken cancellationToken = default) =>
        SendAsync(http, Create(HttpMethod.Get, "health"), NafflesJsonContext.Default.NafflesHealth, cancellationToken);
}

internal sealed class NafflesApi(
    ICommunitiesApi communities,
    ISocialTasksApi socialTasks,
    IAllowlistsApi allowlists,
    IUsersApi users,
    IWebhooksApi webhooks,
    INafflesHealthApi health) : INafflesApi
{
    public ICommunitiesApi Communities => communities;

    public ISocialTasksApi SocialTasks => socialTasks;

    public IAllowlistsApi Allowlists => allowlists;

    public IUsersApi Users => users;

    public IWebhooksApi Webhooks => webhooks;

    public INafflesHealthApi Health => health;
}

internal static class QueryString
{
    public static string Of(params (string Key, object Value)[] pairs) =>
        "?" + string.Join('&', pairs.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "")}"));
}
