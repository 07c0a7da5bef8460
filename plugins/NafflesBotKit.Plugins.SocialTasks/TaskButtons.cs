using System.Globalization;
using NafflesBotKit.Discord;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Naffles;
using NafflesBotKit.Plugins.Shared;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.SocialTasks;

public sealed class TaskArgs
{
    public string TaskId { get; set; } = "";
}

/// <summary>The Details button (and the v1 <c>view_task_{id}</c>): an ephemeral detail view.</summary>
[Component("task:view:{taskId}")]
[Component("view_task_{taskId}")]
internal sealed class ViewTaskButton(GuildLinkReader links, TaskLookup lookup, TimeProvider time) : ComponentHandler<TaskArgs>
{
    public override ValueTask HandleAsync(ComponentContext context, TaskArgs arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return TaskDetails.ReplyAsync(context, links, lookup, time, arguments.TaskId, cancellationToken);
    }
}

internal static class TaskDetails
{
    public static async ValueTask ReplyAsync(ComponentContext context, GuildLinkReader links, TaskLookup lookup, TimeProvider time, string taskId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var link = await links.GetAsync(context.GuildId, cancellationToken).ConfigureAwait(false);
        TaskPost? view;
        try
        {
            view = await lookup.GetViewAsync(taskId, link?.CommunityId, cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex)
        {
            await context.ReplyAsync(NafflesReplies.FromApi(ex, "Task"), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        if (view is null)
        {
            await context.ReplyAsync(link is null ? NafflesReplies.ServerNotLinked() : NafflesEmbeds.Error("Task Not Found", "This task no longer exists on Naffles.", ["Run `/naffles-list-tasks` to see current tasks"]), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        await context.ReplyAsync(TaskDetails.Build(view, time), ephemeral: true, cancellationToken).ConfigureAwait(false);
    }

    private static MessagePayload Build(TaskPost view, TimeProvider time) => TaskEmbeds.Detail(view, time.GetUtcNow());
}

/// <summary>
/// The Complete button (and the v1 <c>complete_task_{id}</c>): needs a linked Naffles account; Discord-join tasks are
/// verified by the bot (membership of the task's server); the completion is recorded once however often it is clicked
/// (one in-process lock per task and user, and Naffles answers a repeat with "already completed").
/// </summary>
[Component("task:complete:{taskId}")]
[Component("complete_task_{taskId}")]
internal sealed class CompleteTaskButton(
    INafflesApi naffles,
    IDiscordClient discord,
    GuildLinkReader links,
    TaskLookup lookup,
    TaskPostRefresher refresher,
    KeyedLocks locks,
    TimeProvider time,
    IAccountLinking? linking = null) : ComponentHandler<TaskArgs>
{
    public override async ValueTask HandleAsync(ComponentContext context, TaskArgs arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(arguments);
        var taskId = arguments.TaskId;
        try
        {
            var user = await naffles.Users.GetUserByDiscordIdAsync(context.User.Id.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            if (user is null)
            {
                await context.ReplyAsync(NafflesReplies.AccountNotLinked(linking, context.User.Id, context.GuildId), ephemeral: true, cancellationToken).ConfigureAwait(false);
                return;
            }

            var link = await links.GetAsync(context.GuildId, cancellationToken).ConfigureAwait(false);
            var task = await lookup.GetViewAsync(taskId, link?.CommunityId, cancellationToken).ConfigureAwait(false);
            if (task is null)
            {
                await ReplyAsync(context, NafflesEmbeds.Error("Task Not Found", "This task no longer exists on Naffles.", ["Run `/naffles-list-tasks` to see current tasks"]), cancellationToken).ConfigureAwait(false);
                return;
            }

            if (TaskEmbeds.EffectiveStatus(task.Status, task.EndsAt, time.GetUtcNow()) != "active")
            {
                await ReplyAsync(context, Ended(), cancellationToken).ConfigureAwait(false);
                return;
            }

            if (task.Type == TaskTypes.DiscordJoin && await CheckMembershipAsync(context, task, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                await context.ReplyAsync(problem, ephemeral: true, cancellationToken).ConfigureAwait(false);
                return;
            }

            TaskCompletion completion;
            using (await locks.AcquireAsync($"{taskId}/{user.Id}", cancellationToken).ConfigureAwait(false))
            {
                completion = await naffles.SocialTasks.CompleteTaskAsync(taskId, user.Id, new Dictionary<string, string>
                {
                    ["discordId"] = context.User.Id.ToString(CultureInfo.InvariantCulture),
                    ["discordUsername"] = context.User.Username,
                    ["verifiedBy"] = task.Type == TaskTypes.DiscordJoin ? "discord-membership" : "self-reported",
                }, cancellationToken).ConfigureAwait(false);
            }

            refresher.Request(taskId);
            var points = completion.PointsAwarded ?? task.Points;
            var embed = completion.Status is "pending_verification" or "pending"
                ? NafflesEmbeds.Info("⏳ Submitted for Review", $"Your completion of **{task.Title}** was submitted. You will earn {TaskEmbeds.Points(points)} once it is verified.")
                : NafflesEmbeds.Success("Task Completed!", $"🎉 You completed **{task.Title}** and earned **{TaskEmbeds.Points(points)}**!");
            await ReplyAsync(context, embed, cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex) when (ex.Kind == NafflesErrorKind.Conflict && ex.ErrorCode == "already_completed")
        {
            await ReplyAsync(context, NafflesEmbeds.Success("Already Completed", "You have already completed this task!"), cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex) when (ex.Kind == NafflesErrorKind.Conflict && ex.ErrorCode == "task_not_active")
        {
            refresher.Request(taskId);
            await ReplyAsync(context, Ended(), cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex)
        {
            await ReplyAsync(context, NafflesReplies.FromApi(ex, "Task"), cancellationToken).ConfigureAwait(false);
        }
    }

    private static Embed Ended() => NafflesEmbeds.Error("Task Ended", "This task is no longer active.", ["Run `/naffles-list-tasks` to find active tasks"]);

    private static ValueTask ReplyAsync(ComponentContext context, Embed embed, CancellationToken cancellationToken) =>
        context.ReplyAsync(embed, ephemeral: true, cancellationToken: cancellationToken);

    private async ValueTask<MessagePayload?> CheckMembershipAsync(ComponentContext context, TaskPost task, CancellationToken cancellationToken)
    {
        var server = task.Configuration.TryGetValue("discordServerId", out var id) && ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            ? s
            : task.GuildId != 0 ? task.GuildId : context.GuildId ?? 0;
        GuildMember? member;
        try
        {
            member = await discord.GetMemberAsync(server, context.User.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException)
        {
            member = null;
        }

        if (member is not null)
        {
            return null;
        }

        var embed = NafflesEmbeds.Error("Requirement Not Met", "You are not a member of the task's Discord server yet.", ["Join the server, then press Complete again"]);
        var components = task.Configuration.TryGetValue("discordInviteUrl", out var invite) && Uri.IsWellFormedUriString(invite, UriKind.Absolute)
            ? new ComponentBuilder().WithLinkButton("Join Server", invite, "💬").Build()
            : null;
        return MessagePayload.FromEmbed(embed, components);
    }
}
