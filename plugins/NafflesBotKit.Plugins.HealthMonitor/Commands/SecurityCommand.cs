using System.Globalization;
using System.Text;
using NafflesBotKit.Events;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Plugins.HealthMonitor.Health;
using NafflesBotKit.Plugins.HealthMonitor.Security;

namespace NafflesBotKit.Plugins.HealthMonitor.Commands;

/// <summary>Options of <c>/naffles-security</c>.</summary>
internal sealed class SecurityOptions
{
    [Option("action", "What to show")]
    [Choice("status", "status")]
    [Choice("report", "report")]
    [Choice("audit", "audit")]
    [Choice("alerts", "alerts")]
    public string Action { get; set; } = "status";

    [Option("timeframe", "Period to cover (default 24h)")]
    [Choice("1h", "1h")]
    [Choice("24h", "24h")]
    [Choice("7d", "7d")]
    [Choice("30d", "30d")]
    public string? Timeframe { get; set; }
}

/// <summary>
/// <c>/naffles-security action timeframe</c> for administrators: <c>status</c> (counts and signals now), <c>report</c>
/// (the timeframe by type and severity, risk level, top users), <c>audit</c> (admin actions, denials, commands),
/// <c>alerts</c> (ops alerts raised, health and security). Every use is itself recorded as an admin action.
/// </summary>
[Command("naffles-security", "Security status, report, audit trail and alerts", Ephemeral = true)]
[RequirePermission(Permissions.Administrator)]
internal sealed class SecurityCommand(SecurityMonitor security, AlertDispatcher alerts, HealthReporter health, TimeProvider time) : CommandHandler<SecurityOptions>
{
    private const int MaxLines = 15;

    public override async ValueTask HandleAsync(CommandContext context, SecurityOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var now = time.GetUtcNow();
        var timeframe = Timeframes.All.Contains(options.Timeframe ?? "") ? options.Timeframe! : "24h";
        var from = now - Timeframes.Parse(timeframe);
        await security.OnAdminActionAsync(new AdminActionPerformed(context.GuildId, context.User.Id, "security_" + options.Action, $"/naffles-security {options.Action} {timeframe}", now), cancellationToken).ConfigureAwait(false);

        var records = await security.History.ReadAsync(from, now, cancellationToken).ConfigureAwait(false);
        if (context.GuildId is { } guild)
        {
            // A guild's admins see their guild's records and the bot-wide ones (webhooks), not other guilds'.
            records = [.. records.Where(r => r.GuildId is null || r.GuildId == guild)];
        }

        var embed = options.Action switch
        {
            "report" => await ReportAsync(records, timeframe, cancellationToken).ConfigureAwait(false),
            "audit" => Audit(records, timeframe),
            "alerts" => await AlertsAsync(context.GuildId, from, now, timeframe, cancellationToken).ConfigureAwait(false),
            _ => Status(records, timeframe),
        };
        await context.ReplyAsync(embed.WithFooter(NafflesEmbeds.FooterText).WithTimestamp(now).Build(), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    internal static (string Level, int Color) Risk(IReadOnlyList<SecurityRecord> records)
    {
        var signals = records.Where(r => SecurityTypes.Signals.Contains(r.Type)).ToList();
        if (signals.Any(r => r.Severity == "high"))
        {
            return ("High", NafflesEmbeds.ErrorRed);
        }

        if (signals.Count > 0 || records.Count(r => r.Type == SecurityTypes.RateLimitViolation) > 0)
        {
            return ("Medium", NafflesEmbeds.WarningAmber);
        }

        return ("Low", NafflesEmbeds.SuccessGreen);
    }

    private static EmbedBuilder Status(List<SecurityRecord> records, string timeframe)
    {
        var (level, color) = Risk(records);
        return new EmbedBuilder()
            .WithTitle($"📈 Security Statistics - {timeframe}")
            .WithColor(color)
            .WithDescription($"Risk level: **{level}**")
            .AddField("🚫 Permission denials", Count(records, SecurityTypes.PermissionDenied), inline: true)
            .AddField("⏱️ Rate limit violations", Count(records, SecurityTypes.RateLimitViolation), inline: true)
            .AddField("📮 Rejected webhooks", Count(records, SecurityTypes.WebhookRejected), inline: true)
            .AddField("🛠️ Admin actions", Count(records, SecurityTypes.AdminAction), inline: true)
            .AddField("🚨 Signals", records.Count(r => SecurityTypes.Signals.Contains(r.Type)).ToString(CultureInfo.InvariantCulture), inline: true);
    }

    private async ValueTask<EmbedBuilder> ReportAsync(List<SecurityRecord> records, string timeframe, CancellationToken cancellationToken)
    {
        var (level, color) = Risk(records);
        var byType = records.GroupBy(r => r.Type).OrderByDescending(g => g.Count()).Select(g => $"{g.Key.Replace('_', ' ')}: **{g.Count()}**");
        var bySeverity = records.GroupBy(r => r.Severity).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: **{g.Count()}**");
        var topUsers = records.Where(r => r.UserId is not null && r.Type != SecurityTypes.AdminAction && r.Type != SecurityTypes.CommandExecuted)
            .GroupBy(r => r.UserId!.Value).OrderByDescending(g => g.Count()).Take(5)
            .Select(g => $"<@{g.Key}>: {g.Count()} event(s)");
        var report = await health.BuildAsync(timeframe, cancellationToken).ConfigureAwait(false);
        var services = report.Services.Select(s => $"**{s.Service}** {HealthTracker.Percent(s.Availability)} · {s.Incidents.Count} incident(s) · {s.Trend}");
        return new EmbedBuilder()
            .WithTitle($"🛡️ Security Report - {timeframe}")
            .WithColor(color)
            .WithDescription($"Risk level: **{level}** · {records.Count} event(s)")
            .AddField("By type", Lines(byType, "No events."))
            .AddField("By severity", Lines(bySeverity, "No events."), inline: true)
            .AddField("Most active users", Lines(topUsers, "None."), inline: true)
            .AddField("Service health", Lines(services, "No checks recorded."));
    }

    private static EmbedBuilder Audit(List<SecurityRecord> records, string timeframe)
    {
        var audit = records.Where(r => r.Type is SecurityTypes.AdminAction or SecurityTypes.PermissionDenied or SecurityTypes.CommandExecuted || SecurityTypes.Signals.Contains(r.Type))
            .OrderByDescending(r => r.At).Take(MaxLines)
            .Select(r => $"{NafflesEmbeds.RelativeTime(r.At)} {(r.UserId is { } u ? $"<@{u}>" : "system")} **{r.Type.Replace('_', ' ')}** {r.Subject}");
        return new EmbedBuilder()
            .WithTitle($"📋 Audit Logs - {timeframe}")
            .WithColor(NafflesEmbeds.NafflesPurple)
            .WithDescription(Lines(audit, "Nothing recorded in this period.", 4096));
    }

    private async ValueTask<EmbedBuilder> AlertsAsync(ulong? guildId, DateTimeOffset from, DateTimeOffset now, string timeframe, CancellationToken cancellationToken)
    {
        var raised = await alerts.History.ReadAsync(from, now, cancellationToken).ConfigureAwait(false);
        var lines = raised.Where(a => a.GuildId is null || a.GuildId == guildId).OrderByDescending(a => a.OccurredAt).Take(MaxLines)
            .Select(a => $"{NafflesEmbeds.RelativeTime(a.OccurredAt)} {Icon(a.Severity)} **{a.Title}** — {a.Detail}");
        return new EmbedBuilder()
            .WithTitle($"🚨 Alerts - {timeframe}")
            .WithColor(raised.Any(a => a.Severity == OpsAlertSeverity.Critical) ? NafflesEmbeds.ErrorRed : NafflesEmbeds.NafflesPurple)
            .WithDescription(Lines(lines, "No alerts in this period.", 4096));
    }

    private static string Icon(OpsAlertSeverity severity) => severity switch
    {
        OpsAlertSeverity.Critical => "🔴",
        OpsAlertSeverity.Warning => "🟠",
        _ => "🟢",
    };

    private static string Count(List<SecurityRecord> records, string type) =>
        records.Count(r => r.Type == type).ToString(CultureInfo.InvariantCulture);

    private static string Lines(IEnumerable<string> lines, string empty, int max = 1024)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            var clipped = line.Length > 300 ? line[..299] + "…" : line;
            if (text.Length + clipped.Length + 1 > max)
            {
                break;
            }

            text.Append(clipped).Append('\n');
        }

        return text.Length == 0 ? empty : text.ToString().TrimEnd();
    }
}
