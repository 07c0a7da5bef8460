using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;

namespace NafflesBotKit.Runtime.Routing;

/// <summary>
/// A check the router runs after routing and before the handler (permissions, rate limits). Guards run in
/// <see cref="Order"/>; the first denial is sent to the user as an ephemeral reply and the handler does not run.
/// </summary>
public interface IInteractionGuard
{
    /// <summary>Lower runs first (permissions 100, rate limits 200).</summary>
    int Order { get; }

    /// <summary>Decides whether the interaction may reach its handler.</summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="route">The handler it is routed to.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask<GuardResult> CheckAsync(Interaction interaction, RouteInfo route, CancellationToken cancellationToken);
}

/// <summary>The outcome of a guard.</summary>
/// <param name="Allowed">Whether the handler may run.</param>
/// <param name="Denial">The ephemeral reply when denied.</param>
/// <param name="Reason">Short machine-readable reason (for metrics and security events).</param>
public readonly record struct GuardResult(bool Allowed, MessagePayload? Denial, string? Reason)
{
    /// <summary>Let it through.</summary>
    public static GuardResult Allow { get; } = new(true, null, null);

    /// <summary>Stop it and tell the user why.</summary>
    /// <param name="denial">The ephemeral reply.</param>
    /// <param name="reason">Short reason.</param>
    public static GuardResult Deny(MessagePayload denial, string reason) => new(false, denial, reason);
}
