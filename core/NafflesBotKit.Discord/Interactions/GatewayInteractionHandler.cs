using Microsoft.Extensions.Logging;
using NafflesBotKit.Discord.Gateway;
using NafflesBotKit.Discord.Json;
using NafflesBotKit.Discord.Rest;

namespace NafflesBotKit.Discord.Interactions;

/// <summary>
/// INTERACTION_CREATE from the gateway: parsed into the SDK <see cref="NafflesBotKit.Interactions.Interaction"/> and
/// handed to the same dispatcher as HTTP interactions, answered over REST (gateway interactions are always answered
/// by callback, never over the socket).
/// </summary>
public sealed partial class GatewayInteractionHandler(IInteractionDispatcher dispatcher, RestInteractionResponder responder, ILogger<GatewayInteractionHandler> logger) : IGatewayInteractionHandler
{
    /// <inheritdoc />
    public async ValueTask HandleAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dispatch);
        NafflesBotKit.Interactions.Interaction interaction;
        try
        {
            interaction = InteractionParser.Parse(dispatch.Data.Span);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            LogUnparsable(logger, ex, dispatch.ShardId, dispatch.Sequence);
            return;
        }

        await dispatcher.DispatchAsync(interaction, responder, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Error, Message = "INTERACTION_CREATE on shard {ShardId} (seq {Sequence}) could not be parsed; it was dropped")]
    private static partial void LogUnparsable(ILogger logger, Exception exception, int shardId, long sequence);
}
