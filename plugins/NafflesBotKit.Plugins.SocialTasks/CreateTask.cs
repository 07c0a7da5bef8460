using System.Globalization;
using System.Text.RegularExpressions;
using NafflesBotKit.Discord;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Naffles;
using NafflesBotKit.Plugins.Shared;

namespace NafflesBotKit.Plugins.SocialTasks;

/// <summary>Options of <c>/naffles-create-task</c> (names, choices and limits of the v1 bot, plus a channel).</summary>
public sealed class CreateTaskOptions
{
    [Option("type", "Type of social task")]
    [Choice("Twitter Follow", TaskTypes.TwitterFollow)]
    [Choice("Discord Join", TaskTypes.DiscordJoin)]
    [Choice("Telegram Join", TaskTypes.TelegramJoin)]
    [Choice("Custom Task", TaskTypes.Custom)]
    public string Type { get; set; } = "";

    [Option("title", "Task title", MaxLength = 100)]
    public string Title { get; set; } = "";

    [Option("description", "Task description", MaxLength = 500)]
    public string Description { get; set; } = "";

    [Option("points", "Points reward for completing the task", MinValue = 1, MaxValue = 10_000)]
    public long Points { get; set; }

    [Option("duration", "Task duration in hours (default: 168 = 1 week)", MinValue = 1, MaxValue = 8_760)]
    public long? Duration { get; set; }

    [Option("channel", "Channel to post the task in (default: this channel)", ChannelTypes = [0, 5])]
    public DiscordChannel? Channel { get; set; }
}

/// <summary><c>/naffles-create-task</c>: checks the server is linked, keeps a draft, shows the type's modal.</summary>
[Command("naffles-create-task", "Create a new social task for your community", AutoDefer = false)]
[RequirePermission(Permissions.ManageGuild, Customizable = true)]
[Cooldown(10)]
internal sealed class CreateTaskCommand(GuildLinkReader links, TaskPostStore posts) : CommandHandler<CreateTaskOptions>
{
    public override async ValueTask HandleAsync(CommandContext context, CreateTaskOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (await links.GetAsync(context.GuildId, cancellationToken).ConfigureAwait(false) is not { } link)
        {
            await context.ReplyAsync(NafflesReplies.ServerNotLinked(), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        var draftId = Guid.NewGuid().ToString("N");
        var draft = new TaskDraft(
            options.Type, options.Title.Trim(), options.Description.Trim(), options.Points, (int)(options.Duration ?? 168),
            context.GuildId!.Value, options.Channel?.Id ?? context.ChannelId ?? 0, context.User.Id, link.CommunityId);
        await posts.SaveDraftAsync(draftId, draft, cancellationToken).ConfigureAwait(false);
        var modal = options.Type switch
        {
            TaskTypes.TwitterFollow => Modals.Build<TwitterTaskModal>($"task:create:twitter:{draftId}", "Create Social Task"),
            TaskTypes.DiscordJoin => Modals.Build<DiscordTaskModal>($"task:create:discord:{draftId}", "Create Social Task"),
            TaskTypes.TelegramJoin => Modals.Build<TelegramTaskModal>($"task:create:telegram:{draftId}", "Create Social Task"),
            _ => Modals.Build<CustomTaskModal>($"task:create:custom:{draftId}", "Create Social Task"),
        };
        await context.ShowModalAsync(modal, cancellationToken).ConfigureAwait(false);
    }
}

public sealed class TwitterTaskModal
{
    [ModalInput("twitter_username", "Twitter Username (without @)", MaxLength = 50, Placeholder = "naffles")]
    public string Username { get; set; } = "";

    public string DraftId { get; set; } = "";
}

public sealed class DiscordTaskModal
{
    [ModalInput("discord_invite", "Discord Invite Link", MaxLength = 200, Placeholder = "https://discord.gg/...")]
    public string Invite { get; set; } = "";

    public string DraftId { get; set; } = "";
}

public sealed class TelegramTaskModal
{
    [ModalInput("telegram_link", "Telegram Channel/Group Link", MaxLength = 200, Placeholder = "https://t.me/...")]
    public string Link { get; set; } = "";

    public string DraftId { get; set; } = "";
}

public sealed class CustomTaskModal
{
    [ModalInput("custom_instructions", "Task Instructions", Paragraph = true, MaxLength = 1000)]
    public string Instructions { get; set; } = "";

    [ModalInput("verification_method", "How will completion be verified?", Paragraph = true, MaxLength = 500)]
    public string VerificationMethod { get; set; } = "";

    public string DraftId { get; set; } = "";
}

[Modal("task:create:twitter:{draftId}")]
internal sealed class TwitterTaskModalHandler(TaskCreator creator) : ModalHandler<TwitterTaskModal>
{
    public override ValueTask HandleAsync(ModalContext context, TwitterTaskModal modal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(modal);
        var user = modal.Username.Trim().TrimStart('@');
        return TaskCreator.TwitterHandle().IsMatch(user)
            ? creator.CreateAsync(context, modal.DraftId, new() { ["twitterUsername"] = user }, cancellationToken)
            : TaskCreator.InvalidAsync(context, "The Twitter username must be 1-15 letters, digits or underscores.", cancellationToken);
    }
}

[Modal("task:create:discord:{draftId}")]
internal sealed class DiscordTaskModalHandler(TaskCreator creator) : ModalHandler<DiscordTaskModal>
{
    public override ValueTask HandleAsync(ModalContext context, DiscordTaskModal modal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(modal);
        var invite = modal.Invite.Trim();
        return TaskCreator.DiscordInvite().IsMatch(invite)
            ? creator.CreateAsync(context, modal.DraftId, new()
            {
                ["discordInviteUrl"] = invite,
                // Membership is checked in the guild the task was created in (an invite cannot be resolved without
                // the invite API); the invite is what members use to join it.
                ["discordServerId"] = context.GuildId?.ToString(CultureInfo.InvariantCulture) ?? "",
            }, cancellationToken)
            : TaskCreator.InvalidAsync(context, "The invite must look like https://discord.gg/code.", cancellationToken);
    }
}

[Modal("task:create:telegram:{draftId}")]
internal sealed class TelegramTaskModalHandler(TaskCreator creator) : ModalHandler<TelegramTaskModal>
{
    public override ValueTask HandleAsync(ModalContext context, TelegramTaskModal modal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(modal);
        var link = modal.Link.Trim();
        return TaskCreator.TelegramLink().IsMatch(link)
            ? creator.CreateAsync(context, modal.DraftId, new() { ["telegramChannelUrl"] = link }, cancellationToken)
            : TaskCreator.InvalidAsync(context, "The link must look like https://t.me/channel.", cancellationToken);
    }
}

[Modal("task:create:custom:{draftId}")]
internal sealed class CustomTaskModalHandler(TaskCreator creator) : ModalHandler<CustomTaskModal>
{
    public override ValueTask HandleAsync(ModalContext context, CustomTaskModal modal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(modal);
        return creator.CreateAsync(context, modal.DraftId, new()
        {
            ["instructions"] = modal.Instructions.Trim(),
            ["verificationMethod"] = modal.VerificationMethod.Trim(),
        }, cancellationToken);
    }
}

/// <summary>Creates the task on Naffles from the draft and the modal's fields, posts it and maps the post.</summary>
internal sealed partial class TaskCreator(INafflesApi naffles, IDiscordClient discord, TaskPostStore posts, KeyedLocks locks, TimeProvider time)
{
    public static ValueTask InvalidAsync(ModalContext context, string problem, CancellationToken cancellationToken) =>
        context.ReplyAsync(NafflesEmbeds.Error("Invalid Input", problem, ["Run `/naffles-create-task` again with a corrected value"]), ephemeral: true, cancellationToken: cancellationToken);

    public async ValueTask CreateAsync(ModalContext context, string draftId, Dictionary<string, string> configuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);

        // A modal submitted twice (double click, client retry) creates one task: the second finds the draft used up.
        using var gate = await locks.AcquireAsync("draft/" + draftId, cancellationToken).ConfigureAwait(false);
        var draft = await posts.GetDraftAsync(draftId, cancellationToken).ConfigureAwait(false);
        if (draft is null || draft.UserId != context.User.Id)
        {
            await context.ReplyAsync(NafflesEmbeds.Error("Session Expired", "Task creation session expired.", ["Run `/naffles-create-task` again"]), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        await context.DeferAsync(ephemeral: true, cancellationToken).ConfigureAwait(false);
        SocialTask task;
        try
        {
            task = await naffles.SocialTasks.CreateSocialTaskAsync(draft.CommunityId, new CreateSocialTaskRequest
            {
                Title = draft.Title,
                Description = draft.Description,
                Type = draft.Type,
                Rewards = new SocialTaskRewards { Points = draft.Points },
                Configuration = configuration,
                CreatedBy = draft.UserId.ToString(CultureInfo.InvariantCulture),
                EndsAt = time.GetUtcNow().AddHours(draft.DurationHours),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex)
        {
            await context.ReplyAsync(NafflesReplies.FromApi(ex, "Community"), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        await posts.DeleteDraftAsync(draftId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var snapshot = TaskEmbeds.Snapshot(task, draft.GuildId, draft.ChannelId, 0, now) with
        {
            Configuration = task.Configuration is null ? configuration : TaskEmbeds.Snapshot(task, 0, 0, 0, now).Configuration,
            EndsAt = task.EndsAt ?? now.AddHours(draft.DurationHours),
            CommunityId = task.CommunityId ?? draft.CommunityId,
        };
        ulong messageId;
        try
        {
            messageId = await discord.SendMessageAsync(draft.ChannelId, TaskEmbeds.Post(snapshot, now), cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex)
        {
            await context.ReplyAsync(NafflesEmbeds.Error("Could Not Post", $"The task was created on Naffles (id `{task.Id}`) but posting it in <#{draft.ChannelId}> failed: {ex.DiscordMessage}", ["Give the bot Send Messages and Embed Links in that channel"]), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        await posts.SaveAsync(snapshot with { MessageId = messageId }, cancellationToken).ConfigureAwait(false);
        await context.ReplyAsync(NafflesEmbeds.Success("Task Created", $"Task \"{DiscordLimits.Truncate(task.Title, 100)}\" has been created and posted in <#{draft.ChannelId}>!"), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    [GeneratedRegex("^[A-Za-z0-9_]{1,15}$")]
    internal static partial Regex TwitterHandle();

    [GeneratedRegex(@"^https?://(www\.)?(discord\.gg|discord(app)?\.com/invite)/[A-Za-z0-9-]+/?$", RegexOptions.IgnoreCase)]
    internal static partial Regex DiscordInvite();

    [GeneratedRegex(@"^https?://(www\.)?(t\.me|telegram\.me)/[A-Za-z0-9_+/-]+$", RegexOptions.IgnoreCase)]
    internal static partial Regex TelegramLink();
}
