using System.Text.Json;
using System.Text.Json.Serialization;

namespace NafflesBotKit.Naffles;

/// <summary>A social task.</summary>
public sealed record SocialTask
{
    /// <summary>The task id (the published backend's <c>_id</c> is accepted too).</summary>
    public string Id { get; init; } = "";

    /// <summary>The owning community id.</summary>
    public string? CommunityId { get; init; }

    /// <summary>The title.</summary>
    public string Title { get; init; } = "";

    /// <summary>The description.</summary>
    public string? Description { get; init; }

    /// <summary>The task type, e.g. <c>twitter_follow</c>, <c>discord_join</c>, <c>telegram_join</c>, <c>custom_url</c>.</summary>
    public string Type { get; init; } = "";

    /// <summary>The status, e.g. <c>active</c>, <c>completed</c>, <c>expired</c>.</summary>
    public string? Status { get; init; }

    /// <summary>The reward.</summary>
    public SocialTaskRewards? Rewards { get; init; }

    /// <summary>Type-specific configuration (e.g. <c>twitterUsername</c>, <c>targetUrl</c>).</summary>
    public IDictionary<string, JsonElement>? Configuration { get; init; }

    /// <summary>How many users completed it, when reported.</summary>
    public int? CompletionCount { get; init; }

    /// <summary>Who created it.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>Where it was created from (<c>discord-bot</c> for this bot).</summary>
    public string? Source { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When it ends, if it does.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>Fields this SDK version does not model.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalData { get; set; }
}

/// <summary>A task's reward.</summary>
public sealed record SocialTaskRewards
{
    /// <summary>Points awarded on completion.</summary>
    public long Points { get; init; }
}

/// <summary>The task data of <see cref="ISocialTasksApi.CreateSocialTaskAsync"/> (the seed's <c>taskData</c>).</summary>
public sealed record CreateSocialTaskRequest
{
    /// <summary>The title (required).</summary>
    public string Title { get; init; } = "";

    /// <summary>The description.</summary>
    public string? Description { get; init; }

    /// <summary>The task type (required).</summary>
    public string Type { get; init; } = "";

    /// <summary>The reward.</summary>
    public SocialTaskRewards? Rewards { get; init; }

    /// <summary>Type-specific configuration values.</summary>
    public IReadOnlyDictionary<string, string>? Configuration { get; init; }

    /// <summary>The Discord user creating the task.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>When the task ends, if it does.</summary>
    public DateTimeOffset? EndsAt { get; init; }
}

/// <summary>Filters for <see cref="ISocialTasksApi.GetSocialTasksAsync"/>; defaults are the seed's.</summary>
public sealed record SocialTasksQuery
{
    /// <summary>The status filter (default <c>active</c>).</summary>
    public string Status { get; init; } = "active";

    /// <summary>The page size (default 25).</summary>
    public int Limit { get; init; } = 25;

    /// <summary>The 1-based page (default 1).</summary>
    public int Page { get; init; } = 1;

    /// <summary>The sort field (default <c>createdAt</c>).</summary>
    public string SortBy { get; init; } = "createdAt";

    /// <summary>The sort order (default <c>desc</c>).</summary>
    public string SortOrder { get; init; } = "desc";
}

/// <summary>The progress data of <see cref="ISocialTasksApi.UpdateTaskProgressAsync"/>, sent as given.</summary>
public sealed record TaskProgressUpdate
{
    /// <summary>The Naffles user whose progress this is.</summary>
    public string UserId { get; init; } = "";

    /// <summary>The progress status, e.g. <c>started</c>, <c>submitted</c>, <c>verified</c>.</summary>
    public string? Status { get; init; }

    /// <summary>Progress in percent (0-100), when meaningful.</summary>
    public int? Progress { get; init; }

    /// <summary>Extra progress values.</summary>
    public IReadOnlyDictionary<string, string>? Data { get; init; }
}

/// <summary>Progress as recorded by the platform.</summary>
public sealed record TaskProgress
{
    /// <summary>The task id.</summary>
    public string TaskId { get; init; } = "";

    /// <summary>The Naffles user id.</summary>
    public string UserId { get; init; } = "";

    /// <summary>The progress status.</summary>
    public string? Status { get; init; }

    /// <summary>Progress in percent.</summary>
    public int? Progress { get; init; }

    /// <summary>When it was last updated.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
}

/// <summary>A recorded task completion.</summary>
public sealed record TaskCompletion
{
    /// <summary>The completion id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The task id.</summary>
    public string TaskId { get; init; } = "";

    /// <summary>The Naffles user id.</summary>
    public string UserId { get; init; } = "";

    /// <summary>The completion status, e.g. <c>completed</c> or <c>pending_verification</c>.</summary>
    public string? Status { get; init; }

    /// <summary>Points awarded, when reported.</summary>
    public long? PointsAwarded { get; init; }

    /// <summary>When the task was completed.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Fields this SDK version does not model.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalData { get; set; }
}
