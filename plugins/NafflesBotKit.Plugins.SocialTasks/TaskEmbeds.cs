using System.Globalization;
using NafflesBotKit.Messages;
using NafflesBotKit.Naffles;

namespace NafflesBotKit.Plugins.SocialTasks;

/// <summary>Task types the bot offers, with the v1 bot's labels.</summary>
internal static class TaskTypes
{
    public const string TwitterFollow = "twitter_follow";
    public const string DiscordJoin = "discord_join";
    public const string TelegramJoin = "telegram_join";
    public const string Custom = "custom";

    public static string Label(string type) => type switch
    {
        TwitterFollow => "🐦 Twitter Follow",
        DiscordJoin => "💬 Discord Join",
        TelegramJoin => "📱 Telegram Join",
        Custom or "custom_url" => "🔧 Custom Task",
        _ => type,
    };
}

/// <summary>The task post, detail and list embeds (seed <c>EmbedBuilder.createTaskEmbed</c>, v1 labels).</summary>
internal static class TaskEmbeds
{
    public const int Blue = 0x3B82F6;
    public const int Gray = 0x6B7280;

    public static string EffectiveStatus(string? status, DateTimeOffset? endsAt, DateTimeOffset now) =>
        (status ?? "active") == "active" && endsAt is { } end && end <= now ? "expired" : status ?? "active";

    public static string StatusLabel(string status) => status switch
    {
        "active" => "🎉 Active",
        "completed" => "✅ Completed",
        "expired" => "❌ Expired",
        "paused" => "⚠️ Paused",
        "ended" => "ℹ️ Ended",
        _ => status,
    };

    public static int StatusColor(string status) => status switch
    {
        "active" => NafflesEmbeds.SuccessGreen,
        "expired" => NafflesEmbeds.ErrorRed,
        "paused" => NafflesEmbeds.WarningAmber,
        _ => Gray,
    };

    public static TaskPost Snapshot(SocialTask task, ulong guildId, ulong channelId, ulong messageId, DateTimeOffset now) => new()
    {
        TaskId = task.Id,
        GuildId = guildId,
        ChannelId = channelId,
        MessageId = messageId,
        CommunityId = task.CommunityId,
        Title = task.Title,
        Description = task.Description,
        Type = task.Type,
        Points = task.Rewards?.Points ?? 0,
        Status = task.Status ?? "active",
        EndsAt = task.EndsAt,
        CreatedAt = task.CreatedAt,
        Completions = task.CompletionCount ?? 0,
        Configuration = task.Configuration?.Where(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.String)
            .ToDictionary(p => p.Key, p => p.Value.GetString()!) ?? [],
        LastRenderedAt = now,
    };

    /// <summary>The public task post: embed plus Complete/Details buttons (disabled once the task is not active).</summary>
    public static MessagePayload Post(TaskPost post, DateTimeOffset now)
    {
        var status = EffectiveStatus(post.Status, post.EndsAt, now);
        var active = status == "active";
        var embed = new EmbedBuilder()
            .WithTitle(DiscordLimits.Truncate($"🎯 {post.Title}", DiscordLimits.EmbedTitleLength))
            .WithDescription(string.IsNullOrWhiteSpace(post.Description) ? "No description provided." : DiscordLimits.Truncate(post.Description, 500))
            .WithColor(active ? Blue : Gray)
            .AddField("💰 Reward", Points(post.Points), inline: true)
            .AddField("🏷️ Type", TaskTypes.Label(post.Type), inline: true)
            .AddField("📊 Status", StatusLabel(status), inline: true)
            .AddField("✅ Completed By", post.Completions == 1 ? "1 user" : string.Create(CultureInfo.InvariantCulture, $"{post.Completions:N0} users"), inline: true);
        if (post.EndsAt is { } end)
        {
            embed.AddField(end > now ? "⏰ Ends" : "⏰ Ended", NafflesEmbeds.RelativeTime(end), inline: true);
        }

        if (Requirement(post.Type, post.Configuration) is { } requirement)
        {
            embed.AddField("📋 Requirements", requirement);
        }

        embed.WithFooter(NafflesEmbeds.FooterText);
        if (post.CreatedAt is { } created)
        {
            embed.WithTimestamp(created);
        }

        var buttons = new ComponentBuilder()
            .WithButton(active ? "Complete Task" : StatusLabel(status), $"task:complete:{post.TaskId}", ButtonStyle.Primary, "✅", disabled: !active)
            .WithButton("View Details", $"task:view:{post.TaskId}", ButtonStyle.Secondary, "👁️");
        if (LinkOf(post.Type, post.Configuration) is { } link)
        {
            buttons.WithLinkButton("Visit Link", link, "🔗");
        }

        return MessagePayload.FromEmbed(embed.Build(), buttons.Build());
    }

    /// <summary>The ephemeral detail view.</summary>
    public static MessagePayload Detail(TaskPost post, DateTimeOffset now)
    {
        var status = EffectiveStatus(post.Status, post.EndsAt, now);
        var embed = new EmbedBuilder()
            .WithTitle(DiscordLimits.Truncate($"🎯 {post.Title}", DiscordLimits.EmbedTitleLength))
            .WithDescription(string.IsNullOrWhiteSpace(post.Description) ? "No description provided." : DiscordLimits.Truncate(post.Description, DiscordLimits.EmbedDescriptionLength))
            .WithColor(StatusColor(status))
            .AddField("💰 Reward", Points(post.Points), inline: true)
            .AddField("🏷️ Type", TaskTypes.Label(post.Type), inline: true)
            .AddField("📊 Status", StatusLabel(status), inline: true)
            .AddField("✅ Completed By", string.Create(CultureInfo.InvariantCulture, $"{post.Completions:N0} users"), inline: true)
            .AddField("🆔 Task ID", $"`{post.TaskId}`", inline: true);
        if (post.EndsAt is { } end)
        {
            embed.AddField(end > now ? "⏳ Time Remaining" : "⏰ Ended", NafflesEmbeds.RelativeTime(end), inline: true);
        }

        if (Requirement(post.Type, post.Configuration) is { } requirement)
        {
            embed.AddField("📋 Requirements", requirement);
        }

        Edition.Mark(embed).WithFooter(NafflesEmbeds.FooterText);
        IReadOnlyList<ActionRow>? components = status == "active"
            ? new ComponentBuilder().WithButton("Complete Task", $"task:complete:{post.TaskId}", ButtonStyle.Primary, "✅").Build()
            : null;
        return MessagePayload.FromEmbed(embed.Build(), components);
    }

    public static string Points(long points) => points == 1 ? "1 point" : string.Create(CultureInfo.InvariantCulture, $"{points:N0} points");

    public static string? LinkOf(string type, IReadOnlyDictionary<string, string> configuration) => type switch
    {
        TaskTypes.TwitterFollow when configuration.TryGetValue("twitterUsername", out var user) => $"https://twitter.com/{user}",
        TaskTypes.DiscordJoin when configuration.TryGetValue("discordInviteUrl", out var invite) => invite,
        TaskTypes.TelegramJoin when configuration.TryGetValue("telegramChannelUrl", out var channel) => channel,
        _ => null,
    };

    private static string? Requirement(string type, IReadOnlyDictionary<string, string> configuration)
    {
        var text = type switch
        {
            TaskTypes.TwitterFollow when configuration.TryGetValue("twitterUsername", out var user) => $"Follow **@{user}** on Twitter",
            TaskTypes.DiscordJoin when configuration.TryGetValue("discordInviteUrl", out var invite) => $"Join the Discord server: {invite}",
            TaskTypes.TelegramJoin when configuration.TryGetValue("telegramChannelUrl", out var channel) => $"Join the Telegram channel: {channel}",
            TaskTypes.Custom when configuration.TryGetValue("instructions", out var instructions) =>
                configuration.TryGetValue("verificationMethod", out var method) ? $"{instructions}\n**Verification:** {method}" : instructions,
            _ => null,
        };
        return text is null ? null : DiscordLimits.Truncate(text, DiscordLimits.EmbedFieldValueLength);
    }
}
