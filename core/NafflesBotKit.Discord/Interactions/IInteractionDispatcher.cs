using NafflesBotKit.Interactions;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Discord.Interactions;

/// <summary>
/// Where received interactions go (the host adapts the runtime's <c>InteractionRouter.DispatchAsync</c>; the Discord
/// layer does not reference the runtime).
/// </summary>
public interface IInteractionDispatcher
{
    /// <summary>Handles one interaction and answers it through <paramref name="responder"/>.</summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="responder">How to answer it.</param>
    /// <param name="cancellationToken">Host shutdown.</param>
    ValueTask DispatchAsync(Interaction interaction, IInteractionResponder responder, CancellationToken cancellationToken);
}

/// <summary>An <see cref="IInteractionDispatcher"/> over a delegate.</summary>
/// <param name="dispatch">The delegate, e.g. <c>(i, r, ct) =&gt; router.DispatchAsync(i, r, ct)</c>.</param>
public sealed class DelegateInteractionDispatcher(Func<Interaction, IInteractionResponder, CancellationToken, ValueTask> dispatch) : IInteractionDispatcher
{
    /// <inheritdoc />
    public ValueTask DispatchAsync(Interaction interaction, IInteractionResponder responder, CancellationToken cancellationToken) =>
        dispatch(interaction, responder, cancellationToken);
}
