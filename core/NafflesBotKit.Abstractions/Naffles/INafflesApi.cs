namespace NafflesBotKit.Naffles;

/// <summary>
/// The Naffles platform as plugins see it: one facade over the per-area clients. Every call is
/// authenticated, retried on transient failures, guarded by a circuit breaker and logged in the
/// request debug log; failures surface as <see cref="NafflesApiException"/>.
/// </summary>
public interface INafflesApi
{
    /// <summary>Communities, their Discord links and memberships.</summary>
    ICommunitiesApi Communities { get; }

    /// <summary>Social tasks and their completions.</summary>
    ISocialTasksApi SocialTasks { get; }

    /// <summary>Allowlists and their entries.</summary>
    IAllowlistsApi Allowlists { get; }

    /// <summary>Naffles users and their Discord accounts.</summary>
    IUsersApi Users { get; }

    /// <summary>Registration of webhooks the platform calls back.</summary>
    IWebhooksApi Webhooks { get; }

    /// <summary>The platform's health endpoint.</summary>
    INafflesHealthApi Health { get; }
}

/// <summary>Community operations (seed: <c>CommunityApiService</c>).</summary>
public interface ICommunitiesApi
{
    /// <summary><c>GET /api/communities/{communityId}</c>.</summary>
    /// <param name="communityId">The Naffles community id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The community.</returns>
    Task<NafflesCommunity> GetCommunityAsync(string communityId, CancellationToken cancellationToken = default);

    /// <summary><c>POST /api/communities/{communityId}/discord-link</c> with <c>{guildId, linkedBy, timestamp}</c>.</summary>
    /// <param name="communityId">The Naffles community id.</param>
    /// <param name="guildId">The Discord guild (server) id.</param>
    /// <param name="linkedByUserId">The Discord user who links the server.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The link as stored by the platform.</returns>
    Task<DiscordServerLink> LinkDiscordServerAsync(string communityId, string guildId, string linkedByUserId, CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /api/communities/{communityId}/discord-link</c>.</summary>
    /// <param name="communityId">The Naffles community id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the link is removed.</returns>
    Task UnlinkDiscordServerAsync(string communityId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/communities/{communityId}/members?page&amp;limit&amp;sort&amp;order</c> (defaults 1, 50, joinedAt, desc).</summary>
    /// <param name="communityId">The Naffles community id.</param>
    /// <param name="query">Paging and sorting; <see langword="null"/> means the seed's defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of members.</returns>
    Task<NafflesPage<CommunityMember>> GetCommunityMembersAsync(string communityId, CommunityMembersQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/communities/{communityId}/members/{userId}</c>: the user's membership and role, or <see langword="null"/> when not a member (404).</summary>
    /// <param name="communityId">The Naffles community id.</param>
    /// <param name="nafflesUserId">The Naffles user id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The membership, or <see langword="null"/>.</returns>
    Task<CommunityMembership?> GetCommunityMembershipAsync(string communityId, string nafflesUserId, CancellationToken cancellationToken = default);
}

/// <summary>Social task operations (seed: <c>SocialTasksApiService</c>).</summary>
public interface ISocialTasksApi
{
    /// <summary><c>POST /api/communities/{communityId}/social-tasks</c>; the body adds <c>source: "discord-bot"</c> and <c>createdAt</c>.</summary>
    /// <param name="communityId">The Naffles community id.</param>
    /// <param name="task">The task to create.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created task.</returns>
    Task<SocialTask> CreateSocialTaskAsync(string communityId, CreateSocialTaskRequest task, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/communities/{communityId}/social-tasks?status&amp;limit&amp;page&amp;sortBy&amp;sortOrder</c> (defaults active, 25, 1, createdAt, desc).</summary>
    /// <param name="communityId">The Naffles community id.</param>
    /// <param name="query">Filters; <see langword="null"/> means the seed's defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of tasks.</returns>
    Task<NafflesPage<SocialTask>> GetSocialTasksAsync(string communityId, SocialTasksQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary><c>PATCH /api/social-tasks/{taskId}/progress</c> with the progress data as given.</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="progress">The progress to record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The recorded progress.</returns>
    Task<TaskProgress> UpdateTaskProgressAsync(string taskId, TaskProgressUpdate progress, CancellationToken cancellationToken = default);

    /// <summary><c>POST /api/social-tasks/{taskId}/complete</c> with <c>{userId, completionData, completedAt, source}</c>.</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="nafflesUserId">The Naffles user completing the task.</param>
    /// <param name="completionData">Proof of completion (handles, answers, urls); may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The recorded completion.</returns>
    Task<TaskCompletion> CompleteTaskAsync(string taskId, string nafflesUserId, IReadOnlyDictionary<string, string>? completionData = null, CancellationToken cancellationToken = default);
}

/// <summary>Allowlist operations (seed: <c>AllowlistApiService</c>).</summary>
public interface IAllowlistsApi
{
    /// <summary><c>GET /api/allowlists/{allowlistId}</c>.</summary>
    /// <param name="allowlistId">The allowlist id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The allowlist.</returns>
    Task<Allowlist> GetAllowlistAsync(string allowlistId, CancellationToken cancellationToken = default);

    /// <summary><c>POST /api/allowlists/{allowlistId}/discord-connection</c>; the body adds <c>connectedAt</c>.</summary>
    /// <param name="allowlistId">The allowlist id.</param>
    /// <param name="connection">Where the allowlist is shown in Discord.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored connection.</returns>
    Task<AllowlistDiscordConnection> ConnectAllowlistToDiscordAsync(string allowlistId, AllowlistConnectionRequest connection, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>POST /api/allowlists/{allowlistId}/entries</c>; the body adds <c>enteredAt</c> and <c>source</c>.
    /// A user has at most one entry: a second attempt yields the existing entry with
    /// <see cref="AllowlistEntryResult.AlreadyEntered"/> set (the platform answers 409).
    /// </summary>
    /// <param name="allowlistId">The allowlist id.</param>
    /// <param name="entry">Who enters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry and whether it existed before.</returns>
    Task<AllowlistEntryResult> EnterAllowlistAsync(string allowlistId, AllowlistEntryRequest entry, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/allowlists/{allowlistId}/entries?page&amp;limit&amp;status</c> (defaults 1, 100, active).</summary>
    /// <param name="allowlistId">The allowlist id.</param>
    /// <param name="query">Paging and filter; <see langword="null"/> means the seed's defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of entries.</returns>
    Task<NafflesPage<AllowlistEntry>> GetAllowlistEntriesAsync(string allowlistId, AllowlistEntriesQuery? query = null, CancellationToken cancellationToken = default);
}

/// <summary>User operations (seed: <c>UserApiService</c>).</summary>
public interface IUsersApi
{
    /// <summary><c>POST /api/users/{nafflesUserId}/discord-link</c> with <c>{discordId, username, discriminator, avatar, linkedAt}</c>.</summary>
    /// <param name="nafflesUserId">The Naffles user id.</param>
    /// <param name="discordAccount">The Discord account to link.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The user with the link.</returns>
    Task<NafflesUser> LinkDiscordAccountAsync(string nafflesUserId, DiscordAccount discordAccount, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/users/discord/{discordId}</c>; <see langword="null"/> when no Naffles user is linked (404).</summary>
    /// <param name="discordId">The Discord user id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The user, or <see langword="null"/>.</returns>
    Task<NafflesUser?> GetUserByDiscordIdAsync(string discordId, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>POST /api/users/lookup</c> with <c>{email}</c> (not in the seed; the address goes in the body so it stays out
    /// of URLs and request logs): the Naffles user with that e-mail address, or <see langword="null"/> (404). The host's
    /// account linking uses it to find the Naffles account of a Discord user whose e-mail Discord has verified.
    /// </summary>
    /// <param name="email">The e-mail address.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The user, or <see langword="null"/>.</returns>
    Task<NafflesUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default);

    /// <summary><c>PATCH /api/users/{userId}/activity</c>; the body adds <c>timestamp</c> and <c>source</c>.</summary>
    /// <param name="nafflesUserId">The Naffles user id.</param>
    /// <param name="activity">What the user did.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the activity is recorded.</returns>
    Task UpdateUserActivityAsync(string nafflesUserId, UserActivity activity, CancellationToken cancellationToken = default);
}

/// <summary>Webhook registration (seed: <c>WebhookManager.registerWebhook</c>).</summary>
public interface IWebhooksApi
{
    /// <summary><c>POST /api/webhooks</c> with <c>{url, events, secret, active: true}</c>.</summary>
    /// <param name="url">Where the platform delivers events.</param>
    /// <param name="events">Event names, e.g. <c>task-completed</c>, <c>allowlist-updated</c>, <c>community-updated</c>.</param>
    /// <param name="secret">The shared HMAC secret for <c>x-naffles-signature</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registration, including its id.</returns>
    Task<WebhookRegistration> RegisterWebhookAsync(Uri url, IReadOnlyList<string> events, string secret, CancellationToken cancellationToken = default);
}

/// <summary>The platform's health check (seed: <c>ApiHealthMonitor</c>, <c>GET /health</c>).</summary>
public interface INafflesHealthApi
{
    /// <summary><c>GET /health</c>; not retried, so a health probe reports the truth quickly.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The reported health.</returns>
    Task<NafflesHealth> GetHealthAsync(CancellationToken cancellationToken = default);
}
