using System.Globalization;
using System.Text.Json.Nodes;

namespace NafflesBotKit.Testing.Discord;

/// <summary>
/// Delivers interactions as Discord does to a bot without an Interactions Endpoint URL: an <c>INTERACTION_CREATE</c>
/// dispatch on the connected shard that owns the guild (<see cref="DiscordGatewayEmulator.ShardFor"/>). The bot answers
/// through the REST callback endpoint of the <see cref="DiscordEmulator"/>, so delivery waits (up to
/// <see cref="ResponseWait"/>) until the emulator has seen the first callback, which makes both transports read the
/// same in tests: after the simulation call, <see cref="EmulatedInteraction.Response"/> is there.
/// </summary>
public sealed class GatewayInteractionTransport : IInteractionTransport
{
    private readonly DiscordGatewayEmulator _gateway;
    private readonly DiscordEmulator _discord;

    /// <summary>Creates the transport.</summary>
    /// <param name="gateway">The gateway the bot is connected to.</param>
    /// <param name="discord">The REST emulator the bot answers on (it registered the interaction).</param>
    public GatewayInteractionTransport(DiscordGatewayEmulator gateway, DiscordEmulator discord)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(discord);
        _gateway = gateway;
        _discord = discord;
    }

    /// <summary>How long delivery waits for the bot's first callback (Discord's deadline is 3 s; a little more here).</summary>
    public TimeSpan ResponseWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public async Task<InteractionDeliveryResult> DeliverAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ulong? guildId = payload["guild_id"] is JsonValue g ? ulong.Parse(g.GetValue<string>(), CultureInfo.InvariantCulture) : null;
        var shard = _gateway.ShardFor(guildId)
            ?? throw new InvalidOperationException("No gateway session is open: the bot must connect before interactions can be delivered over the gateway.");
        if (!_gateway.IsLive(shard))
        {
            throw new InvalidOperationException($"Shard {shard} (the shard of guild {guildId}) is not connected.");
        }

        var interaction = _discord.Interaction(ulong.Parse(payload["id"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        var sequence = await _gateway.DispatchAsync(shard, "INTERACTION_CREATE", payload).ConfigureAwait(false);
        var deadline = DateTimeOffset.UtcNow + ResponseWait;
        while (interaction.Callbacks.Count == 0 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }

        return new InteractionDeliveryResult(null, null, []) { GatewayShardId = shard, GatewaySequence = sequence };
    }
}
