using NafflesBotKit.Events;

namespace NafflesBotKit.Plugins.SocialTasks;

/// <summary>A completion reported by Naffles: refresh the task's post (coalesced).</summary>
internal sealed class TaskCompletedHandler(TaskPostRefresher refresher) : IEventHandler<NafflesTaskCompleted>
{
    public ValueTask HandleAsync(NafflesTaskCompleted @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        refresher.Request(@event.TaskId, @event.CompletedBy);
        return ValueTask.CompletedTask;
    }
}

/// <summary>The bot left a guild: forget its task posts.</summary>
internal sealed class TaskGuildLeftHandler(TaskPostStore posts) : IEventHandler<GuildLeft>
{
    public async ValueTask HandleAsync(GuildLeft @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        await posts.ForgetGuildAsync(@event.GuildId, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Help page for <c>/naffles-help</c>.</summary>
internal sealed class TaskHelpTopic : IEventHandler<HelpTopicsRequested>
{
    public ValueTask HandleAsync(HelpTopicsRequested @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        @event.Add(new HelpTopic(
            "tasks",
            "Social Tasks",
            "**Create** a task with `/naffles-create-task` (Manage Server): pick the type, title, description, points and duration, then fill in the type's details.\n"
            + "**List** tasks with `/naffles-list-tasks [status]` and pick one to see its details.\n"
            + "**Complete** a task with its ✅ button; link your Naffles account first. Discord-join tasks are checked by the bot.",
            "🎯",
            20));
        return ValueTask.CompletedTask;
    }
}
