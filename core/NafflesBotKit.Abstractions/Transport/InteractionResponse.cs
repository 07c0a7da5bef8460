using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;

namespace NafflesBotKit.Transport;

/// <summary>Interaction callback types (Discord API v10).</summary>
public enum InteractionCallbackType
{
    /// <summary>ACK a PING.</summary>
    Pong = 1,

    /// <summary>Respond with a message.</summary>
    ChannelMessageWithSource = 4,

    /// <summary>ACK now, edit the response later; the user sees a loading state.</summary>
    DeferredChannelMessageWithSource = 5,

    /// <summary>For components: ACK now, edit the component's message later.</summary>
    DeferredUpdateMessage = 6,

    /// <summary>For components: edit the message the component was on.</summary>
    UpdateMessage = 7,

    /// <summary>Autocomplete suggestions.</summary>
    ApplicationCommandAutocompleteResult = 8,

    /// <summary>Show a modal.</summary>
    Modal = 9,
}

/// <summary>An initial interaction response (the callback).</summary>
/// <param name="Type">Callback type.</param>
/// <param name="Message">Message data for types 4 and 7 (and the flags of type 5).</param>
/// <param name="Modal">Modal for type 9.</param>
/// <param name="Choices">Suggestions for type 8.</param>
public sealed record InteractionResponse(
    InteractionCallbackType Type,
    MessagePayload? Message = null,
    ModalPayload? Modal = null,
    IReadOnlyList<AutocompleteChoice>? Choices = null);

/// <summary>An autocomplete suggestion.</summary>
/// <param name="Name">Shown to the user (1-100 characters).</param>
/// <param name="Value">Sent back as the option value (string, long or double).</param>
public sealed record AutocompleteChoice(string Name, object Value);

/// <summary>
/// Sends interaction responses over a transport. Implemented by the Discord layer (REST callbacks, or the inline
/// HTTP response for HTTP interactions) and by test emulators; plugins use their handler's context instead.
/// </summary>
public interface IInteractionResponder
{
    /// <summary>Sends the initial response (exactly once per interaction).</summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="response">The callback.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask RespondAsync(Interaction interaction, InteractionResponse response, CancellationToken cancellationToken);

    /// <summary>Edits the original response (after a deferral or a message response).</summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="message">The new message content.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask EditOriginalAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken);

    /// <summary>Deletes the original response.</summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask DeleteOriginalAsync(Interaction interaction, CancellationToken cancellationToken);

    /// <summary>Sends a follow-up message and returns its id.</summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask<ulong> CreateFollowupAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken);

    /// <summary>Edits a follow-up message.</summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="messageId">The follow-up's id.</param>
    /// <param name="message">The new content.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask EditFollowupAsync(Interaction interaction, ulong messageId, MessagePayload message, CancellationToken cancellationToken);
}

/// <summary>
/// Implemented by a transport that may have to acknowledge an interaction on its own, such as an HTTP interactions
/// endpoint whose handler has not answered by Discord's deadline. Before a handler runs, the router tells it the
/// deferral that handler's context would make when slow (an ephemeral "thinking" message, or a deferred update of the
/// component's message), so a late answer lands where the handler meant it to instead of on a guessed target.
/// </summary>
public interface IInteractionDeferralHint
{
    /// <summary>The deferral to send if the transport has to acknowledge before the handler does.</summary>
    /// <param name="deferral">A type 5 (with its flags) or type 6 response.</param>
    void PreferDeferral(InteractionResponse deferral);
}
