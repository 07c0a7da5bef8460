using Microsoft.Extensions.Logging;
using NafflesBotKit.Discord;
using NafflesBotKit.Naffles;
using NafflesBotKit.Plugins.Shared;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.SocialTasks;

/// <summary>
/// Finds one task. The Naffles API has no "get task by id", so the community's task list is searched (all statuses,
/// up to 500 tasks); the post mapping is tried first because it carries the task's data.
/// </summary>
internal sealed class TaskLookup(INafflesApi naffles, TaskPostStore posts, TimeProvider time)
{
    private const int MaxPages = 5;

    public async ValueTask<SocialTask?> FindAsync(string communityId, string taskId, CancellationToken cancellationToken)
    {
        for (var page = 1; page <= MaxPages; page++)
        {
            var result = await naffles.SocialTasks.GetSocialTasksAsync(communityId, new SocialTasksQuery { Status = "all", Limit = 100, Page = page }, cancellationToken).ConfigureAwait(false);
            if (result.Items.FirstOrDefault(t => t.Id == taskId) is { } task)
            {
                return task;
            }

            if (result.Items.Count < 100)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>The task as a post snapshot: the stored post, else the API (for v1 posts or list views).</summary>
    public async ValueTask<TaskPost?> GetViewAsync(string taskId, string? communityId, CancellationToken cancellationToken)
    {
        if (await posts.GetAsync(taskId, cancellationToken).ConfigureAwait(false) is { } post)
        {
            return post;
        }

        if (communityId is null || await FindAsync(communityId, taskId, cancellationToken).ConfigureAwait(false) is not { } task)
        {
            return null;
        }

        return TaskEmbeds.Snapshot(task, 0, 0, 0, time.GetUtcNow());
    }
}

/// <summary>
/// Keeps task posts current: completions (webhook events or clicks) ask for a refresh, and the edits of one post are
/// coalesced to at most one per <see cref="PostSyncOptions.EditInterval"/>.
/// </summary>
internal sealed class TaskPostRefresher : IAsyncDisposable
{
    private readonly TaskPostStore _posts;
    private readonly TaskLookup _lookup;
    private readonly IDiscordClient _discord;
    private readonly TimeProvider _time;
    private readonly ILogger<TaskPostRefresher> _logger;
    private readonly PostCoalescer _coalescer;
    private readonly Dictionary<string, int> _countHints = new(StringComparer.Ordinal);

    public TaskPostRefresher(TaskPostStore posts, TaskLookup lookup, IDiscordClient discord, TimeProvider time, PostSyncOptions options, ILogger<TaskPostRefresher> logger, IRateLimiter? limiter = null, IPluginStore? store = null)
    {
        _posts = posts;
        _lookup = lookup;
        _discord = discord;
        _time = time;
        _logger = logger;
        // Edits of one post are coalesced across every process of the bot (shared when the store and limiter are Redis).
        var gate = limiter is not null && store is not null ? new SharedEditGate(limiter, store, "task", options.EditInterval) : null;
        _coalescer = new PostCoalescer(time, options.EditInterval, FlushAsync, logger, gate);
        RepostDeleted = options.RepostDeleted;
    }

    /// <summary>Notes a completion count (from an event) and asks for a refresh of the task's post.</summary>
    public void Request(string taskId, int? completedBy = null)
    {
        if (completedBy is { } count)
        {
            lock (_countHints)
            {
                _countHints[taskId] = Math.Max(count, _countHints.GetValueOrDefault(taskId));
            }
        }

        _coalescer.Request(taskId);
    }

    public Task WhenIdleAsync() => _coalescer.WhenIdleAsync();

    public ValueTask DisposeAsync() => _coalescer.DisposeAsync();

    /// <summary>Renders and edits one post now; returns false when its message is gone (and unmaps or re-posts it).</summary>
    public async ValueTask<bool> RenderAsync(TaskPost post, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var updated = post with { LastRenderedAt = now };
        try
        {
            await _discord.EditMessageAsync(post.ChannelId, post.MessageId, TaskEmbeds.Post(updated, now), cancellationToken).ConfigureAwait(false);
            await _posts.SaveAsync(updated, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DiscordApiException ex) when (ex.Code is DiscordApiException.UnknownMessage or 10003)
        {
            await HandleDeletedAsync(updated, cancellationToken).ConfigureAwait(false);
            return false;
        }
    }

    private bool RepostDeleted { get; }

    private async ValueTask HandleDeletedAsync(TaskPost post, CancellationToken cancellationToken)
    {
        if (RepostDeleted && TaskEmbeds.EffectiveStatus(post.Status, post.EndsAt, _time.GetUtcNow()) == "active")
        {
            try
            {
                var id = await _discord.SendMessageAsync(post.ChannelId, TaskEmbeds.Post(post, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
                await _posts.SaveAsync(post with { MessageId = id }, cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Task {TaskId}: its post was deleted; posted again as {MessageId}", post.TaskId, id);
                return;
            }
            catch (DiscordApiException ex)
            {
                _logger.LogWarning(ex, "Task {TaskId}: re-posting failed; unmapping it", post.TaskId);
            }
        }

        await _posts.DeleteAsync(post.TaskId, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Task {TaskId}: its post {MessageId} was deleted in Discord; unmapped", post.TaskId, post.MessageId);
    }

    private async ValueTask FlushAsync(string taskId, CancellationToken cancellationToken)
    {
        if (await _posts.GetAsync(taskId, cancellationToken).ConfigureAwait(false) is not { } post)
        {
            return;
        }

        int hint;
        lock (_countHints)
        {
            hint = _countHints.GetValueOrDefault(taskId);
        }

        if (post.CommunityId is { } community)
        {
            try
            {
                if (await _lookup.FindAsync(community, taskId, cancellationToken).ConfigureAwait(false) is { } fresh)
                {
                    post = post with { Status = fresh.Status ?? post.Status, Completions = Math.Max(post.Completions, fresh.CompletionCount ?? 0), EndsAt = fresh.EndsAt ?? post.EndsAt };
                }
            }
            catch (NafflesApiException ex)
            {
                _logger.LogDebug(ex, "Task {TaskId}: Naffles unavailable for the refresh; rendering what is known", taskId);
            }
        }

        post = post with { Completions = Math.Max(post.Completions, hint) };
        await RenderAsync(post, cancellationToken).ConfigureAwait(false);
    }
}
