using NafflesBotKit.Discord.Rest;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Discord.Interactions;

/// <summary>
/// The responder of one HTTP interaction: the first response becomes the HTTP response itself; everything after it
/// (edits, follow-ups) goes over REST once that HTTP response has been sent. A second initial response fails with
/// 40060 as Discord would. When the endpoint had to answer with a deferral itself (deadline), it uses the deferral the
/// router hinted for the handler, and a late response goes where the handler meant it: a message after a deferred
/// message edits that message; a message after a deferred update (which would otherwise overwrite the component's
/// message, often a public post) becomes a follow-up that later edits of the original follow; an update after a
/// deferred update edits the component's message.
/// </summary>
internal sealed class HttpInteractionResponder(RestInteractionResponder rest) : IInteractionResponder, IInteractionDeferralHint
{
    private readonly TaskCompletionSource<InteractionResponse> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private State _state;
    private InteractionResponse? _preferredDeferral;
    private InteractionCallbackType _endpointDeferral;
    private ulong? _originalAsFollowup;

    private enum State
    {
        Open,
        Answered,
        DeferredByEndpoint,
    }

    public Task<InteractionResponse> FirstResponse => _first.Task;

    /// <summary>The deferral the router hinted for the handler, if any.</summary>
    public InteractionResponse? PreferredDeferral
    {
        get
        {
            lock (_lock)
            {
                return _preferredDeferral;
            }
        }
    }

    /// <inheritdoc />
    public void PreferDeferral(InteractionResponse deferral)
    {
        ArgumentNullException.ThrowIfNull(deferral);
        if (deferral.Type is not (InteractionCallbackType.DeferredChannelMessageWithSource or InteractionCallbackType.DeferredUpdateMessage))
        {
            throw new ArgumentException($"Not a deferral: {deferral.Type}.", nameof(deferral));
        }

        lock (_lock)
        {
            _preferredDeferral = deferral;
        }
    }

    /// <summary>Claims the response for the endpoint's own deferral; false if the handler already answered.</summary>
    /// <param name="deferral">The deferral the endpoint is about to send (type 5 or 6).</param>
    public bool TryDeferByEndpoint(InteractionResponse deferral)
    {
        ArgumentNullException.ThrowIfNull(deferral);
        lock (_lock)
        {
            if (_state != State.Open)
            {
                return false;
            }

            _state = State.DeferredByEndpoint;
            _endpointDeferral = deferral.Type;
            return true;
        }
    }

    public void MarkSent() => _sent.TrySetResult();

    public void MarkFailed(Exception error) => _sent.TrySetException(error);

    public async ValueTask RespondAsync(Interaction interaction, InteractionResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        State state;
        lock (_lock)
        {
            state = _state;
            if (state == State.Open)
            {
                _state = State.Answered;
                _first.TrySetResult(response);
            }
        }

        switch (state)
        {
            case State.Open:
                await _sent.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                return;
            case State.DeferredByEndpoint when response.Type == InteractionCallbackType.ChannelMessageWithSource && response.Message is not null
                                                && _endpointDeferral == InteractionCallbackType.DeferredUpdateMessage:
                // After a deferred update, @original is the component's message: a reply must not overwrite it.
                await _sent.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                var followup = await rest.CreateFollowupAsync(interaction, response.Message, cancellationToken).ConfigureAwait(false);
                lock (_lock)
                {
                    _originalAsFollowup = followup;
                }

                return;
            case State.DeferredByEndpoint when response.Type is InteractionCallbackType.ChannelMessageWithSource or InteractionCallbackType.UpdateMessage && response.Message is not null:
                await _sent.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                await rest.EditOriginalAsync(interaction, response.Message, cancellationToken).ConfigureAwait(false);
                return;
            case State.DeferredByEndpoint when response.Type is InteractionCallbackType.DeferredChannelMessageWithSource or InteractionCallbackType.DeferredUpdateMessage:
                return; // already deferred
            default:
                throw new DiscordApiException(400, DiscordApiException.AlreadyAcknowledged, "Interaction has already been acknowledged.", "POST /interactions/{interaction_id}/{interaction_token}/callback");
        }
    }

    public async ValueTask EditOriginalAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken)
    {
        await WaitSentAsync(cancellationToken).ConfigureAwait(false);
        if (OriginalAsFollowup() is { } followup)
        {
            await rest.EditFollowupAsync(interaction, followup, message, cancellationToken).ConfigureAwait(false);
            return;
        }

        await rest.EditOriginalAsync(interaction, message, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteOriginalAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        await WaitSentAsync(cancellationToken).ConfigureAwait(false);
        if (OriginalAsFollowup() is { } followup)
        {
            await rest.DeleteFollowupAsync(interaction, followup, cancellationToken).ConfigureAwait(false);
            return;
        }

        await rest.DeleteOriginalAsync(interaction, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ulong> CreateFollowupAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken)
    {
        await WaitSentAsync(cancellationToken).ConfigureAwait(false);
        return await rest.CreateFollowupAsync(interaction, message, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask EditFollowupAsync(Interaction interaction, ulong messageId, MessagePayload message, CancellationToken cancellationToken)
    {
        await WaitSentAsync(cancellationToken).ConfigureAwait(false);
        await rest.EditFollowupAsync(interaction, messageId, message, cancellationToken).ConfigureAwait(false);
    }

    private ulong? OriginalAsFollowup()
    {
        lock (_lock)
        {
            return _originalAsFollowup;
        }
    }

    private Task WaitSentAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_state == State.Open)
            {
                // Nothing answered yet: Discord would reject this (10062/"unknown webhook").
                throw new DiscordApiException(404, DiscordApiException.UnknownInteraction, "Unknown interaction: respond or defer first.", "webhook");
            }
        }

        return _sent.Task.WaitAsync(cancellationToken);
    }
}
