using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Runtime.Plugins;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Runtime.Routing;

/// <summary>How an interaction ended.</summary>
public enum DispatchOutcome
{
    /// <summary>The handler ran to completion.</summary>
    Handled,

    /// <summary>A PING was answered.</summary>
    Pong,

    /// <summary>No handler matched; the user was told.</summary>
    Unknown,

    /// <summary>A guard denied it; the user was told.</summary>
    Denied,

    /// <summary>Its options or captures were invalid; the user was told.</summary>
    InvalidInput,

    /// <summary>The handler threw; it was logged and the user got an error embed.</summary>
    Failed,
}

/// <summary>
/// Routes interactions to plugin handlers: by command path or custom-id template, through the guards, into a fresh
/// DI scope of the owning plugin, with automatic deferral when the handler is slow and an error embed when it throws.
/// </summary>
public sealed partial class InteractionRouter
{
    private readonly RouteRegistry _routes;
    private readonly IInteractionGuard[] _guards;
    private readonly TimeProvider _time;
    private readonly ILogger<InteractionRouter> _logger;
    private readonly TimeSpan _autoDeferAfter;

    /// <summary>Creates the router.</summary>
    public InteractionRouter(RouteRegistry routes, IEnumerable<IInteractionGuard> guards, IOptions<InteractionRouterOptions> options, TimeProvider time, ILogger<InteractionRouter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _routes = routes;
        _guards = [.. guards.OrderBy(g => g.Order)];
        _time = time;
        _logger = logger;
        _autoDeferAfter = options.Value.AutoDeferAfter;
    }

    /// <summary>Handles one interaction end to end. Never throws for handler faults; cancellation aside.</summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="responder">How to answer it.</param>
    /// <param name="cancellationToken">Cancellation (host shutdown).</param>
    public ValueTask<DispatchOutcome> DispatchAsync(Interaction interaction, IInteractionResponder responder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        ArgumentNullException.ThrowIfNull(responder);
        return interaction.Type switch
        {
            InteractionType.Ping => PongAsync(interaction, responder, cancellationToken),
            InteractionType.ApplicationCommand => DispatchCommandAsync(interaction, responder, cancellationToken),
            InteractionType.ApplicationCommandAutocomplete => DispatchAutocompleteAsync(interaction, responder, cancellationToken),
            InteractionType.MessageComponent => DispatchTemplateAsync(interaction, responder, RouteKind.Component, cancellationToken),
            InteractionType.ModalSubmit => DispatchTemplateAsync(interaction, responder, RouteKind.Modal, cancellationToken),
            _ => UnknownAsync(interaction, responder, $"interaction type {(int)interaction.Type}", cancellationToken),
        };
    }

    /// <summary>The command path of a command interaction and its innermost options.</summary>
    /// <param name="data">Command data.</param>
    public static (string Path, IReadOnlyList<CommandOptionValue> Options) ResolvePath(CommandInteractionData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var options = data.Options;
        if (options.Count == 1 && options[0].Type == CommandOptionType.SubCommandGroup)
        {
            var group = options[0];
            var sub = group.Options is { Count: 1 } inner && inner[0].Type == CommandOptionType.SubCommand ? inner[0] : null;
            return sub is null
                ? ($"{data.Name} {group.Name}", [])
                : ($"{data.Name} {group.Name} {sub.Name}", sub.Options ?? []);
        }

        if (options.Count == 1 && options[0].Type == CommandOptionType.SubCommand)
        {
            return ($"{data.Name} {options[0].Name}", options[0].Options ?? []);
        }

        return (data.Name, options);
    }

    private static async ValueTask<DispatchOutcome> PongAsync(Interaction interaction, IInteractionResponder responder, CancellationToken cancellationToken)
    {
        await responder.RespondAsync(interaction, new InteractionResponse(InteractionCallbackType.Pong), cancellationToken).ConfigureAwait(false);
        return DispatchOutcome.Pong;
    }

    private async ValueTask<DispatchOutcome> DispatchCommandAsync(Interaction interaction, IInteractionResponder responder, CancellationToken cancellationToken)
    {
        if (interaction.Command is null)
        {
            return await UnknownAsync(interaction, responder, "command without data", cancellationToken).ConfigureAwait(false);
        }

        var (path, options) = ResolvePath(interaction.Command);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (!_routes.Current.TryGetCommand(path, out var route))
            {
                return await UnknownAsync(interaction, responder, "/" + path, cancellationToken).ConfigureAwait(false);
            }

            if (!route.Plugin.TryEnter())
            {
                continue; // the plugin is being swapped out: read the new table once more
            }

            try
            {
                var context = new CommandContext(interaction, responder, route.Info.PluginId, path) { DefaultEphemeral = route.Attribute.Ephemeral };
                return await RunAsync(
                    route.Info,
                    route.Plugin,
                    context,
                    route.Attribute.AutoDefer,
                    () => route.Binder?.Bind(options, interaction.Command.Resolved),
                    (handler, bound, ct) => ((ICommandHandler)handler).ExecuteAsync(context, bound, ct),
                    cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                route.Plugin.Exit();
            }
        }

        return await UnavailableAsync(interaction, responder, "/" + path, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<DispatchOutcome> DispatchTemplateAsync(Interaction interaction, IInteractionResponder responder, RouteKind kind, CancellationToken cancellationToken)
    {
        var customId = kind == RouteKind.Component ? interaction.Component?.CustomId : interaction.Modal?.CustomId;
        if (string.IsNullOrEmpty(customId))
        {
            return await UnknownAsync(interaction, responder, $"{kind} without custom id", cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var table = _routes.Current;
            var route = kind == RouteKind.Component ? table.MatchComponent(customId, out var captures) : table.MatchModal(customId, out captures);
            if (route is null)
            {
                return await UnknownAsync(interaction, responder, $"{kind} '{customId}'", cancellationToken).ConfigureAwait(false);
            }

            if (!route.Plugin.TryEnter())
            {
                continue;
            }

            try
            {
                if (kind == RouteKind.Component)
                {
                    var context = new ComponentContext(interaction, responder, route.Info.PluginId, captures!) { DefaultEphemeral = route.Ephemeral, DeferMode = route.DeferMode };
                    return await RunAsync(
                        route.Info,
                        route.Plugin,
                        context,
                        route.DeferMode != ComponentDeferMode.None,
                        () => route.Binder?.Bind(captures!, null),
                        (handler, bound, ct) => ((IComponentHandler)handler).ExecuteAsync(context, bound, ct),
                        cancellationToken).ConfigureAwait(false);
                }

                var modalContext = new ModalContext(interaction, responder, route.Info.PluginId, captures!) { DefaultEphemeral = route.Ephemeral };
                return await RunAsync(
                    route.Info,
                    route.Plugin,
                    modalContext,
                    true,
                    () => route.Binder!.Bind(captures!, interaction.Modal!.Fields),
                    (handler, bound, ct) => ((IModalHandler)handler).ExecuteAsync(modalContext, bound!, ct),
                    cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                route.Plugin.Exit();
            }
        }

        return await UnavailableAsync(interaction, responder, customId, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<DispatchOutcome> DispatchAutocompleteAsync(Interaction interaction, IInteractionResponder responder, CancellationToken cancellationToken)
    {
        IReadOnlyList<AutocompleteChoice> choices = [];
        var outcome = DispatchOutcome.Unknown;
        if (interaction.Command is not null)
        {
            var (path, options) = ResolvePath(interaction.Command);
            if (_routes.Current.TryGetCommand(path, out var route) && route.Plugin.TryEnter())
            {
                try
                {
                    var focused = options.FirstOrDefault(o => o.Focused);
                    var provider = route.Plugin.Provider;
                    if (focused is not null && provider is not null)
                    {
                        var scope = provider.CreateAsyncScope();
                        await using (scope.ConfigureAwait(false))
                        {
                            if (scope.ServiceProvider.GetRequiredService(route.Info.HandlerType) is IAutocompleteHandler handler)
                            {
                                var context = new AutocompleteContext(
                                    interaction,
                                    route.Info.PluginId,
                                    path,
                                    focused.Name,
                                    Convert.ToString(focused.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
                                    options.ToDictionary(o => o.Name, o => o.Value, StringComparer.Ordinal));
                                choices = [.. (await handler.AutocompleteAsync(context, cancellationToken).ConfigureAwait(false)).Take(25)];
                                outcome = DispatchOutcome.Handled;
                            }
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    LogHandlerFailed(_logger, ex, interaction.Id, route.Info.PluginId, route.Info.Name);
                    outcome = DispatchOutcome.Failed;
                }
                finally
                {
                    route.Plugin.Exit();
                }
            }
        }

        // Autocomplete can only be answered with choices; an empty list is the graceful failure.
        await responder.RespondAsync(interaction, new InteractionResponse(InteractionCallbackType.ApplicationCommandAutocompleteResult, Choices: choices), cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    private async ValueTask<DispatchOutcome> RunAsync(
        RouteInfo route,
        LoadedPlugin plugin,
        InteractionContext context,
        bool autoDefer,
        Func<object?> bind,
        Func<object, object?, CancellationToken, ValueTask> execute,
        CancellationToken cancellationToken)
    {
        var interaction = context.Interaction;
        context.HintDeferral();
        try
        {
            object? bound;
            try
            {
                bound = bind();
            }
            catch (BindingException ex)
            {
                LogInvalidInput(_logger, interaction.Id, route.PluginId, route.Name, ex.Message);
                await ReplyErrorAsync(context, "Invalid input", ex.Message, [], cancellationToken).ConfigureAwait(false);
                return DispatchOutcome.InvalidInput;
            }

            foreach (var guard in _guards)
            {
                var verdict = await guard.CheckAsync(interaction, route, cancellationToken).ConfigureAwait(false);
                if (!verdict.Allowed)
                {
                    LogDenied(_logger, interaction.Id, route.PluginId, route.Name, guard.GetType().Name, verdict.Reason);
                    if (verdict.Denial is not null)
                    {
                        await context.ReplyAsync(verdict.Denial, ephemeral: true, cancellationToken).ConfigureAwait(false);
                    }

                    return DispatchOutcome.Denied;
                }
            }

            var provider = plugin.Provider ?? throw new InvalidOperationException($"plugin '{route.PluginId}' has no services (unloaded)");
            var scope = provider.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var handler = scope.ServiceProvider.GetRequiredService(route.HandlerType);
                var running = execute(handler, bound, cancellationToken);
                if (!running.IsCompleted && autoDefer)
                {
                    await AwaitWithAutoDeferAsync(running.AsTask(), context, route, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await running.ConfigureAwait(false);
                }
            }

            await FinishAsync(context, route, cancellationToken).ConfigureAwait(false);
            return DispatchOutcome.Handled;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogHandlerFailed(_logger, ex, interaction.Id, route.PluginId, route.Name);
            await ReplyErrorAsync(
                context,
                "Something went wrong",
                "An unexpected error occurred while processing your request.",
                ["Try again in a moment", "If this keeps happening, contact the server administrators"],
                cancellationToken).ConfigureAwait(false);
            return DispatchOutcome.Failed;
        }
    }

    private async Task AwaitWithAutoDeferAsync(Task running, InteractionContext context, RouteInfo route, CancellationToken cancellationToken)
    {
        using var stopTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var budget = Task.Delay(_autoDeferAfter, _time, stopTimer.Token);
        var first = await Task.WhenAny(running, budget).ConfigureAwait(false);
        if (first == budget && !budget.IsCanceled && context.State == ResponseState.None)
        {
            if (await context.TryAutoDeferAsync(cancellationToken).ConfigureAwait(false))
            {
                LogAutoDeferred(_logger, context.Interaction.Id, route.PluginId, route.Name, _autoDeferAfter);
            }
        }

        await stopTimer.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(false);
    }

    private async ValueTask FinishAsync(InteractionContext context, RouteInfo route, CancellationToken cancellationToken)
    {
        switch (context.State)
        {
            case ResponseState.None:
                LogNoReply(_logger, context.Interaction.Id, route.PluginId, route.Name);
                await context.ReplyAsync(MessagePayload.FromText("✅ Done."), ephemeral: true, cancellationToken).ConfigureAwait(false);
                break;
            case ResponseState.DeferredMessage:
                LogNoReply(_logger, context.Interaction.Id, route.PluginId, route.Name);
                await context.ReplyAsync(MessagePayload.FromText("✅ Done."), cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            default:
                break; // answered, or a deferred update that needs nothing more
        }
    }

    private async ValueTask<DispatchOutcome> UnknownAsync(Interaction interaction, IInteractionResponder responder, string what, CancellationToken cancellationToken)
    {
        LogUnknown(_logger, interaction.Id, what);
        var context = new RawContext(interaction, responder);
        var isComponent = interaction.Type is InteractionType.MessageComponent or InteractionType.ModalSubmit;
        await ReplyErrorAsync(
            context,
            isComponent ? "This button is no longer active" : "Unknown command",
            isComponent ? "Nothing handles this action any more." : "Unknown command. Please try again.",
            isComponent ? ["The feature may have been disabled or removed on this server"] : ["Use /naffles-help to see the available commands"],
            cancellationToken).ConfigureAwait(false);
        return DispatchOutcome.Unknown;
    }

    private async ValueTask<DispatchOutcome> UnavailableAsync(Interaction interaction, IInteractionResponder responder, string what, CancellationToken cancellationToken)
    {
        LogUnknown(_logger, interaction.Id, what);
        await ReplyErrorAsync(new RawContext(interaction, responder), "Temporarily unavailable", "This feature is being updated. Please try again in a few seconds.", [], cancellationToken).ConfigureAwait(false);
        return DispatchOutcome.Unknown;
    }

    private async ValueTask ReplyErrorAsync(InteractionContext context, string title, string description, IReadOnlyList<string> suggestions, CancellationToken cancellationToken)
    {
        try
        {
            await context.ReplyAsync(MessagePayload.FromEmbed(NafflesEmbeds.Error(title, description, suggestions)), ephemeral: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogErrorReplyFailed(_logger, ex, context.Interaction.Id);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Handler failed for interaction {InteractionId} in plugin {PluginId} ({Route})")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, ulong interactionId, string pluginId, string route);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "No handler for interaction {InteractionId}: {What}")]
    private static partial void LogUnknown(ILogger logger, ulong interactionId, string what);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Interaction {InteractionId} auto-deferred: plugin {PluginId} ({Route}) had not answered after {Budget}")]
    private static partial void LogAutoDeferred(ILogger logger, ulong interactionId, string pluginId, string route, TimeSpan budget);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Interaction {InteractionId} for {PluginId} ({Route}) denied by {Guard}: {Reason}")]
    private static partial void LogDenied(ILogger logger, ulong interactionId, string pluginId, string route, string guard, string? reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Interaction {InteractionId} for {PluginId} ({Route}) had invalid input: {Problem}")]
    private static partial void LogInvalidInput(ILogger logger, ulong interactionId, string pluginId, string route, string problem);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Handler for interaction {InteractionId} in plugin {PluginId} ({Route}) finished without replying; sent a generic acknowledgement")]
    private static partial void LogNoReply(ILogger logger, ulong interactionId, string pluginId, string route);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Could not send the error reply for interaction {InteractionId}")]
    private static partial void LogErrorReplyFailed(ILogger logger, Exception exception, ulong interactionId);

    private sealed class RawContext(Interaction interaction, IInteractionResponder responder) : InteractionContext(interaction, responder, "host");
}
