using Microsoft.Extensions.Logging;
using NafflesBotKit.Events;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.HealthMonitor;

/// <summary>Where alerts go. The default publishes <see cref="OpsAlert"/> on the bus (the Discord layer posts it to the ops channel) and logs it.</summary>
internal interface IOpsAlertSink
{
    ValueTask SendAsync(OpsAlert alert, CancellationToken cancellationToken);
}

/// <summary>Publishes alerts on the bus and logs them.</summary>
internal sealed partial class EventBusAlertSink(IEventBus bus, ILogger<EventBusAlertSink> logger) : IOpsAlertSink
{
    public async ValueTask SendAsync(OpsAlert alert, CancellationToken cancellationToken)
    {
        LogAlert(logger, alert.Severity, alert.Source, alert.Kind, alert.Subject, alert.Title, alert.Detail);
        await bus.PublishAsync(alert, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Ops alert ({Severity}) {Source}/{Kind} for {Subject}: {Title}. {Detail}")]
    private static partial void LogAlert(ILogger logger, OpsAlertSeverity severity, string source, string kind, string subject, string title, string detail);
}

/// <summary>
/// De-duplicates alerts: the same (source, kind, subject) goes out at most once per cooldown. Every alert sent is kept
/// in the store for <c>/naffles-security alerts</c>. The cooldown state is in memory (a restart may repeat one alert).
/// </summary>
internal sealed class AlertDispatcher
{
    private readonly IOpsAlertSink _sink;
    private readonly TimeProvider _time;
    private readonly HealthMonitorSettings _settings;
    private readonly Dictionary<string, DateTimeOffset> _lastSent = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public AlertDispatcher(IOpsAlertSink sink, IPluginStore store, TimeProvider time, HealthMonitorSettings settings)
    {
        _sink = sink;
        _time = time;
        _settings = settings;
        History = new HourlyLog<OpsAlert>(store, "alerts", HealthJsonContext.Default.ListOpsAlert, a => a.OccurredAt, settings.Retention);
    }

    public HourlyLog<OpsAlert> History { get; }

    /// <summary>Sends the alert unless the same one was sent within the cooldown; true when sent.</summary>
    public async ValueTask<bool> RaiseAsync(string source, string kind, OpsAlertSeverity severity, string subject, string title, string detail, ulong? guildId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var key = source + "|" + kind + "|" + subject;
        lock (_gate)
        {
            if (_lastSent.TryGetValue(key, out var last) && now - last < _settings.AlertCooldown)
            {
                return false;
            }

            _lastSent[key] = now;
            if (_lastSent.Count > 10_000)
            {
                foreach (var old in _lastSent.Where(p => now - p.Value >= _settings.AlertCooldown).Select(p => p.Key).ToList())
                {
                    _lastSent.Remove(old);
                }
            }
        }

        var alert = new OpsAlert(source, kind, severity, subject, title, detail, now, guildId, _settings.OpsChannelId);
        await _sink.SendAsync(alert, cancellationToken).ConfigureAwait(false);
        await History.AppendAsync(alert, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Forgets the cooldown of an alert (after a recovery the next outage alerts at once).</summary>
    public void Reset(string source, string kind, string subject)
    {
        lock (_gate)
        {
            _lastSent.Remove(source + "|" + kind + "|" + subject);
        }
    }
}
