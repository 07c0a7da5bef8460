using System.Text.Json.Nodes;

namespace NafflesBotKit.Testing.Discord;

/// <summary>
/// Delivers the simulator's interactions as Discord does to a bot without an Interactions Endpoint URL: an
/// <c>INTERACTION_CREATE</c> dispatch on the bot's gateway session; the bot answers through the REST callback route.
/// </summary>
/// <param name="gateway">The gateway emulator the bot is connected to.</param>
/// <param name="shardId">The shard the interaction's guild belongs to.</param>
public sealed class GatewayInteractionTransport(DiscordGatewayEmulator gateway, int shardId = 0) : IInteractionTransport
{
    /// <inheritdoc />
    public async Task<InteractionDeliveryResult> DeliverAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        await gateway.DispatchAsync(shardId, "INTERACTION_CREATE", payload).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new InteractionDeliveryResult(null, null, []);
    }
}
