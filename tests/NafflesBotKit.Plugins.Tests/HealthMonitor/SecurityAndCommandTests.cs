using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Events;
using NafflesBotKit.Interactions;
using NafflesBotKit.Plugins.HealthMonitor;
using NafflesBotKit.Plugins.HealthMonitor.Security;
using NafflesBotKit.Plugins.Tests.Support;
using NafflesBotKit.Runtime.Routing;

namespace NafflesBotKit.Plugins.Tests.HealthMonitor;

/// <summary>The security monitor fed through the bus, and /naffles-status and /naffles-security through the real router.</summary>
public sealed class SecurityAndCommandTests : IAsyncLifetime
{
    private const ulong Admin = 700000000000000001;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private PluginTestHost _host = null!;
    private IServiceProvider _plugin = null!;

    private SecurityMonitor Security => _plugin.GetRequiredService<SecurityMonitor>();

    public async Task InitializeAsync()
    {
        _host = await PluginTestHost.StartAsync(new Dictionary<string, string?> { ["Plugins:Settings:naffles.health-monitor:DiscordProbeUrl"] = "" }, _time);
        _host.Record<OpsAlert>();
        _plugin = (await _host.AddAsync(new HealthMonitorPlugin())).Services!;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task RepeatedPermissionDenials_FromTheBus_RaiseOneAlertAtTheThreshold()
    {
        for (var i = 0; i < 4; i++)
        {
            await _host.Bus.PublishAsync(Denied(42, "naffles-create-task"));
            _time.Advance(TimeSpan.FromSeconds(20));
        }

        Assert.Empty(Alerts(SecurityTypes.RepeatedPermissionDenials));
        await _host.Bus.PublishAsync(Denied(42, "naffles-create-task"));
        var alert = Assert.Single(Alerts(SecurityTypes.RepeatedPermissionDenials));
        Assert.Equal(("security", TestInteractions.GuildId), (alert.Source, alert.GuildId));

        // Denials spread wider than the window do not add up.
        for (var i = 0; i < 5; i++)
        {
            await _host.Bus.PublishAsync(Denied(43, "naffles-link-community"));
            _time.Advance(TimeSpan.FromMinutes(2));
        }

        Assert.Single(Alerts(SecurityTypes.RepeatedPermissionDenials));
    }

    [Fact]
    public async Task MassJoinsOfNewAccounts_AreCritical_AndNewAccountsAreFlagged()
    {
        var now = _time.GetUtcNow();
        for (ulong i = 0; i < 10; i++)
        {
            var young = new DiscordUser(Snowflake.FromTimestamp(now.AddDays(-1), i), "new" + i);
            await _host.Bus.PublishAsync(new MemberJoined(TestInteractions.GuildId, young, _time.GetUtcNow()));
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        var mass = Assert.Single(Alerts(SecurityTypes.MassJoins));
        Assert.Equal(OpsAlertSeverity.Critical, mass.Severity);
        Assert.NotEmpty(Alerts(SecurityTypes.NewAccountActivity));
    }

    [Fact]
    public async Task OldAccountsJoiningSlowly_RaiseNothing_ButABotAccountDoes()
    {
        var old = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (ulong i = 0; i < 10; i++)
        {
            await _host.Bus.PublishAsync(new MemberJoined(TestInteractions.GuildId, new DiscordUser(Snowflake.FromTimestamp(old, i), "old" + i), _time.GetUtcNow()));
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Empty(_host.EventsOf<OpsAlert>());
        await _host.Bus.PublishAsync(new MemberJoined(TestInteractions.GuildId, new DiscordUser(Snowflake.FromTimestamp(old, 99), "robot", IsBot: true), _time.GetUtcNow()));
        Assert.Single(Alerts(SecurityTypes.BotDetection));
    }

    [Fact]
    public async Task MachineRegularCommandGaps_AreBotLike_IrregularOnesAreNot()
    {
        var human = new DiscordUser(501, "human");
        foreach (var gap in new[] { 1.0, 3.2, 0.7, 2.5, 4.1, 1.9 })
        {
            await Security.ObserveCommandAsync(TestInteractions.GuildId, human, "naffles-status", _time.GetUtcNow(), record: false, CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(gap));
        }

        Assert.Empty(Alerts(SecurityTypes.BotDetection));
        var bot = new DiscordUser(502, "script");
        for (var i = 0; i < 6; i++)
        {
            await Security.ObserveCommandAsync(TestInteractions.GuildId, bot, "naffles-status", _time.GetUtcNow(), record: false, CancellationToken.None);
            _time.Advance(TimeSpan.FromMilliseconds(2000 + (i % 2 * 40)));
        }

        Assert.Equal("user 502", Assert.Single(Alerts(SecurityTypes.BotDetection)).Subject);
    }

    [Fact]
    public async Task RapidCommands_AndCommandAbuse_AreDetected()
    {
        var user = new DiscordUser(601, "spammer");
        var gaps = new[] { 1.1, 2.9, 0.4, 5.0, 1.7, 3.3, 0.9, 2.2, 4.4, 0.6 };
        foreach (var gap in gaps)
        {
            await Security.ObserveCommandAsync(TestInteractions.GuildId, user, "naffles-status", _time.GetUtcNow(), record: true, CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(gap));
        }

        Assert.Single(Alerts(SecurityTypes.RapidCommands));
        Assert.NotEmpty(Alerts(SecurityTypes.CommandAbuse));
    }

    [Fact]
    public async Task EveryInteraction_OfAnyPlugin_IsActivity_RapidCommandsAtTheThreshold()
    {
        await _host.AddAsync(new Echo.EchoPlugin());
        var gaps = new[] { 1.1, 2.9, 0.4, 5.0, 1.7, 3.3, 0.9, 2.2, 4.4 };

        // Nine irregular interactions of another plugin within a minute (commands and clicks): under the threshold.
        for (var i = 0; i < gaps.Length; i++)
        {
            await DispatchEchoAsync(701, click: i % 3 == 2);
            _time.Advance(TimeSpan.FromSeconds(gaps[i]));
        }

        Assert.Empty(Alerts(SecurityTypes.RapidCommands));
        await DispatchEchoAsync(701, click: false);
        var alert = Assert.Single(Alerts(SecurityTypes.RapidCommands));
        Assert.Equal("user 701", alert.Subject);

        // Seven /echo-test commands within five minutes are command abuse; the three clicks did not count towards it.
        Assert.Single(Alerts(SecurityTypes.CommandAbuse), a => a.Subject == "user 701");

        // The same ten spread over more than the window (60 s) do not add up.
        for (var i = 0; i < 10; i++)
        {
            await DispatchEchoAsync(702, click: false);
            _time.Advance(TimeSpan.FromSeconds(7));
        }

        Assert.DoesNotContain(Alerts(SecurityTypes.RapidCommands), a => a.Subject == "user 702");
    }

    [Fact]
    public async Task MachineRegularInteractions_ThroughTheRouter_AreBotLike()
    {
        await _host.AddAsync(new Echo.EchoPlugin());

        // Six interactions 2 s apart (±20 ms): five equal gaps, bot-like; far under the rapid-command threshold.
        for (var i = 0; i < 6; i++)
        {
            await DispatchEchoAsync(703, click: i % 2 == 1);
            _time.Advance(TimeSpan.FromMilliseconds(2000 + (i % 2 * 20)));
        }

        Assert.Equal("user 703", Assert.Single(Alerts(SecurityTypes.BotDetection)).Subject);
        Assert.Empty(Alerts(SecurityTypes.RapidCommands));

        // A human rhythm (same count, irregular gaps) is not.
        foreach (var gap in new[] { 1.0, 3.2, 0.7, 2.5, 4.1, 1.9 })
        {
            await DispatchEchoAsync(704, click: false);
            _time.Advance(TimeSpan.FromSeconds(gap));
        }

        Assert.DoesNotContain(Alerts(SecurityTypes.BotDetection), a => a.Subject == "user 704");
    }

    [Fact]
    public async Task ClicksOfTheSameButtonTemplate_AreNotCommandAbuse()
    {
        await _host.AddAsync(new Echo.EchoPlugin());
        for (var i = 0; i < 6; i++)
        {
            await DispatchEchoAsync(705, click: true);
            _time.Advance(TimeSpan.FromSeconds(20 + (i * 7)));
        }

        Assert.DoesNotContain(Alerts(SecurityTypes.CommandAbuse), a => a.Subject == "user 705");
    }

    private async Task DispatchEchoAsync(ulong user, bool click)
    {
        var command = TestInteractions.Command("echo-test", user, Permissions.ViewChannel | Permissions.SendMessages, AllApp);
        var interaction = click
            ? command with { Type = InteractionType.MessageComponent, Command = null, Component = new ComponentInteractionData("echo:btn:" + user, 2, []) }
            : command;
        await _host.Router.DispatchAsync(interaction, new RecordingResponder(), CancellationToken.None);
    }

    [Fact]
    public async Task SecurityCommand_IsRefusedToNonAdmins()
    {
        var responder = new RecordingResponder();
        var outcome = await _host.Router.DispatchAsync(TestInteractions.Command("naffles-security", 800, Permissions.ManageGuild, AllApp, TestInteractions.Text("action", "report")), responder, CancellationToken.None);
        Assert.Equal(DispatchOutcome.Denied, outcome);
        Assert.DoesNotContain("Security Report", responder.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecurityReport_CountsRejectedWebhooksDenialsAndSignals_AndAuditShowsAdminActions()
    {
        await _host.Bus.PublishAsync(new WebhookRejected("/webhooks/naffles/task-completed", 401, "invalid_signature", "10.0.0.9", _time.GetUtcNow()));
        for (var i = 0; i < 5; i++)
        {
            await _host.Bus.PublishAsync(Denied(44, "naffles-connect-allowlist"));
        }

        await _host.Bus.PublishAsync(new AdminActionPerformed(TestInteractions.GuildId, Admin, "community_linked", "linked c1", _time.GetUtcNow()));
        var report = await SecurityAsync("report", "1h");
        Assert.Contains("Security Report - 1h", report, StringComparison.Ordinal);
        Assert.Contains("webhook rejected: **1**", report, StringComparison.Ordinal);
        Assert.Contains("permission denied: **5**", report, StringComparison.Ordinal);
        Assert.Contains("Risk level: **Medium**", report, StringComparison.Ordinal);

        var status = await SecurityAsync("status", "24h");
        Assert.Contains("Rejected webhooks: 1", status, StringComparison.Ordinal);

        var audit = await SecurityAsync("audit", "24h");
        Assert.Contains("community_linked", audit, StringComparison.Ordinal);
        Assert.Contains("security_report", audit, StringComparison.Ordinal);

        var alerts = await SecurityAsync("alerts", "24h");
        Assert.Contains("repeated permission denials", alerts, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromHours(2));
        var later = await SecurityAsync("report", "1h");
        Assert.DoesNotContain("webhook rejected", later, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusCommand_ListsMissingPermissionsWithFixes_AndHidesDiagnosticsFromMembers()
    {
        var responder = new RecordingResponder();
        var app = Permissions.ViewChannel | Permissions.ReadMessageHistory | Permissions.UseExternalEmojis | Permissions.ManageRoles;
        var outcome = await _host.Router.DispatchAsync(TestInteractions.Command("naffles-status", 900, Permissions.None, app), responder, CancellationToken.None);
        Assert.Equal(DispatchOutcome.Handled, outcome);
        var text = responder.Text;
        Assert.Contains("Naffles Discord Bot Status", text, StringComparison.Ordinal);
        Assert.Contains("Missing: Send Messages, Embed Links", text, StringComparison.Ordinal);
        Assert.Contains("**Send Messages** is missing", text, StringComparison.Ordinal);
        Assert.Contains("NAFFLES_API_BASE_URL", text, StringComparison.Ordinal);
        Assert.Contains("💾 Store: OK", text, StringComparison.Ordinal);
        Assert.Contains("⚡ Cache: OK", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Diagnostics", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusCommand_ShowsDiagnosticsToManagers_AndNoPermissionProblemsWhenAllPresent()
    {
        var responder = new RecordingResponder();
        await _host.Router.DispatchAsync(TestInteractions.Command("naffles-status", 901, Permissions.ManageGuild, AllApp), responder, CancellationToken.None);
        var text = responder.Text;
        Assert.Contains("All present in this channel", text, StringComparison.Ordinal);
        Assert.Contains("Diagnostics (admins)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("is missing", text, StringComparison.Ordinal);
    }

    private const Permissions AllApp = Permissions.ViewChannel | Permissions.SendMessages | Permissions.EmbedLinks | Permissions.ReadMessageHistory | Permissions.UseExternalEmojis | Permissions.ManageRoles;

    private async Task<string> SecurityAsync(string action, string timeframe)
    {
        var responder = new RecordingResponder();
        var outcome = await _host.Router.DispatchAsync(
            TestInteractions.Command("naffles-security", Admin, Permissions.Administrator, AllApp, TestInteractions.Text("action", action), TestInteractions.Text("timeframe", timeframe)),
            responder,
            CancellationToken.None);
        Assert.Equal(DispatchOutcome.Handled, outcome);
        return responder.Text;
    }

    private SecurityEvent Denied(ulong user, string command) =>
        new(SecurityEventKind.PermissionDenied, SecuritySeverity.Low, TestInteractions.GuildId, user, command, "Missing permissions: Manage Server", _time.GetUtcNow());

    private IReadOnlyList<OpsAlert> Alerts(string kind) => [.. _host.EventsOf<OpsAlert>().Where(a => a.Kind == kind)];
}
