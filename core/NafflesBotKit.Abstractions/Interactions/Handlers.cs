using NafflesBotKit.Transport;

namespace NafflesBotKit.Interactions;

/// <summary>Marker of every handler type the host discovers by scanning a plugin assembly.</summary>
public interface IInteractionHandler
{
}

/// <summary>What the router calls on a command handler. Derive from <see cref="CommandHandler"/> or <see cref="CommandHandler{TOptions}"/>.</summary>
public interface ICommandHandler : IInteractionHandler
{
    /// <summary>The options class bound from the command's options, or null.</summary>
    Type? OptionsType { get; }

    /// <summary>Runs the handler with already-bound options.</summary>
    /// <param name="context">The context.</param>
    /// <param name="options">An instance of <see cref="OptionsType"/>, or null.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask ExecuteAsync(CommandContext context, object? options, CancellationToken cancellationToken);
}

/// <summary>A slash-command handler without options.</summary>
public abstract class CommandHandler : ICommandHandler
{
    Type? ICommandHandler.OptionsType => null;

    /// <summary>Handles the command.</summary>
    /// <param name="context">The context.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public abstract ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken);

    ValueTask ICommandHandler.ExecuteAsync(CommandContext context, object? options, CancellationToken cancellationToken) =>
        HandleAsync(context, cancellationToken);
}

/// <summary>A slash-command handler whose options are bound to a <typeparamref name="TOptions"/> instance.</summary>
/// <typeparam name="TOptions">A class with a parameterless constructor and <see cref="OptionAttribute"/> properties.</typeparam>
public abstract class CommandHandler<TOptions> : ICommandHandler
    where TOptions : class
{
    Type? ICommandHandler.OptionsType => typeof(TOptions);

    /// <summary>Handles the command.</summary>
    /// <param name="context">The context.</param>
    /// <param name="options">The bound options.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public abstract ValueTask HandleAsync(CommandContext context, TOptions options, CancellationToken cancellationToken);

    ValueTask ICommandHandler.ExecuteAsync(CommandContext context, object? options, CancellationToken cancellationToken) =>
        HandleAsync(context, (TOptions)options!, cancellationToken);
}

/// <summary>Implemented by a command handler that has options with <see cref="OptionAttribute.Autocomplete"/>.</summary>
public interface IAutocompleteHandler
{
    /// <summary>Returns up to 25 suggestions for the focused option. Must answer within Discord's 3 seconds.</summary>
    /// <param name="context">The request.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask<IReadOnlyList<AutocompleteChoice>> AutocompleteAsync(AutocompleteContext context, CancellationToken cancellationToken);
}

/// <summary>What the router calls on a component handler. Derive from <see cref="ComponentHandler"/> or <see cref="ComponentHandler{TArgs}"/>.</summary>
public interface IComponentHandler : IInteractionHandler
{
    /// <summary>The class custom-id captures are bound to, or null.</summary>
    Type? ArgumentsType { get; }

    /// <summary>Runs the handler with already-bound arguments.</summary>
    /// <param name="context">The context.</param>
    /// <param name="arguments">An instance of <see cref="ArgumentsType"/>, or null.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask ExecuteAsync(ComponentContext context, object? arguments, CancellationToken cancellationToken);
}

/// <summary>A button or select-menu handler; captures are in <see cref="ComponentContext.Captures"/>.</summary>
public abstract class ComponentHandler : IComponentHandler
{
    Type? IComponentHandler.ArgumentsType => null;

    /// <summary>Handles the component interaction.</summary>
    /// <param name="context">The context.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public abstract ValueTask HandleAsync(ComponentContext context, CancellationToken cancellationToken);

    ValueTask IComponentHandler.ExecuteAsync(ComponentContext context, object? arguments, CancellationToken cancellationToken) =>
        HandleAsync(context, cancellationToken);
}

/// <summary>
/// A button or select-menu handler whose custom-id captures are bound to the same-named properties of
/// <typeparamref name="TArgs"/> (string, integers, ulong, bool, Guid or enums; names compared ignoring case).
/// </summary>
/// <typeparam name="TArgs">A class with a parameterless constructor.</typeparam>
public abstract class ComponentHandler<TArgs> : IComponentHandler
    where TArgs : class
{
    Type? IComponentHandler.ArgumentsType => typeof(TArgs);

    /// <summary>Handles the component interaction.</summary>
    /// <param name="context">The context.</param>
    /// <param name="arguments">Captured arguments.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public abstract ValueTask HandleAsync(ComponentContext context, TArgs arguments, CancellationToken cancellationToken);

    ValueTask IComponentHandler.ExecuteAsync(ComponentContext context, object? arguments, CancellationToken cancellationToken) =>
        HandleAsync(context, (TArgs)arguments!, cancellationToken);
}

/// <summary>What the router calls on a modal handler. Derive from <see cref="ModalHandler{TModal}"/>.</summary>
public interface IModalHandler : IInteractionHandler
{
    /// <summary>The modal class.</summary>
    Type ModalType { get; }

    /// <summary>Runs the handler with the bound modal.</summary>
    /// <param name="context">The context.</param>
    /// <param name="modal">An instance of <see cref="ModalType"/>.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask ExecuteAsync(ModalContext context, object modal, CancellationToken cancellationToken);
}

/// <summary>
/// A modal-submit handler. <typeparamref name="TModal"/>'s <see cref="ModalInputAttribute"/> properties receive the
/// submitted text inputs (converted to the property type); its other public settable properties receive the
/// custom-id captures of the same name. Build the modal to show with <see cref="Modals.Build{TModal}"/>.
/// </summary>
/// <typeparam name="TModal">A class with a parameterless constructor.</typeparam>
public abstract class ModalHandler<TModal> : IModalHandler
    where TModal : class
{
    Type IModalHandler.ModalType => typeof(TModal);

    /// <summary>Handles the submission.</summary>
    /// <param name="context">The context.</param>
    /// <param name="modal">The bound submission.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public abstract ValueTask HandleAsync(ModalContext context, TModal modal, CancellationToken cancellationToken);

    ValueTask IModalHandler.ExecuteAsync(ModalContext context, object modal, CancellationToken cancellationToken) =>
        HandleAsync(context, (TModal)modal, cancellationToken);
}
