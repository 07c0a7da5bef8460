using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Naffles;
using NafflesBotKit.Plugins.Shared;

namespace NafflesBotKit.Plugins.Allowlists;

/// <summary>
/// Re-syncs every mapped allowlist post each <see cref="PostSyncOptions.SyncInterval"/> in batches of
/// <see cref="PostSyncOptions.SyncBatchSize"/> (the seed's DataSynchronizer; direction by lastUpdated with its 5-second
/// rule). Naffles owns the data: a post is re-rendered when entries or status differ, when it closed by time, or every
/// 10 minutes (which also finds deleted messages, unmapped or re-posted by configuration); a Discord-newer post with
/// different data is logged as a conflict and Naffles' data wins.
/// </summary>
internal sealed partial class AllowlistPostSynchronizer(
    AllowlistPostStore posts,
    INafflesApi naffles,
    AllowlistPostRefresher refresher,
    PostSyncOptions options,
    TimeProvider time,
    ILogger<AllowlistPostSynchronizer> logger) : PostSynchronizer(options.SyncInterval, options.SyncBatchSize, time)
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(10);

    protected override ValueTask<IReadOnlyList<string>> ListIdsAsync(CancellationToken cancellationToken) =>
        posts.ListIdsAsync(cancellationToken);

    protected override void OnPassFailed(Exception exception) => LogSyncFailed(logger, exception);

    protected override async Task<bool> SyncOneAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            if (await posts.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } post)
            {
                return false;
            }

            var now = Time.GetUtcNow();
            Allowlist? allowlist;
            try
            {
                allowlist = await naffles.Allowlists.GetAllowlistAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (NafflesApiException ex) when (ex.Kind == NafflesErrorKind.NotFound)
            {
                allowlist = null;
            }

            var fresh = allowlist is null ? post with { Status = "cancelled" } : post.With(allowlist) with { TotalEntries = allowlist.TotalEntries ?? post.TotalEntries };
            var differs = fresh.Status != post.Status || fresh.TotalEntries != post.TotalEntries || fresh.Title != post.Title || fresh.EndTime != post.EndTime;
            var closedByTime = AllowlistEmbeds.IsOpen(post, post.LastRenderedAt) != AllowlistEmbeds.IsOpen(post, now);
            var direction = SyncRules.Decide(post.LastRenderedAt, allowlist is null ? null : UpdatedAt(allowlist), differs, sourceIsDiscord: false);
            if (differs && direction is SyncDirection.Conflict or SyncDirection.DiscordToNaffles)
            {
                LogConflict(logger, id, post.Status, fresh.Status, post.TotalEntries, fresh.TotalEntries);
            }

            return (differs || closedByTime || now - post.LastRenderedAt >= Heartbeat) && await refresher.RenderAsync(fresh, cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex)
        {
            LogOneFailed(logger, ex, id);
            return false;
        }
    }

    private static DateTimeOffset? UpdatedAt(Allowlist allowlist) =>
        allowlist.AdditionalData is { } extra && extra.TryGetValue("updatedAt", out var value) && value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "Allowlist post sync pass failed")]
    private static partial void LogSyncFailed(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Allowlist {AllowlistId}: sync failed, will retry next pass")]
    private static partial void LogOneFailed(ILogger logger, Exception ex, string allowlistId);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "Allowlist {AllowlistId}: sync conflict (post status {PostStatus}, Naffles {NafflesStatus}; entries {PostCount} vs {NafflesCount}); Naffles wins")]
    private static partial void LogConflict(ILogger logger, string allowlistId, string postStatus, string nafflesStatus, int postCount, int nafflesCount);
}
