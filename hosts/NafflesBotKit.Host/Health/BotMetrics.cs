using System.Diagnostics;
using System.Diagnostics.Metrics;
using NafflesBotKit.Interactions;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Services;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Host.Health;

/// <summary>
/// The host's instruments on the <c>NafflesBotKit</c> meter (exported at <c>/metrics</c>): interactions by
/// plugin/command/outcome with a latency histogram, and cache lookups by kind and result. Plugins add their own
/// instruments to a meter of the same name (the Webhooks plugin counts deliveries).
/// </summary>
internal sealed class BotMetrics
{
    public const string MeterName = "NafflesBotKit";

    private readonly Counter<long> _interactions;
    private readonly Histogram<double> _interactionDuration;
    private readonly Counter<long> _cacheLookups;

    public BotMetrics(IMeterFactory meters, IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _interactions = meter.CreateCounter<long>("nafflesbotkit.interactions", "{interaction}", "Interactions handled, by plugin, command and outcome.");
        _interactionDuration = meter.CreateHistogram<double>("nafflesbotkit.interaction.duration", "ms", "Time from receiving an interaction to the router finishing with it.");
        _cacheLookups = meter.CreateCounter<long>("nafflesbotkit.cache.lookups", "{lookup}", "Cache reads by kind and result (hit, miss, stale).");
        if (services is not null)
        {
            // One series per shard this process runs (1), labelled with the process: summed over processes it is 1 per shard.
            // Resolved when collected, not here: the gateway depends (through the router) on these metrics.
            meter.CreateObservableGauge(
                "nafflesbotkit.gateway.shard.owned",
                () => services.GetService<NafflesBotKit.Discord.Gateway.IShardOwnership>() is not { } shards ? Enumerable.Empty<Measurement<int>>() : shards.OwnedShards.Select(id => new Measurement<int>(1, new KeyValuePair<string, object?>("shard", id), new KeyValuePair<string, object?>("process", shards.ProcessId))),
                "{shard}",
                "Gateway shards this process runs, by shard and process id.");
        }
    }

    public void RecordInteraction(string plugin, string command, DispatchOutcome outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "plugin", plugin }, { "command", command }, { "outcome", outcome.ToString().ToLowerInvariant() } };
        _interactions.Add(1, tags);
        _interactionDuration.Record(elapsed.TotalMilliseconds, tags);
    }

    public void RecordCacheLookup(CacheEntryKind kind, string result) =>
        _cacheLookups.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString().ToLowerInvariant()), new KeyValuePair<string, object?>("result", result));
}

/// <summary>
/// The router with metrics: the transport (gateway or HTTP interactions) should call this instead of
/// <see cref="InteractionRouter.DispatchAsync"/> directly. A wrapper, so the router itself is unchanged.
/// </summary>
internal sealed class MeteredInteractionRouter(InteractionRouter router, ICommandCatalog catalog, BotMetrics metrics, TimeProvider time)
{
    public async ValueTask<DispatchOutcome> DispatchAsync(Interaction interaction, IInteractionResponder responder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        var started = time.GetTimestamp();
        var outcome = await router.DispatchAsync(interaction, responder, cancellationToken).ConfigureAwait(false);
        var (plugin, command) = Describe(interaction);
        metrics.RecordInteraction(plugin, command, outcome, time.GetElapsedTime(started));
        return outcome;
    }

    private (string Plugin, string Command) Describe(Interaction interaction)
    {
        if (interaction.Command is { } data)
        {
            var path = InteractionRouter.ResolvePath(data).Path;
            var owner = catalog.Commands.FirstOrDefault(c => string.Equals(c.Name, data.Name, StringComparison.Ordinal))?.PluginId;
            return (string.IsNullOrEmpty(owner) ? "unknown" : owner, path);
        }

        // Custom ids carry user data; label them by kind only, to keep the series count bounded.
        return ("unknown", interaction.Type switch
        {
            InteractionType.MessageComponent => "component",
            InteractionType.ModalSubmit => "modal",
            InteractionType.Ping => "ping",
            _ => "other",
        });
    }
}
