using Microsoft.Extensions.Logging;
using NafflesBotKit.Discord;
using NafflesBotKit.Events;
using NafflesBotKit.Messages;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.HealthMonitor;

/// <summary>Where alerts go. The default publishes <see cref="OpsAlert"/> on the bus, logs it and posts it to the ops channel.</summary>
internal interface IOpsAlertSink
{
    ValueTask SendAsync(OpsAlert alert, CancellationToken cancellationToken);
}

/// <summary>
/// Logs every alert, publishes it on the bus and, when an ops channel is configured and the host gives plugins Discord
/// (<see cref="IDiscordClient"/>), posts it there as an embed. A failed post is logged, never thrown: alerting must not
/// break the check or the command that raised it.
/// </summary>
internal sealed partial class EventBusAlertSink(IEventBus bus, ILogger<EventBusAlertSink> logger, IDiscordClient? discord = null) : IOpsAlertSink
{
    public async ValueTask SendAsync(OpsAlert alert, CancellationToken cancellationToken)
    {
        LogAlert(logger, alert.Severity, alert.Source, alert.Kind, alert.Subject, alert.Title, alert.Detail);
        await bus.PublishAsync(alert, cancellationToken).ConfigureAwait(false);
        if (alert.ChannelId is not { } channel || discord is null)
        {
            return;
        }

        try
        {
            await discord.SendMessageAsync(channel, MessagePayload.FromEmbed(ToEmbed(alert)), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPostFailed(logger, ex, alert.Source, alert.Kind, alert.Subject, channel);
        }
    }

    /// <summary>The embed posted to the ops channel: colour by severity, what, where, when.</summary>
    internal static Embed ToEmbed(OpsAlert alert)
    {
        var color = alert.Kind == "recovered" ? 0x57F287 : alert.Severity switch
        {
            OpsAlertSeverity.Critical => 0xED4245,
            OpsAlertSeverity.Warning => 0xFEE75C,
            _ => 0x5865F2,
        };
        var builder = new EmbedBuilder()
            .WithTitle(DiscordLimits.Truncate(alert.Title, DiscordLimits.EmbedTitleLength))
            .WithDescription(DiscordLimits.Truncate(alert.Detail, DiscordLimits.EmbedDescriptionLength))
            .WithColor(color)
            .AddField("Severity", alert.Severity.ToString(), inline: true)
            .AddField("Source", alert.Source + " / " + alert.Kind, inline: true)
            .AddField("Subject", DiscordLimits.Truncate(alert.Subject, DiscordLimits.EmbedFieldValueLength), inline: true)
            .WithTimestamp(alert.OccurredAt)
            .WithFooter("Naffles Health Monitor");
        if (alert.GuildId is { } guild)
        {
            builder.AddField("Server", guild.ToString(System.Globalization.CultureInfo.InvariantCulture), inline: true);
        }

        return builder.Build();
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Ops alert ({Severity}) {Source}/{Kind} for {Subject}: {Title}. {Detail}")]
    private static partial void LogAlert(ILogger logger, OpsAlertSeverity severity, string source, string kind, string subject, string title, string detail);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Error, Message = "Posting the ops alert {Source}/{Kind} for {Subject} to channel {ChannelId} failed")]
    private static partial void LogPostFailed(ILogger logger, Exception exception, string source, string kind, string subject, ulong channelId);
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
