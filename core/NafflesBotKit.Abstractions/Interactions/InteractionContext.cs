using NafflesBotKit.Messages;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Interactions;

/// <summary>Where an interaction's response stands.</summary>
public enum ResponseState
{
    /// <summary>Nothing sent yet.</summary>
    None,

    /// <summary>A deferred message (type 5) was sent; the next reply edits it.</summary>
    DeferredMessage,

    /// <summary>A deferred update (type 6) was sent; the next reply edits the component's message.</summary>
    DeferredUpdate,

    /// <summary>A message, update, modal or autocomplete response was sent; further replies are follow-ups.</summary>
    Responded,
}

/// <summary>
/// What a handler gets: who invoked it, where, with which permissions, and the means to answer. Reply methods
/// follow Discord's rules for you: the first reply is the interaction response; after a deferral (yours or the
/// router's, when you are slow) a reply edits the deferred response; after that, replies are follow-ups.
/// Thread-safe.
/// </summary>
public abstract class InteractionContext
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _state;

    /// <summary>Creates a context.</summary>
    /// <param name="interaction">The interaction being handled.</param>
    /// <param name="responder">Transport used for responses.</param>
    /// <param name="pluginId">Id of the plugin whose handler runs.</param>
    private protected InteractionContext(Interaction interaction, IInteractionResponder responder, string pluginId)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        ArgumentNullException.ThrowIfNull(responder);
        Interaction = interaction;
        Responder = responder;
        PluginId = pluginId;
    }

    /// <summary>The raw interaction.</summary>
    public Interaction Interaction { get; }

    /// <summary>Id of the plugin whose handler runs.</summary>
    public string PluginId { get; }

    /// <summary>The invoking user.</summary>
    public DiscordUser User => Interaction.User;

    /// <summary>The guild, or null in a DM.</summary>
    public ulong? GuildId => Interaction.GuildId;

    /// <summary>The channel.</summary>
    public ulong? ChannelId => Interaction.ChannelId;

    /// <summary>The invoker's permissions in the channel (none in a DM).</summary>
    public Permissions MemberPermissions => Interaction.Member?.Permissions ?? Permissions.None;

    /// <summary>The invoker's locale, or <c>en-US</c> when Discord did not send one.</summary>
    public string Locale => Interaction.Locale ?? "en-US";

    /// <summary>The guild's locale.</summary>
    public string? GuildLocale => Interaction.GuildLocale;

    /// <summary>Whether replies default to ephemeral for this handler.</summary>
    public bool DefaultEphemeral { get; internal init; }

    /// <summary>Where the response stands.</summary>
    public ResponseState State => (ResponseState)Volatile.Read(ref _state);

    /// <summary>The transport.</summary>
    protected IInteractionResponder Responder { get; }

    /// <summary>Replies with text.</summary>
    /// <param name="content">Message text (at most 2000 characters).</param>
    /// <param name="ephemeral">Only the invoker sees it (defaults to the handler's setting).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public ValueTask ReplyAsync(string content, bool? ephemeral = null, CancellationToken cancellationToken = default) =>
        ReplyAsync(MessagePayload.FromText(content), ephemeral, cancellationToken);

    /// <summary>Replies with an embed and optional components.</summary>
    /// <param name="embed">The embed.</param>
    /// <param name="components">Buttons and menus.</param>
    /// <param name="ephemeral">Only the invoker sees it (defaults to the handler's setting).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public ValueTask ReplyAsync(Embed embed, IReadOnlyList<ActionRow>? components = null, bool? ephemeral = null, CancellationToken cancellationToken = default) =>
        ReplyAsync(MessagePayload.FromEmbed(embed, components), ephemeral, cancellationToken);

    /// <summary>
    /// Replies: the interaction response if nothing was sent yet, an edit of the deferred response after a deferral,
    /// a follow-up otherwise.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="ephemeral">Only the invoker sees it (defaults to the handler's setting). After a deferral the
    /// deferral decided this.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async ValueTask ReplyAsync(MessagePayload message, bool? ephemeral = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = WithEphemeral(message, ephemeral ?? DefaultEphemeral);
        payload.Validate();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            switch (State)
            {
                case ResponseState.None:
                    await Responder.RespondAsync(Interaction, new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource, payload), cancellationToken).ConfigureAwait(false);
                    SetState(ResponseState.Responded);
                    break;
                case ResponseState.DeferredMessage:
                    await Responder.EditOriginalAsync(Interaction, payload, cancellationToken).ConfigureAwait(false);
                    SetState(ResponseState.Responded);
                    break;
                case ResponseState.DeferredUpdate:
                    // A deferred update acknowledged the component's message; a reply is a new (follow-up) message.
                    await Responder.CreateFollowupAsync(Interaction, payload, cancellationToken).ConfigureAwait(false);
                    SetState(ResponseState.Responded);
                    break;
                default:
                    await Responder.CreateFollowupAsync(Interaction, payload, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Acknowledges now and answers later (the user sees "thinking…"). Does nothing if already acknowledged.</summary>
    /// <param name="ephemeral">Whether the eventual reply is ephemeral (defaults to the handler's setting).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public ValueTask DeferAsync(bool? ephemeral = null, CancellationToken cancellationToken = default) =>
        DeferCoreAsync(ResponseState.DeferredMessage, ephemeral ?? DefaultEphemeral, cancellationToken);

    /// <summary>Sends a follow-up message (after the interaction was acknowledged) and returns its id.</summary>
    /// <param name="message">The message.</param>
    /// <param name="ephemeral">Only the invoker sees it.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async ValueTask<ulong> FollowupAsync(MessagePayload message, bool ephemeral = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = WithEphemeral(message, ephemeral);
        payload.Validate();
        if (State == ResponseState.None)
        {
            throw new InvalidOperationException("A follow-up needs an acknowledged interaction: reply or defer first.");
        }

        return await Responder.CreateFollowupAsync(Interaction, payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Edits the original response.</summary>
    /// <param name="message">The new content.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async ValueTask EditOriginalAsync(MessagePayload message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Validate();
        if (State == ResponseState.None)
        {
            throw new InvalidOperationException("There is no original response to edit yet: reply or defer first.");
        }

        await Responder.EditOriginalAsync(Interaction, message, cancellationToken).ConfigureAwait(false);
        if (State != ResponseState.Responded)
        {
            SetState(ResponseState.Responded);
        }
    }

    /// <summary>Deletes the original response.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public ValueTask DeleteOriginalAsync(CancellationToken cancellationToken = default) =>
        Responder.DeleteOriginalAsync(Interaction, cancellationToken);

    /// <summary>Shows a modal. Only possible as the first response, and not in answer to a modal submission.</summary>
    /// <param name="modal">The modal.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async ValueTask ShowModalAsync(ModalPayload modal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modal);
        if (Interaction.Type == InteractionType.ModalSubmit)
        {
            throw new InvalidOperationException("Discord does not allow a modal in answer to a modal submission.");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (State != ResponseState.None)
            {
                throw new InvalidOperationException($"A modal must be the first response, but the interaction is already {State}. Set AutoDefer = false (or ComponentDeferMode.None) on handlers that show modals.");
            }

            await Responder.RespondAsync(Interaction, new InteractionResponse(InteractionCallbackType.Modal, Modal: modal), cancellationToken).ConfigureAwait(false);
            SetState(ResponseState.Responded);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Used by the router when a handler is slow: defers if nothing was sent yet. Returns whether it deferred.
    /// </summary>
    /// <param name="cancellationToken">Cancellation.</param>
    internal virtual ValueTask<bool> TryAutoDeferAsync(CancellationToken cancellationToken) =>
        TryDeferAsync(ResponseState.DeferredMessage, DefaultEphemeral, cancellationToken);

    /// <summary>The deferral <see cref="TryAutoDeferAsync"/> would send, or null when this handler is never deferred.</summary>
    internal virtual InteractionResponse? AutoDeferral => DeferralFor(ResponseState.DeferredMessage, DefaultEphemeral);

    /// <summary>Tells a transport that may have to defer on its own which deferral this handler would make.</summary>
    internal void HintDeferral()
    {
        if (Responder is IInteractionDeferralHint hint && AutoDeferral is { } deferral)
        {
            hint.PreferDeferral(deferral);
        }
    }

    /// <summary>The callback that defers with the given kind.</summary>
    /// <param name="kind">DeferredMessage or DeferredUpdate.</param>
    /// <param name="ephemeral">Ephemeral flag of a deferred message.</param>
    private protected static InteractionResponse DeferralFor(ResponseState kind, bool ephemeral) =>
        kind == ResponseState.DeferredUpdate
            ? new InteractionResponse(InteractionCallbackType.DeferredUpdateMessage)
            : new InteractionResponse(
                InteractionCallbackType.DeferredChannelMessageWithSource,
                ephemeral ? new MessagePayload { Flags = MessageFlags.Ephemeral } : null);

    /// <summary>Defers with the given kind if nothing was sent yet.</summary>
    /// <param name="kind">DeferredMessage or DeferredUpdate.</param>
    /// <param name="ephemeral">Ephemeral flag of a deferred message.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    protected async ValueTask<bool> TryDeferAsync(ResponseState kind, bool ephemeral, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (State != ResponseState.None)
            {
                return false;
            }

            await Responder.RespondAsync(Interaction, DeferralFor(kind, ephemeral), cancellationToken).ConfigureAwait(false);
            SetState(kind);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Defers with the given kind; a no-op when already acknowledged.</summary>
    /// <param name="kind">DeferredMessage or DeferredUpdate.</param>
    /// <param name="ephemeral">Ephemeral flag of a deferred message.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    protected async ValueTask DeferCoreAsync(ResponseState kind, bool ephemeral, CancellationToken cancellationToken) =>
        await TryDeferAsync(kind, ephemeral, cancellationToken).ConfigureAwait(false);

    /// <summary>Sends a raw initial response under the context's lock; fails if one was already sent.</summary>
    /// <param name="response">The response.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    protected async ValueTask RespondOnceAsync(InteractionResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (State != ResponseState.None)
            {
                throw new InvalidOperationException($"The interaction was already answered ({State}).");
            }

            await Responder.RespondAsync(Interaction, response, cancellationToken).ConfigureAwait(false);
            SetState(ResponseState.Responded);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs an update of the component's message under the context's lock.</summary>
    /// <param name="message">The new message content.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    protected async ValueTask UpdateCoreAsync(MessagePayload message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Validate();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            switch (State)
            {
                case ResponseState.None:
                    await Responder.RespondAsync(Interaction, new InteractionResponse(InteractionCallbackType.UpdateMessage, message), cancellationToken).ConfigureAwait(false);
                    break;
                case ResponseState.DeferredUpdate:
                    await Responder.EditOriginalAsync(Interaction, message, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new InvalidOperationException($"The component's message can no longer be updated through the response ({State}); edit the message instead.");
            }

            SetState(ResponseState.Responded);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void SetState(ResponseState state) => Volatile.Write(ref _state, (int)state);

    private static MessagePayload WithEphemeral(MessagePayload message, bool ephemeral) =>
        ephemeral && (message.Flags & MessageFlags.Ephemeral) == 0
            ? message with { Flags = message.Flags | MessageFlags.Ephemeral }
            : message;
}
