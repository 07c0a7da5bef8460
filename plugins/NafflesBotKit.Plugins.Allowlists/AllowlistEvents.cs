using NafflesBotKit.Events;

namespace NafflesBotKit.Plugins.Allowlists;

internal sealed class EntryAddedHandler(AllowlistPostRefresher refresher) : IEventHandler<NafflesAllowlistEntryAdded>
{
    public ValueTask HandleAsync(NafflesAllowlistEntryAdded @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        refresher.Request(@event.AllowlistId, @event.NewEntryCount);
        return ValueTask.CompletedTask;
    }
}

internal sealed class StatusChangedHandler(AllowlistPostRefresher refresher) : IEventHandler<NafflesAllowlistStatusChanged>
{
    public ValueTask HandleAsync(NafflesAllowlistStatusChanged @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        refresher.Request(@event.AllowlistId, status: @event.NewStatus);
        return ValueTask.CompletedTask;
    }
}

internal sealed class WinnersSelectedHandler(WinnerAnnouncer announcer, AllowlistPostRefresher refresher) : IEventHandler<NafflesAllowlistWinnersSelected>
{
    public async ValueTask HandleAsync(NafflesAllowlistWinnersSelected @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        refresher.Request(@event.AllowlistId, status: "completed");
        await announcer.AnnounceAsync(@event, cancellationToken).ConfigureAwait(false);
    }
}

internal sealed class AllowlistGuildLeftHandler(AllowlistPostStore posts) : IEventHandler<GuildLeft>
{
    public async ValueTask HandleAsync(GuildLeft @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        await posts.ForgetGuildAsync(@event.GuildId, cancellationToken).ConfigureAwait(false);
    }
}

internal sealed class AllowlistHelpTopic : IEventHandler<HelpTopicsRequested>
{
    public ValueTask HandleAsync(HelpTopicsRequested @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        @event.Add(new HelpTopic(
            "allowlists",
            "Allowlists",
            "**Connect** a Naffles allowlist with `/naffles-connect-allowlist allowlist_id [channel] [winner_role]` (Manage Server); the post updates live.\n"
            + "**Enter** with the 🎫 button; link your Naffles account first. You can enter once.\n"
            + "**Export** entries with `/naffles-allowlist-export` and see figures with `/naffles-allowlist-analytics`.",
            "🎫",
            30));
        return ValueTask.CompletedTask;
    }
}
