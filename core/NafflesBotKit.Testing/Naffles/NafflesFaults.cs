namespace NafflesBotKit.Testing.Naffles;

/// <summary>What an injected fault does.</summary>
public enum NafflesFaultMode
{
    /// <summary>Answer with <see cref="NafflesFault.StatusCode"/> without processing the request.</summary>
    Respond,

    /// <summary>Close the connection before processing the request.</summary>
    DropBeforeProcessing,

    /// <summary>Process the request (store its effects), then close the connection without answering.</summary>
    DropAfterProcessing,

    /// <summary>Never answer; wait until the client gives up.</summary>
    Hang,

    /// <summary>Process normally after <see cref="NafflesFault.Latency"/>.</summary>
    Delay,
}

/// <summary>A fault applied to the next <see cref="Times"/> calls of a route.</summary>
public sealed record NafflesFault
{
    /// <summary>What the fault does.</summary>
    public NafflesFaultMode Mode { get; init; } = NafflesFaultMode.Respond;

    /// <summary>The status for <see cref="NafflesFaultMode.Respond"/>.</summary>
    public int StatusCode { get; init; } = 503;

    /// <summary>A Retry-After (whole seconds) sent with <see cref="NafflesFaultMode.Respond"/>.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Real-time latency before the fault (or, for <see cref="NafflesFaultMode.Delay"/>, before processing).</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>How many calls it applies to.</summary>
    public int Times { get; init; } = 1;

    /// <summary>Answer <paramref name="statusCode"/> to the next <paramref name="times"/> calls.</summary>
    /// <param name="statusCode">The status.</param>
    /// <param name="times">How many calls.</param>
    /// <returns>The fault.</returns>
    public static NafflesFault Status(int statusCode, int times = 1) => new() { StatusCode = statusCode, Times = times };

    /// <summary>Answer 429 with a Retry-After to the next <paramref name="times"/> calls.</summary>
    /// <param name="retryAfter">The Retry-After.</param>
    /// <param name="times">How many calls.</param>
    /// <returns>The fault.</returns>
    public static NafflesFault RateLimited(TimeSpan retryAfter, int times = 1) => new() { StatusCode = 429, RetryAfter = retryAfter, Times = times };

    /// <summary>Drop the connection before processing.</summary>
    /// <param name="times">How many calls.</param>
    /// <returns>The fault.</returns>
    public static NafflesFault Drop(int times = 1) => new() { Mode = NafflesFaultMode.DropBeforeProcessing, Times = times };

    /// <summary>Process, store, then drop the connection: the client cannot know the write happened.</summary>
    /// <param name="times">How many calls.</param>
    /// <returns>The fault.</returns>
    public static NafflesFault DropAfterProcessing(int times = 1) => new() { Mode = NafflesFaultMode.DropAfterProcessing, Times = times };

    /// <summary>Never answer.</summary>
    /// <param name="times">How many calls.</param>
    /// <returns>The fault.</returns>
    public static NafflesFault Hang(int times = 1) => new() { Mode = NafflesFaultMode.Hang, Times = times };

    /// <summary>Answer normally after a real-time delay.</summary>
    /// <param name="latency">The delay.</param>
    /// <param name="times">How many calls.</param>
    /// <returns>The fault.</returns>
    public static NafflesFault Delay(TimeSpan latency, int times = 1) => new() { Mode = NafflesFaultMode.Delay, Latency = latency, Times = times };
}

/// <summary>Per-route fault queues. Routes are <see cref="NafflesEmulatorRoutes"/> values or <c>*</c> for every route.</summary>
public sealed class NafflesFaults
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<(NafflesFault Fault, int Left)>> _queues = new(StringComparer.Ordinal);

    /// <summary>Queues a fault for a route.</summary>
    /// <param name="route">A <see cref="NafflesEmulatorRoutes"/> value, or <c>*</c>.</param>
    /// <param name="fault">The fault.</param>
    public void Add(string route, NafflesFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_gate)
        {
            if (!_queues.TryGetValue(route, out var queue))
            {
                _queues[route] = queue = new();
            }

            queue.Enqueue((fault, fault.Times));
        }
    }

    /// <summary>Removes every queued fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _queues.Clear();
        }
    }

    internal NafflesFault? Take(string route)
    {
        lock (_gate)
        {
            return TakeFrom(route) ?? TakeFrom("*");
        }
    }

    private NafflesFault? TakeFrom(string route)
    {
        if (!_queues.TryGetValue(route, out var queue) || queue.Count == 0)
        {
            return null;
        }

        var (fault, left) = queue.Dequeue();
        if (left > 1)
        {
            // Keep it at the front: rebuild the queue with the decremented head first.
            var rest = queue.ToArray();
            queue.Clear();
            queue.Enqueue((fault, left - 1));
            foreach (var item in rest)
            {
                queue.Enqueue(item);
            }
        }

        return fault;
    }
}

/// <summary>The emulator's route keys (method and template), for fault injection and request inspection.</summary>
public static class NafflesEmulatorRoutes
{
    /// <summary>GET /health.</summary>
    public const string Health = "GET /health";

    /// <summary>GET /api/communities/{communityId}.</summary>
    public const string GetCommunity = "GET /api/communities/{communityId}";

    /// <summary>POST /api/communities/{communityId}/discord-link.</summary>
    public const string LinkDiscordServer = "POST /api/communities/{communityId}/discord-link";

    /// <summary>DELETE /api/communities/{communityId}/discord-link.</summary>
    public const string UnlinkDiscordServer = "DELETE /api/communities/{communityId}/discord-link";

    /// <summary>GET /api/communities/{communityId}/members.</summary>
    public const string GetCommunityMembers = "GET /api/communities/{communityId}/members";

    /// <summary>GET /api/communities/{communityId}/members/{userId}.</summary>
    public const string GetCommunityMembership = "GET /api/communities/{communityId}/members/{userId}";

    /// <summary>POST /api/communities/{communityId}/social-tasks.</summary>
    public const string CreateSocialTask = "POST /api/communities/{communityId}/social-tasks";

    /// <summary>GET /api/communities/{communityId}/social-tasks.</summary>
    public const string GetSocialTasks = "GET /api/communities/{communityId}/social-tasks";

    /// <summary>PATCH /api/social-tasks/{taskId}/progress.</summary>
    public const string UpdateTaskProgress = "PATCH /api/social-tasks/{taskId}/progress";

    /// <summary>POST /api/social-tasks/{taskId}/complete.</summary>
    public const string CompleteTask = "POST /api/social-tasks/{taskId}/complete";

    /// <summary>GET /api/allowlists/{allowlistId}.</summary>
    public const string GetAllowlist = "GET /api/allowlists/{allowlistId}";

    /// <summary>POST /api/allowlists/{allowlistId}/discord-connection.</summary>
    public const string ConnectAllowlist = "POST /api/allowlists/{allowlistId}/discord-connection";

    /// <summary>POST /api/allowlists/{allowlistId}/entries.</summary>
    public const string EnterAllowlist = "POST /api/allowlists/{allowlistId}/entries";

    /// <summary>GET /api/allowlists/{allowlistId}/entries.</summary>
    public const string GetAllowlistEntries = "GET /api/allowlists/{allowlistId}/entries";

    /// <summary>POST /api/users/{userId}/discord-link.</summary>
    public const string LinkDiscordAccount = "POST /api/users/{userId}/discord-link";

    /// <summary>GET /api/users/discord/{discordId}.</summary>
    public const string GetUserByDiscordId = "GET /api/users/discord/{discordId}";

    /// <summary>POST /api/users/lookup (by e-mail; not in the seed).</summary>
    public const string FindUserByEmail = "POST /api/users/lookup";

    /// <summary>PATCH /api/users/{userId}/activity.</summary>
    public const string UpdateUserActivity = "PATCH /api/users/{userId}/activity";

    /// <summary>POST /api/webhooks.</summary>
    public const string RegisterWebhook = "POST /api/webhooks";
}
