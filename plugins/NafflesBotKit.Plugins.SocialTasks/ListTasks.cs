using System.Globalization;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Naffles;
using NafflesBotKit.Plugins.Shared;

namespace NafflesBotKit.Plugins.SocialTasks;

public sealed class ListTasksOptions
{
    [Option("status", "Filter tasks by status (default: active)")]
    [Choice("Active", "active")]
    [Choice("Completed", "completed")]
    [Choice("Expired", "expired")]
    [Choice("All", "all")]
    public string? Status { get; set; }
}

/// <summary><c>/naffles-list-tasks</c>: a summary embed and a select menu of the tasks, 25 per page.</summary>
[Command("naffles-list-tasks", "List social tasks for your community")]
[Cooldown(5)]
internal sealed class ListTasksCommand(TaskListView view) : CommandHandler<ListTasksOptions>
{
    public override async ValueTask HandleAsync(CommandContext context, ListTasksOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        await context.ReplyAsync(await view.RenderAsync(context.GuildId, options.Status ?? "active", 1, cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

public sealed class TaskPageArgs
{
    public string Status { get; set; } = "active";

    public int Page { get; set; } = 1;
}

/// <summary>Previous/next page of the task list (edits the list message).</summary>
[Component("task:list:{status}:{page}", Defer = ComponentDeferMode.UpdateMessage)]
internal sealed class TaskListPageButton(TaskListView view) : ComponentHandler<TaskPageArgs>
{
    public override async ValueTask HandleAsync(ComponentContext context, TaskPageArgs arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(arguments);
        await context.UpdateMessageAsync(await view.RenderAsync(context.GuildId, arguments.Status, arguments.Page, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A task chosen in the list's select menu (also the v1 id <c>select_task_details</c>): ephemeral detail view.</summary>
[Component("task:select:{page}")]
[Component("select_task_details")]
internal sealed class TaskSelectMenu(GuildLinkReader links, TaskLookup lookup, TimeProvider time) : ComponentHandler
{
    public override async ValueTask HandleAsync(ComponentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Values.Count == 0)
        {
            await context.ReplyAsync(NafflesEmbeds.Error("Nothing Selected", "Choose a task from the menu.", []), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        await TaskDetails.ReplyAsync(context, links, lookup, time, context.Values[0], cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Builds the list message for one status and page.</summary>
internal sealed class TaskListView(GuildLinkReader links, INafflesApi naffles)
{
    private const int PageSize = DiscordLimits.SelectOptions;

    public async ValueTask<MessagePayload> RenderAsync(ulong? guildId, string status, int page, CancellationToken cancellationToken)
    {
        if (await links.GetAsync(guildId, cancellationToken).ConfigureAwait(false) is not { } link)
        {
            return MessagePayload.FromEmbed(NafflesReplies.ServerNotLinked()) with { Flags = MessageFlags.Ephemeral };
        }

        List<SocialTask> tasks = [];
        try
        {
            for (var p = 1; p <= 5; p++)
            {
                var result = await naffles.SocialTasks.GetSocialTasksAsync(link.CommunityId, new SocialTasksQuery { Status = status, Limit = 100, Page = p }, cancellationToken).ConfigureAwait(false);
                tasks.AddRange(result.Items);
                if (result.Items.Count < 100)
                {
                    break;
                }
            }
        }
        catch (NafflesApiException ex)
        {
            return MessagePayload.FromEmbed(NafflesReplies.FromApi(ex, "Community")) with { Flags = MessageFlags.Ephemeral };
        }

        var label = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(status);
        if (tasks.Count == 0)
        {
            return MessagePayload.FromEmbed(new EmbedBuilder()
                .WithTitle($"📋 Social Tasks ({label})")
                .WithDescription($"No {status} tasks found for this community.")
                .WithColor(TaskEmbeds.Gray)
                .WithFooter(NafflesEmbeds.FooterText)
                .Build());
        }

        var pages = (tasks.Count + PageSize - 1) / PageSize;
        page = Math.Clamp(page, 1, pages);
        var available = tasks.Where(t => (t.Status ?? "active") == "active").Sum(t => t.Rewards?.Points ?? 0);
        var summary = new EmbedBuilder()
            .WithTitle($"📋 Social Tasks ({label})")
            .WithDescription("Choose a task below to see its details.")
            .WithColor(TaskEmbeds.Blue)
            .AddField("📊 Tasks", tasks.Count.ToString("N0", CultureInfo.InvariantCulture), inline: true)
            .AddField("💰 Points Available", available.ToString("N0", CultureInfo.InvariantCulture), inline: true)
            .AddField("🎉 Active", tasks.Count(t => (t.Status ?? "active") == "active").ToString(CultureInfo.InvariantCulture), inline: true)
            .WithFooter(pages > 1 ? string.Create(CultureInfo.InvariantCulture, $"Page {page}/{pages} • {NafflesEmbeds.FooterText}") : NafflesEmbeds.FooterText);
        var embed = Edition.Mark(summary).Build();
        var options = tasks.Skip((page - 1) * PageSize).Take(PageSize).Select(t => new SelectOption(
            DiscordLimits.Truncate(t.Title.Length == 0 ? t.Id : t.Title, DiscordLimits.SelectOptionLabelLength),
            t.Id,
            DiscordLimits.Truncate($"{TaskEmbeds.Points(t.Rewards?.Points ?? 0)} • {TaskTypes.Label(t.Type)} • {t.Status ?? "active"}", DiscordLimits.SelectOptionDescriptionLength)));
        var components = new ComponentBuilder().WithSelectMenu($"task:select:{page}", options, "Select a task to view details");
        if (pages > 1)
        {
            components.WithButton("Previous", $"task:list:{status}:{page - 1}", ButtonStyle.Secondary, "◀️", disabled: page == 1, row: 1);
            components.WithButton("Next", $"task:list:{status}:{page + 1}", ButtonStyle.Secondary, "▶️", disabled: page == pages, row: 1);
        }

        return MessagePayload.FromEmbed(embed, components.Build());
    }
}
