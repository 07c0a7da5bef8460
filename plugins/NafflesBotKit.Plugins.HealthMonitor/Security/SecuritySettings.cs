using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace NafflesBotKit.Plugins.HealthMonitor.Security;

/// <summary>Thresholds of the security monitor (existing bot §1.10), from <c>Plugins:Settings:naffles.health-monitor:Security</c>.</summary>
internal sealed record SecuritySettings
{
    public int RapidCommands { get; init; } = 10;

    public TimeSpan RapidCommandsWindow { get; init; } = TimeSpan.FromSeconds(60);

    public int PermissionDenials { get; init; } = 5;

    public TimeSpan PermissionDenialsWindow { get; init; } = TimeSpan.FromMinutes(5);

    public int NewAccounts { get; init; } = 3;

    public TimeSpan NewAccountsWindow { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan NewAccountAge { get; init; } = TimeSpan.FromDays(7);

    public int MassJoins { get; init; } = 10;

    public TimeSpan MassJoinsWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A mass join is high severity when more than this many of the joiners are new accounts.</summary>
    public int MassJoinsNewAccountsHigh { get; init; } = 5;

    /// <summary>Bot-like timing: this many consecutive gaps within ±<see cref="BotTimingTolerance"/> of their mean, mean under <see cref="BotTimingMaxMean"/>.</summary>
    public int BotTimingGaps { get; init; } = 5;

    public TimeSpan BotTimingTolerance { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan BotTimingMaxMean { get; init; } = TimeSpan.FromSeconds(5);

    public int CommandAbuse { get; init; } = 5;

    public TimeSpan CommandAbuseWindow { get; init; } = TimeSpan.FromMinutes(5);

    public int WebhookRejections { get; init; } = 10;

    public TimeSpan WebhookRejectionsWindow { get; init; } = TimeSpan.FromMinutes(5);

    public static SecuritySettings From(IConfiguration section)
    {
        var d = new SecuritySettings();
        int Int(string key, int fallback) => int.TryParse(section[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
        TimeSpan Sec(string key, TimeSpan fallback) => double.TryParse(section[key], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 ? TimeSpan.FromSeconds(v) : fallback;
        return new SecuritySettings
        {
            RapidCommands = Int("RapidCommands", d.RapidCommands),
            RapidCommandsWindow = Sec("RapidCommandsWindowSeconds", d.RapidCommandsWindow),
            PermissionDenials = Int("PermissionDenials", d.PermissionDenials),
            PermissionDenialsWindow = Sec("PermissionDenialsWindowSeconds", d.PermissionDenialsWindow),
            NewAccounts = Int("NewAccounts", d.NewAccounts),
            NewAccountsWindow = Sec("NewAccountsWindowSeconds", d.NewAccountsWindow),
            NewAccountAge = Sec("NewAccountAgeSeconds", d.NewAccountAge),
            MassJoins = Int("MassJoins", d.MassJoins),
            MassJoinsWindow = Sec("MassJoinsWindowSeconds", d.MassJoinsWindow),
            MassJoinsNewAccountsHigh = Int("MassJoinsNewAccountsHigh", d.MassJoinsNewAccountsHigh),
            BotTimingGaps = Int("BotTimingGaps", d.BotTimingGaps),
            BotTimingTolerance = Sec("BotTimingToleranceSeconds", d.BotTimingTolerance),
            BotTimingMaxMean = Sec("BotTimingMaxMeanSeconds", d.BotTimingMaxMean),
            CommandAbuse = Int("CommandAbuse", d.CommandAbuse),
            CommandAbuseWindow = Sec("CommandAbuseWindowSeconds", d.CommandAbuseWindow),
            WebhookRejections = Int("WebhookRejections", d.WebhookRejections),
            WebhookRejectionsWindow = Sec("WebhookRejectionsWindowSeconds", d.WebhookRejectionsWindow),
        };
    }
}
