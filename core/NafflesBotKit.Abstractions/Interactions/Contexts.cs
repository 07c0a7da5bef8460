using NafflesBotKit.Messages;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Interactions;

/// <summary>Context of a slash-command handler.</summary>
public sealed class CommandContext : InteractionContext
{
    /// <summary>Creates a command context.</summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="responder">The transport.</param>
    /// <param name="pluginId">The handling plugin.</param>
    /// <param name="commandPath">The invoked path, e.g. <c>naffles-admin plugins reload</c>.</param>
    internal CommandContext(Interaction interaction, IInteractionResponder responder, string pluginId, string commandPath)
        : base(interaction, responder, pluginId) => CommandPath = commandPath;

    /// <summary>The invoked command path (name, group, subcommand separated by spaces).</summary>
    public string CommandPath { get; }

    /// <summary>Objects referenced by the options.</summary>
    public ResolvedData? Resolved => Interaction.Command?.Resolved;
}

/// <summary>Context of a button or select-menu handler.</summary>
public sealed class ComponentContext : InteractionContext
{
    /// <summary>Creates a component context.</summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="responder">The transport.</param>
    /// <param name="pluginId">The handling plugin.</param>
    /// <param name="captures">Values captured by the custom-id template.</param>
    internal ComponentContext(Interaction interaction, IInteractionResponder responder, string pluginId, IReadOnlyDictionary<string, string> captures)
        : base(interaction, responder, pluginId) => Captures = captures;

    /// <summary>The component's custom id.</summary>
    public string CustomId => Interaction.Component?.CustomId ?? string.Empty;

    /// <summary>Values chosen in a select menu (empty for a button).</summary>
    public IReadOnlyList<string> Values => Interaction.Component?.Values ?? [];

    /// <summary>Values captured from the custom id by the template's placeholders.</summary>
    public IReadOnlyDictionary<string, string> Captures { get; }

    /// <summary>The message the component is on.</summary>
    public InteractionMessage? Message => Interaction.Message;

    /// <summary>How the router defers this handler when it is slow.</summary>
    public ComponentDeferMode DeferMode { get; internal init; } = ComponentDeferMode.EphemeralMessage;

    /// <summary>Replaces the content of the message the component is on (type 7, or an edit after a deferred update).</summary>
    /// <param name="message">The new content.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public ValueTask UpdateMessageAsync(MessagePayload message, CancellationToken cancellationToken = default) =>
        UpdateCoreAsync(message, cancellationToken);

    /// <summary>Acknowledges now; a later <see cref="UpdateMessageAsync"/> edits the component's message.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public ValueTask DeferUpdateAsync(CancellationToken cancellationToken = default) =>
        DeferCoreAsync(ResponseState.DeferredUpdate, false, cancellationToken);

    /// <inheritdoc />
    internal override ValueTask<bool> TryAutoDeferAsync(CancellationToken cancellationToken) => DeferMode switch
    {
        ComponentDeferMode.None => ValueTask.FromResult(false),
        ComponentDeferMode.UpdateMessage => TryDeferAsync(ResponseState.DeferredUpdate, false, cancellationToken),
        ComponentDeferMode.PublicMessage => TryDeferAsync(ResponseState.DeferredMessage, false, cancellationToken),
        _ => TryDeferAsync(ResponseState.DeferredMessage, true, cancellationToken),
    };

    /// <inheritdoc />
    internal override InteractionResponse? AutoDeferral => DeferMode switch
    {
        ComponentDeferMode.None => null,
        ComponentDeferMode.UpdateMessage => DeferralFor(ResponseState.DeferredUpdate, false),
        ComponentDeferMode.PublicMessage => DeferralFor(ResponseState.DeferredMessage, false),
        _ => DeferralFor(ResponseState.DeferredMessage, true),
    };
}

/// <summary>Context of a modal-submit handler.</summary>
public sealed class ModalContext : InteractionContext
{
    /// <summary>Creates a modal context.</summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="responder">The transport.</param>
    /// <param name="pluginId">The handling plugin.</param>
    /// <param name="captures">Values captured by the custom-id template.</param>
    internal ModalContext(Interaction interaction, IInteractionResponder responder, string pluginId, IReadOnlyDictionary<string, string> captures)
        : base(interaction, responder, pluginId) => Captures = captures;

    /// <summary>The modal's custom id.</summary>
    public string CustomId => Interaction.Modal?.CustomId ?? string.Empty;

    /// <summary>Submitted values by text-input custom id.</summary>
    public IReadOnlyDictionary<string, string> Fields => Interaction.Modal?.Fields ?? new Dictionary<string, string>();

    /// <summary>Values captured from the custom id by the template's placeholders.</summary>
    public IReadOnlyDictionary<string, string> Captures { get; }
}

/// <summary>Context of an autocomplete request.</summary>
public sealed class AutocompleteContext
{
    /// <summary>Creates an autocomplete context.</summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="pluginId">The handling plugin.</param>
    /// <param name="commandPath">The command path.</param>
    /// <param name="focusedOption">The option being typed.</param>
    /// <param name="value">What the user typed so far.</param>
    /// <param name="options">All options filled so far, by name.</param>
    internal AutocompleteContext(Interaction interaction, string pluginId, string commandPath, string focusedOption, string value, IReadOnlyDictionary<string, object?> options)
    {
        Interaction = interaction;
        PluginId = pluginId;
        CommandPath = commandPath;
        FocusedOption = focusedOption;
        Value = value;
        Options = options;
    }

    /// <summary>The raw interaction.</summary>
    public Interaction Interaction { get; }

    /// <summary>The handling plugin.</summary>
    public string PluginId { get; }

    /// <summary>The command path.</summary>
    public string CommandPath { get; }

    /// <summary>Name of the option being typed.</summary>
    public string FocusedOption { get; }

    /// <summary>What the user typed so far.</summary>
    public string Value { get; }

    /// <summary>All options filled so far.</summary>
    public IReadOnlyDictionary<string, object?> Options { get; }

    /// <summary>The invoking user.</summary>
    public DiscordUser User => Interaction.User;

    /// <summary>The guild.</summary>
    public ulong? GuildId => Interaction.GuildId;
}
