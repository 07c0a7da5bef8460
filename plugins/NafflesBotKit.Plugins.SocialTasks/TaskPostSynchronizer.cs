using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Naffles;
using NafflesBotKit.Plugins.Shared;

namespace NafflesBotKit.Plugins.SocialTasks;

/// <summary>
/// Re-syncs every mapped task post with Naffles each <see cref="PostSyncOptions.SyncInterval"/> (30 s), in batches of
/// <see cref="PostSyncOptions.SyncBatchSize"/> (10), deciding the direction with the seed's 5-second rule. Naffles owns
/// the task data, so a post is re-rendered when Naffles is newer and differs (or the task expired, or the post was not
/// rendered for 10 minutes — which also finds deleted messages); a Discord-newer post with different data is logged as
/// a conflict and Naffles' data is shown. Deleted messages are unmapped (or re-posted, by configuration).
/// </summary>
internal sealed partial class TaskPostSynchronizer(
    TaskPostStore posts,
    TaskLookup lookup,
    TaskPostRefresher refresher,
    PostSyncOptions options,
    TimeProvider time,
    ILogger<TaskPostSynchronizer> logger) : PostSynchronizer(options.SyncInterval, options.SyncBatchSize, time)
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(10);

    protected override ValueTask<IReadOnlyList<string>> ListIdsAsync(CancellationToken cancellationToken) =>
        posts.ListIdsAsync(cancellationToken);

    protected override void OnPassFailed(Exception exception) => LogSyncFailed(logger, exception);

    protected override async Task<bool> SyncOneAsync(string taskId, CancellationToken cancellationToken)
    {
        try
        {
            if (await posts.GetAsync(taskId, cancellationToken).ConfigureAwait(false) is not { } post || post.CommunityId is null)
            {
                return false;
            }

            var now = Time.GetUtcNow();
            var task = await lookup.FindAsync(post.CommunityId, taskId, cancellationToken).ConfigureAwait(false);
            var fresh = task is null
                ? post with { Status = post.Status == "active" ? "ended" : post.Status }
                : post with { Status = task.Status ?? post.Status, Completions = Math.Max(post.Completions, task.CompletionCount ?? 0), EndsAt = task.EndsAt ?? post.EndsAt, Title = task.Title.Length > 0 ? task.Title : post.Title };
            var differs = fresh.Status != post.Status || fresh.Completions != post.Completions || fresh.EndsAt != post.EndsAt || fresh.Title != post.Title;
            var expiredSinceRender = TaskEmbeds.EffectiveStatus(post.Status, post.EndsAt, now) != TaskEmbeds.EffectiveStatus(post.Status, post.EndsAt, post.LastRenderedAt);
            var direction = SyncRules.Decide(post.LastRenderedAt, task is null ? null : UpdatedAt(task), differs, sourceIsDiscord: false);
            if (direction is SyncDirection.Conflict or SyncDirection.DiscordToNaffles && differs)
            {
                LogConflict(logger, taskId, post.Status, fresh.Status, post.Completions, fresh.Completions);
            }

            if (differs || expiredSinceRender || now - post.LastRenderedAt >= Heartbeat)
            {
                return await refresher.RenderAsync(fresh, cancellationToken).ConfigureAwait(false);
            }

            return false;
        }
        catch (NafflesApiException ex)
        {
            LogTaskSyncFailed(logger, ex, taskId);
            return false;
        }
    }

    private static DateTimeOffset? UpdatedAt(SocialTask task) =>
        task.AdditionalData is { } extra && extra.TryGetValue("updatedAt", out var value) && value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : task.CreatedAt;

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Task post sync pass failed")]
    private static partial void LogSyncFailed(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Task {TaskId}: sync failed, will retry next pass")]
    private static partial void LogTaskSyncFailed(ILogger logger, Exception ex, string taskId);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Task {TaskId}: sync conflict (post status {PostStatus}, Naffles {NafflesStatus}; completions {PostCount} vs {NafflesCount}); Naffles wins")]
    private static partial void LogConflict(ILogger logger, string taskId, string postStatus, string nafflesStatus, int postCount, int nafflesCount);
}
