using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Discord;
using NafflesBotKit.Events;
using NafflesBotKit.Messages;
using NafflesBotKit.Naffles;
using NafflesBotKit.Plugins.Shared;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.Allowlists;

/// <summary>Keeps allowlist posts current, coalescing the edits of one post to one per <see cref="PostSyncOptions.EditInterval"/>.</summary>
internal sealed class AllowlistPostRefresher : IAsyncDisposable
{
    private readonly AllowlistPostStore _posts;
    private readonly INafflesApi _naffles;
    private readonly IDiscordClient _discord;
    private readonly TimeProvider _time;
    private readonly ILogger<AllowlistPostRefresher> _logger;
    private readonly PostCoalescer _coalescer;
    private readonly bool _repost;
    private readonly Dictionary<string, (int? Count, string? Status)> _hints = new(StringComparer.Ordinal);

    public AllowlistPostRefresher(AllowlistPostStore posts, INafflesApi naffles, IDiscordClient discord, TimeProvider time, PostSyncOptions options, ILogger<AllowlistPostRefresher> logger, IRateLimiter? limiter = null, IPluginStore? store = null)
    {
        _posts = posts;
        _naffles = naffles;
        _discord = discord;
        _time = time;
        _logger = logger;
        _repost = options.RepostDeleted;
        // Edits of one post are coalesced across every process of the bot (shared when the store and limiter are Redis).
        var gate = limiter is not null && store is not null ? new SharedEditGate(limiter, store, "allowlist", options.EditInterval) : null;
        _coalescer = new PostCoalescer(time, options.EditInterval, FlushAsync, logger, gate);
    }

    public void Request(string allowlistId, int? entryCount = null, string? status = null)
    {
        lock (_hints)
        {
            var (count, previous) = _hints.GetValueOrDefault(allowlistId);
            _hints[allowlistId] = (entryCount is { } c ? Math.Max(c, count ?? 0) : count, status ?? previous);
        }

        _coalescer.Request(allowlistId);
    }

    public Task WhenIdleAsync() => _coalescer.WhenIdleAsync();

    public ValueTask DisposeAsync() => _coalescer.DisposeAsync();

    public async ValueTask<bool> RenderAsync(AllowlistPost post, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var updated = post with { LastRenderedAt = now };
        try
        {
            await _discord.EditMessageAsync(post.ChannelId, post.MessageId, AllowlistEmbeds.Post(updated, now), cancellationToken).ConfigureAwait(false);
            await _posts.SaveAsync(updated, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DiscordApiException ex) when (ex.Code is DiscordApiException.UnknownMessage or 10003)
        {
            if (_repost && AllowlistEmbeds.IsOpen(updated, now))
            {
                try
                {
                    var id = await _discord.SendMessageAsync(post.ChannelId, AllowlistEmbeds.Post(updated, now), cancellationToken).ConfigureAwait(false);
                    await _posts.SaveAsync(updated with { MessageId = id }, cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (DiscordApiException repostFailure)
                {
                    _logger.LogWarning(repostFailure, "Allowlist {AllowlistId}: re-posting failed; unmapping it", post.AllowlistId);
                }
            }

            await _posts.DeleteAsync(post.AllowlistId, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("Allowlist {AllowlistId}: its post {MessageId} was deleted in Discord; unmapped", post.AllowlistId, post.MessageId);
            return false;
        }
    }

    private async ValueTask FlushAsync(string allowlistId, CancellationToken cancellationToken)
    {
        if (await _posts.GetAsync(allowlistId, cancellationToken).ConfigureAwait(false) is not { } post)
        {
            return;
        }

        (int? Count, string? Status) hint;
        lock (_hints)
        {
            hint = _hints.GetValueOrDefault(allowlistId);
        }

        try
        {
            post = post.With(await _naffles.Allowlists.GetAllowlistAsync(allowlistId, cancellationToken).ConfigureAwait(false));
        }
        catch (NafflesApiException ex)
        {
            _logger.LogDebug(ex, "Allowlist {AllowlistId}: Naffles unavailable for the refresh; rendering what is known", allowlistId);
            post = post with { Status = hint.Status ?? post.Status };
        }

        post = post with { TotalEntries = Math.Max(post.TotalEntries, hint.Count ?? 0) };
        await RenderAsync(post, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The outcome of an Enter click.</summary>
internal sealed record EntryOutcome(AllowlistEntry Entry, bool AlreadyEntered, int EntryNumber, int TotalEntries, int? WinnerCount);

/// <summary>Entering an allowlist: one entry per user however often they click (one in-process lock per allowlist and user).</summary>
internal sealed class EntryService(INafflesApi naffles, KeyedLocks locks)
{
    private const int MaxScanPages = 20;
    private const int PageSize = 100;

    public async ValueTask<EntryOutcome> EnterAsync(Allowlist allowlist, NafflesUser user, ulong discordId, string username, CancellationToken cancellationToken)
    {
        AllowlistEntryResult result;
        using (await locks.AcquireAsync($"{allowlist.Id}/{user.Id}", cancellationToken).ConfigureAwait(false))
        {
            result = await naffles.Allowlists.EnterAllowlistAsync(allowlist.Id, new AllowlistEntryRequest
            {
                UserId = user.Id,
                DiscordId = discordId.ToString(CultureInfo.InvariantCulture),
                Username = username,
                WalletAddress = user.WalletAddress,
            }, cancellationToken).ConfigureAwait(false);
        }

        var fresh = await naffles.Allowlists.GetAllowlistAsync(allowlist.Id, cancellationToken).ConfigureAwait(false);
        var total = fresh.TotalEntries ?? 0;
        var number = await PositionAsync(allowlist.Id, result.Entry.Id, total, fromEnd: !result.AlreadyEntered, cancellationToken).ConfigureAwait(false) ?? total;
        return new EntryOutcome(result.Entry, result.AlreadyEntered, number, Math.Max(total, number), fresh.WinnerCount);
    }

    /// <summary>
    /// The entry's 1-based position in the allowlist's entries (in entry order), searching at most
    /// <see cref="MaxScanPages"/> pages. The entry existed when <paramref name="total"/> was read, so it is on one of the
    /// pages up to there; a new entry is near the end, so that search starts from the last page (one request however
    /// large the allowlist), a repeat click's from the first.
    /// </summary>
    private async ValueTask<int?> PositionAsync(string allowlistId, string entryId, int total, bool fromEnd, CancellationToken cancellationToken)
    {
        var last = Math.Max(1, (total + PageSize - 1) / PageSize);
        for (var step = 0; step < Math.Min(last, MaxScanPages); step++)
        {
            var page = fromEnd ? last - step : step + 1;
            var result = await naffles.Allowlists.GetAllowlistEntriesAsync(allowlistId, new AllowlistEntriesQuery { Page = page, Limit = PageSize, Status = "all" }, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < result.Items.Count; i++)
            {
                if (result.Items[i].Id == entryId)
                {
                    return ((page - 1) * PageSize) + i + 1;
                }
            }
        }

        return null;
    }

    public static string Odds(int? winners, int total)
    {
        if (winners is not { } w)
        {
            return "Everyone wins!";
        }

        if (total <= 0 || w >= total)
        {
            return "100% (more winners than entries so far)";
        }

        var percent = 100.0 * w / total;
        return string.Create(CultureInfo.InvariantCulture, $"{w:N0} winners among {total:N0} entries ({percent:0.##}%)");
    }
}

/// <summary>
/// Announces an allowlist's winners in its post's channel: mentions split across messages that each stay under
/// Discord's 2,000 characters and 100 user mentions; optionally gives each winner the post's winner role.
/// </summary>
internal sealed class WinnerAnnouncer(AllowlistPostStore posts, IDiscordClient discord, ILogger<WinnerAnnouncer> logger)
{
    public const int MaxMentionsPerMessage = 100;

    public async ValueTask AnnounceAsync(NafflesAllowlistWinnersSelected winners, CancellationToken cancellationToken)
    {
        if (await posts.GetAsync(winners.AllowlistId, cancellationToken).ConfigureAwait(false) is not { } post
            || !await posts.TryMarkAnnouncedAsync(winners.AllowlistId, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        foreach (var message in Build(post.Title, winners.Winners))
        {
            await discord.SendMessageAsync(post.ChannelId, message, cancellationToken).ConfigureAwait(false);
        }

        if (post.WinnerRoleId is not { } role)
        {
            return;
        }

        foreach (var winner in winners.Winners)
        {
            if (!ulong.TryParse(winner.DiscordId, NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
            {
                continue;
            }

            try
            {
                await discord.AddRoleAsync(post.GuildId, userId, role, $"Winner of allowlist {post.AllowlistId}", cancellationToken).ConfigureAwait(false);
            }
            catch (DiscordApiException ex)
            {
                logger.LogWarning(ex, "Allowlist {AllowlistId}: could not give the winner role to {UserId}", post.AllowlistId, userId);
            }
        }
    }

    /// <summary>The announcement messages: a header, then one line per winner, packed under the limits.</summary>
    public static IReadOnlyList<MessagePayload> Build(string title, IReadOnlyList<AllowlistWinner> winners)
    {
        var header = winners.Count == 0
            ? $"🏆 **Winners of {DiscordLimits.Truncate(title, 200)}**\nNo winners were drawn."
            : string.Create(CultureInfo.InvariantCulture, $"🏆 **Winners of {DiscordLimits.Truncate(title, 200)}** — congratulations to all {winners.Count:N0}!");
        List<MessagePayload> messages = [];
        var text = new StringBuilder(header);
        List<ulong> mentions = [];
        foreach (var winner in winners)
        {
            string line;
            ulong? mention = null;
            if (ulong.TryParse(winner.DiscordId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                line = $"<@{id}>";
                mention = id;
            }
            else
            {
                line = $"`{Mask(winner.WalletAddress ?? winner.UserId ?? "unknown")}`";
            }

            if (text.Length + 1 + line.Length > DiscordLimits.ContentLength || (mention is not null && mentions.Count == MaxMentionsPerMessage))
            {
                messages.Add(Message(text.ToString(), mentions));
                text.Clear();
                mentions = [];
            }
            else if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(line);
            if (mention is { } m)
            {
                mentions.Add(m);
            }
        }

        messages.Add(Message(text.ToString(), mentions));
        return messages;
    }

    private static MessagePayload Message(string content, List<ulong> mentions) => new()
    {
        Content = content,
        AllowedMentions = new AllowedMentions { Users = [.. mentions] },
    };

    private static string Mask(string value) => value.Length <= 12 ? value : $"{value[..6]}…{value[^4..]}";
}

/// <summary>RFC 4180 CSV: CRLF line ends; fields with a comma, quote, CR or LF are quoted, quotes doubled.</summary>
internal static class Csv
{
    public static string Write(IEnumerable<IReadOnlyList<string?>> rows)
    {
        var builder = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                builder.Append(Field(row[i]));
            }

            builder.Append("\r\n");
        }

        return builder.ToString();
    }

    public static string Field(string? value)
    {
        value ??= "";
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
