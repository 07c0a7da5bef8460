using System.Text.Json.Serialization;
using NafflesBotKit.Plugins.Shared;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.SocialTasks;

/// <summary>Which Discord message shows a task, with the task data it renders (kept in the plugin store).</summary>
internal sealed record TaskPost
{
    public required string TaskId { get; init; }

    public required ulong GuildId { get; init; }

    public required ulong ChannelId { get; init; }

    public required ulong MessageId { get; init; }

    public string? CommunityId { get; init; }

    public string Title { get; init; } = "";

    public string? Description { get; init; }

    public string Type { get; init; } = "";

    public long Points { get; init; }

    public string Status { get; init; } = "active";

    public DateTimeOffset? EndsAt { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public int Completions { get; init; }

    /// <summary>The task type's extra fields; a stored <c>null</c> (an older or hand-written record) reads as empty.</summary>
    public Dictionary<string, string> Configuration
    {
        get => field;
        init => field = value ?? [];
    } = [];

    /// <summary>When the Discord message was last rendered (the Discord side's lastUpdated for the sync).</summary>
    public DateTimeOffset LastRenderedAt { get; init; }
}

/// <summary>What <c>/naffles-create-task</c> collected before its modal is submitted.</summary>
internal sealed record TaskDraft(string Type, string Title, string Description, long Points, int DurationHours, ulong GuildId, ulong ChannelId, ulong UserId, string CommunityId);

[JsonSerializable(typeof(TaskPost))]
[JsonSerializable(typeof(TaskDraft))]
internal sealed partial class SocialTasksJson : JsonSerializerContext;

/// <summary>Task posts in the plugin store (global scope, key <c>posts/{taskId}</c>) and the drafts of tasks being created.</summary>
internal sealed class TaskPostStore(IPluginStore store)
    : PostStore<TaskPost>(store, SocialTasksJson.Default.TaskPost, p => p.TaskId, p => p.GuildId)
{
    public ValueTask SaveDraftAsync(string id, TaskDraft draft, CancellationToken cancellationToken) =>
        Store.SetAsync("drafts/" + id, draft, SocialTasksJson.Default.TaskDraft, TimeSpan.FromMinutes(15), cancellationToken);

    public ValueTask<TaskDraft?> GetDraftAsync(string id, CancellationToken cancellationToken) =>
        Store.GetAsync("drafts/" + id, SocialTasksJson.Default.TaskDraft, cancellationToken);

    public ValueTask<bool> DeleteDraftAsync(string id, CancellationToken cancellationToken) => Store.DeleteAsync("drafts/" + id, cancellationToken);
}
