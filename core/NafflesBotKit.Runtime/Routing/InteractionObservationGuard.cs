using NafflesBotKit.Events;
using NafflesBotKit.Interactions;

namespace NafflesBotKit.Runtime.Routing;

/// <summary>
/// Runs first among the guards and never denies: publishes <see cref="InteractionObserved"/> for every routed command,
/// component and modal, so activity monitors see all interactions (allowed or denied, any plugin). With no subscriber
/// the publish costs a dictionary lookup.
/// </summary>
/// <param name="bus">The event bus.</param>
/// <param name="time">The host clock.</param>
public sealed class InteractionObservationGuard(IEventBus bus, TimeProvider time) : IInteractionGuard
{
    /// <inheritdoc />
    public int Order => int.MinValue;

    /// <inheritdoc />
    public async ValueTask<GuardResult> CheckAsync(Interaction interaction, RouteInfo route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        ArgumentNullException.ThrowIfNull(route);
        var kind = interaction.Type switch
        {
            InteractionType.ApplicationCommand => "command",
            InteractionType.MessageComponent => "component",
            InteractionType.ModalSubmit => "modal",
            _ => null,
        };
        if (kind is not null)
        {
            await bus.PublishAsync(new InteractionObserved(interaction.GuildId, interaction.User.Id, kind, route.Name, route.PluginId, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }

        return GuardResult.Allow;
    }
}
