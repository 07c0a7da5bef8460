using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Discord.Rest;

/// <summary>Answers interactions over REST: the callback endpoint, then the interaction webhook.</summary>
/// <param name="rest">The REST client.</param>
public sealed class RestInteractionResponder(DiscordRestClient rest) : IInteractionResponder
{
    /// <inheritdoc />
    public ValueTask RespondAsync(Interaction interaction, InteractionResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, response, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask EditOriginalAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, message, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DeleteOriginalAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return rest.DeleteOriginalResponseAsync(interaction.ApplicationId, interaction.Token, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<ulong> CreateFollowupAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return rest.CreateFollowupAsync(interaction.ApplicationId, interaction.Token, message, cancellationToken);
    }

    /// <summary>Deletes a follow-up message.</summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="messageId">The follow-up's id.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public ValueTask DeleteFollowupAsync(Interaction interaction, ulong messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return rest.DeleteFollowupAsync(interaction.ApplicationId, interaction.Token, messageId, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask EditFollowupAsync(Interaction interaction, ulong messageId, MessagePayload message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return rest.EditFollowupAsync(interaction.ApplicationId, interaction.Token, messageId, message, cancellationToken);
    }
}
