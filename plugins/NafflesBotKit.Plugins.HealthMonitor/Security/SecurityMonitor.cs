using System.Globalization;
using NafflesBotKit.Events;
using NafflesBotKit.Interactions;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.HealthMonitor.Security;

/// <summary>Record types kept in the security history.</summary>
internal static class SecurityTypes
{
    public const string PermissionDenied = "permission_denied";
    public const string RateLimitViolation = "rate_limit_violation";
    public const string WebhookRejected = "webhook_rejected";
    public const string AdminAction = "admin_action";
    public const string CommandExecuted = "command_executed";

    // Signals (existing bot §1.10).
    public const string RapidCommands = "rapid_commands";
    public const string RepeatedPermissionDenials = "repeated_permission_denials";
    public const string NewAccountActivity = "new_account_activity";
    public const string BotDetection = "bot_detection";
    public const string MassJoins = "mass_joins";
    public const string CommandAbuse = "command_abuse";
    public const string WebhookAttack = "webhook_rejections";

    public static readonly IReadOnlySet<string> Signals = new HashSet<string>(StringComparer.Ordinal)
    {
        RapidCommands, RepeatedPermissionDenials, NewAccountActivity, BotDetection, MassJoins, CommandAbuse, WebhookAttack,
    };
}

/// <summary>
/// Keeps the security history (hourly documents in the store, same retention as health) and raises the existing bot's
/// signals through the alert dispatcher (de-duplicated). What it sees: <see cref="SecurityEvent"/> (permission denials,
/// rate-limit abuse) and <see cref="MemberJoined"/> from the host, <see cref="WebhookRejected"/> from the Webhooks
/// plugin, <see cref="AdminActionPerformed"/> from feature plugins, and <see cref="InteractionObserved"/> from the router —
/// every command, component and modal of every plugin, allowed or denied — as "activity" for rapid-command, bot-timing
/// and command-abuse detection.
/// </summary>
internal sealed class SecurityMonitor
{
    public const string Source = "security";

    private readonly SecuritySettings _settings;
    private readonly AlertDispatcher _alerts;
    private readonly TimeProvider _time;
    private readonly SlidingWindows _windows = new();

    public SecurityMonitor(SecuritySettings settings, AlertDispatcher alerts, IPluginStore store, HealthMonitorSettings health, TimeProvider time)
    {
        _settings = settings;
        _alerts = alerts;
        _time = time;
        History = new HourlyLog<SecurityRecord>(store, "security", HealthJsonContext.Default.ListSecurityRecord, r => r.At, health.Retention);
    }

    public HourlyLog<SecurityRecord> History { get; }

    public async ValueTask OnSecurityEventAsync(SecurityEvent e, CancellationToken cancellationToken)
    {
        var type = e.Kind == SecurityEventKind.PermissionDenied ? SecurityTypes.PermissionDenied : SecurityTypes.RateLimitViolation;
        await History.AppendAsync(new SecurityRecord(e.OccurredAt, type, e.Severity.ToString().ToLowerInvariant(), e.GuildId, e.UserId, e.Subject, e.Detail), cancellationToken).ConfigureAwait(false);
        if (e.Kind == SecurityEventKind.RateLimitAbuse)
        {
            await SignalAsync(SecurityTypes.RateLimitViolation, OpsAlertSeverity.Warning, e.GuildId, e.UserId, e.Subject,
                $"Rate limit {e.Subject} refused {e.Count} times within an hour.", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (e.UserId is { } user)
        {
            var key = $"denied|{e.GuildId}|{user}";
            var recent = _windows.Add(key, e.OccurredAt, _settings.PermissionDenialsWindow);
            if (recent.Count >= _settings.PermissionDenials)
            {
                _windows.Clear(key);
                await SignalAsync(SecurityTypes.RepeatedPermissionDenials, OpsAlertSeverity.Warning, e.GuildId, user, $"user {user}",
                    $"{recent.Count} permission denials within {Minutes(_settings.PermissionDenialsWindow)} (last: {e.Subject}).", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask OnMemberJoinedAsync(MemberJoined e, CancellationToken cancellationToken)
    {
        var user = e.User;
        var isNew = e.JoinedAt - user.CreatedAt < _settings.NewAccountAge;
        if (user.IsBot)
        {
            await SignalAsync(SecurityTypes.BotDetection, OpsAlertSeverity.Warning, e.GuildId, user.Id, $"user {user.Id}",
                $"Bot account {user.Username} joined.", cancellationToken).ConfigureAwait(false);
        }

        var joins = _windows.Add($"joins|{e.GuildId}", e.JoinedAt, _settings.MassJoinsWindow);
        var newJoins = isNew ? _windows.Add($"joins-new|{e.GuildId}", e.JoinedAt, _settings.MassJoinsWindow).Count : 0;
        if (joins.Count >= _settings.MassJoins)
        {
            _windows.Clear($"joins|{e.GuildId}");
            var high = newJoins > _settings.MassJoinsNewAccountsHigh;
            await SignalAsync(SecurityTypes.MassJoins, high ? OpsAlertSeverity.Critical : OpsAlertSeverity.Warning, e.GuildId, null, $"guild {e.GuildId}",
                $"{joins.Count} members joined within {Minutes(_settings.MassJoinsWindow)} ({newJoins} accounts younger than {_settings.NewAccountAge.TotalDays:0} days).", cancellationToken).ConfigureAwait(false);
        }

        if (isNew)
        {
            var recent = _windows.Add($"new-accounts|{e.GuildId}", e.JoinedAt, _settings.NewAccountsWindow);
            if (recent.Count >= _settings.NewAccounts)
            {
                _windows.Clear($"new-accounts|{e.GuildId}");
                await SignalAsync(SecurityTypes.NewAccountActivity, OpsAlertSeverity.Warning, e.GuildId, user.Id, $"guild {e.GuildId}",
                    $"{recent.Count} accounts younger than {_settings.NewAccountAge.TotalDays:0} days joined within {Minutes(_settings.NewAccountsWindow)} (latest {user.Username}).", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask OnWebhookRejectedAsync(WebhookRejected e, CancellationToken cancellationToken)
    {
        await History.AppendAsync(new SecurityRecord(e.OccurredAt, SecurityTypes.WebhookRejected, "medium", null, null, e.Path,
            $"{e.StatusCode} {e.Reason} from {e.RemoteAddress ?? "unknown"}"), cancellationToken).ConfigureAwait(false);
        var recent = _windows.Add("webhook-rejections", e.OccurredAt, _settings.WebhookRejectionsWindow);
        if (recent.Count >= _settings.WebhookRejections)
        {
            _windows.Clear("webhook-rejections");
            await SignalAsync(SecurityTypes.WebhookAttack, OpsAlertSeverity.Critical, null, null, "webhooks",
                $"{recent.Count} webhook deliveries rejected within {Minutes(_settings.WebhookRejectionsWindow)} (last: {e.Reason} from {e.RemoteAddress ?? "unknown"}).", cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask OnAdminActionAsync(AdminActionPerformed e, CancellationToken cancellationToken) =>
        History.AppendAsync(new SecurityRecord(e.OccurredAt, SecurityTypes.AdminAction, "low", e.GuildId, e.UserId, e.Action, e.Detail), cancellationToken);

    /// <summary>Every routed interaction (from the router's <see cref="InteractionObserved"/>) is activity.</summary>
    /// <remarks>
    /// Every kind counts towards rapid commands and bot-like timing; only slash commands count towards command abuse
    /// (pressing the same kind of button on several posts — Complete on five tasks — is ordinary use).
    /// </remarks>
    public ValueTask OnInteractionObservedAsync(InteractionObserved e, CancellationToken cancellationToken) =>
        ObserveCommandAsync(e.GuildId, new DiscordUser(e.UserId, string.Empty), e.Name, e.OccurredAt, record: false, cancellationToken, countAbuse: e.Kind == "command");

    /// <summary>Keeps a command of this plugin in the audit history (activity itself is observed at the router).</summary>
    public ValueTask RecordCommandAsync(ulong? guildId, DiscordUser user, string command, DateTimeOffset at, CancellationToken cancellationToken) =>
        History.AppendAsync(new SecurityRecord(at, SecurityTypes.CommandExecuted, "low", guildId, user.Id, command, "executed"), cancellationToken);

    /// <summary>
    /// Activity of one user: rapid commands, the same command repeated (abuse), and machine-regular gaps (bot-like
    /// timing). Fed by the router with every interaction (<see cref="OnInteractionObservedAsync"/>).
    /// </summary>
    public async ValueTask ObserveCommandAsync(ulong? guildId, DiscordUser user, string command, DateTimeOffset at, bool record, CancellationToken cancellationToken, bool countAbuse = true)
    {
        if (record)
        {
            await History.AppendAsync(new SecurityRecord(at, SecurityTypes.CommandExecuted, "low", guildId, user.Id, command, "executed"), cancellationToken).ConfigureAwait(false);
        }

        var all = _windows.Add($"cmd|{user.Id}", at, TimeSpan.FromMinutes(10), keep: Math.Max(_settings.RapidCommands, _settings.BotTimingGaps + 1) * 2);
        var rapid = all.Count(t => at - t <= _settings.RapidCommandsWindow);
        if (rapid >= _settings.RapidCommands)
        {
            _windows.Clear($"cmd|{user.Id}");
            await SignalAsync(SecurityTypes.RapidCommands, OpsAlertSeverity.Warning, guildId, user.Id, $"user {user.Id}",
                $"{rapid} commands within {_settings.RapidCommandsWindow.TotalSeconds:0} s.", cancellationToken).ConfigureAwait(false);
        }
        else if (IsBotLike(all))
        {
            _windows.Clear($"cmd|{user.Id}");
            await SignalAsync(SecurityTypes.BotDetection, OpsAlertSeverity.Warning, guildId, user.Id, $"user {user.Id}",
                $"{_settings.BotTimingGaps} consecutive command gaps within ±{_settings.BotTimingTolerance.TotalMilliseconds:0} ms of each other (bot-like timing).", cancellationToken).ConfigureAwait(false);
        }

        if (!countAbuse)
        {
            return;
        }

        var same = _windows.Add($"same|{user.Id}|{command}", at, _settings.CommandAbuseWindow);
        if (same.Count >= _settings.CommandAbuse)
        {
            _windows.Clear($"same|{user.Id}|{command}");
            await SignalAsync(SecurityTypes.CommandAbuse, OpsAlertSeverity.Warning, guildId, user.Id, $"user {user.Id}",
                $"/{command} used {same.Count} times within {Minutes(_settings.CommandAbuseWindow)}.", cancellationToken).ConfigureAwait(false);
        }
    }

    private bool IsBotLike(IReadOnlyList<DateTimeOffset> times)
    {
        var needed = _settings.BotTimingGaps + 1;
        if (times.Count < needed)
        {
            return false;
        }

        var last = times.Skip(times.Count - needed).ToList();
        var gaps = last.Zip(last.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToList();
        var mean = gaps.Average();
        return mean < _settings.BotTimingMaxMean.TotalMilliseconds
            && gaps.All(g => Math.Abs(g - mean) <= _settings.BotTimingTolerance.TotalMilliseconds);
    }

    private async ValueTask SignalAsync(string type, OpsAlertSeverity severity, ulong? guildId, ulong? userId, string subject, string detail, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await History.AppendAsync(new SecurityRecord(now, type, severity switch
        {
            OpsAlertSeverity.Critical => "high",
            OpsAlertSeverity.Warning => "medium",
            _ => "low",
        }, guildId, userId, subject, detail), cancellationToken).ConfigureAwait(false);
        await _alerts.RaiseAsync(Source, type, severity, subject, "🛡️ Security: " + type.Replace('_', ' '), detail, guildId, cancellationToken).ConfigureAwait(false);
    }

    private static string Minutes(TimeSpan span) => span.TotalMinutes >= 1
        ? span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min"
        : span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s";
}

/// <summary>Bus subscriptions of the security monitor (discovered by scanning; they end when the plugin unloads).</summary>
internal sealed class SecurityEventSubscriber(SecurityMonitor monitor) :
    IEventHandler<SecurityEvent>,
    IEventHandler<MemberJoined>,
    IEventHandler<WebhookRejected>,
    IEventHandler<AdminActionPerformed>,
    IEventHandler<InteractionObserved>
{
    public ValueTask HandleAsync(InteractionObserved @event, CancellationToken cancellationToken) => monitor.OnInteractionObservedAsync(@event, cancellationToken);

    public ValueTask HandleAsync(SecurityEvent @event, CancellationToken cancellationToken) => monitor.OnSecurityEventAsync(@event, cancellationToken);

    public ValueTask HandleAsync(MemberJoined @event, CancellationToken cancellationToken) => monitor.OnMemberJoinedAsync(@event, cancellationToken);

    public ValueTask HandleAsync(WebhookRejected @event, CancellationToken cancellationToken) => monitor.OnWebhookRejectedAsync(@event, cancellationToken);

    public ValueTask HandleAsync(AdminActionPerformed @event, CancellationToken cancellationToken) => monitor.OnAdminActionAsync(@event, cancellationToken);
}
