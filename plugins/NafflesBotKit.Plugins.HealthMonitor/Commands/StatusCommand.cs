using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Naffles;
using NafflesBotKit.Plugins.HealthMonitor.Health;
using NafflesBotKit.Plugins.HealthMonitor.Security;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.HealthMonitor.Commands;

/// <summary>
/// <c>/naffles-status</c>: the existing bot's status panel — bot online, Naffles API latency, store, cache, the
/// permissions the bot lacks in this channel, version, uptime, memory, response time — with the fix for each problem
/// found. Members with Administrator or Manage Server also see the monitored services' diagnostics.
/// </summary>
[Command("naffles-status", "Show the bot's status and what needs fixing", Ephemeral = true)]
[Cooldown(5)]
internal sealed class StatusCommand(
    PluginManifest manifest,
    HealthTracker tracker,
    SecurityMonitor security,
    IPluginStore store,
    IBotCache cache,
    IServiceProvider services,
    PluginUptime uptime,
    TimeProvider time) : CommandHandler
{
    /// <summary>What the bot needs in a channel to work, and why.</summary>
    internal static readonly IReadOnlyList<(Permissions Permission, string Name, string Why)> Required =
    [
        (Permissions.ViewChannel, "View Channel", "see this channel"),
        (Permissions.SendMessages, "Send Messages", "post tasks and allowlists"),
        (Permissions.EmbedLinks, "Embed Links", "show embeds"),
        (Permissions.ReadMessageHistory, "Read Message History", "update its earlier posts"),
        (Permissions.UseExternalEmojis, "Use External Emojis", "show status emojis"),
        (Permissions.ManageRoles, "Manage Roles", "give allowlist winner roles"),
    ];

    public override async ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = time.GetTimestamp();
        await security.RecordCommandAsync(context.GuildId, context.User, context.CommandPath, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var problems = new List<string>();
        var fixes = new List<string>();

        var api = await CheckNafflesAsync(cancellationToken).ConfigureAwait(false);
        if (!api.Ok)
        {
            problems.Add("Naffles API");
            fixes.Add(api.Fix!);
        }

        var storeCheck = await TimeAsync(async ct =>
        {
            var key = "status/probe/" + context.Interaction.Id.ToString(CultureInfo.InvariantCulture);
            await store.SetAsync(key, 1L, HealthJsonContext.Default.Int64, TimeSpan.FromMinutes(1), ct).ConfigureAwait(false);
            var ok = await store.GetAsync(key, HealthJsonContext.Default.Int64, ct).ConfigureAwait(false) == 1L;
            await store.DeleteAsync(key, ct).ConfigureAwait(false);
            return ok;
        }, cancellationToken).ConfigureAwait(false);
        if (!storeCheck.Ok)
        {
            problems.Add("Store");
            fixes.Add("**Store**: check that the storage file is writable (`Storage` settings) or that Redis is reachable (`Redis:Configuration`).");
        }

        var cacheCheck = await TimeAsync(async ct =>
        {
            var key = "health-monitor:status-probe";
            var value = time.GetUtcNow().Ticks;
            await cache.SetAsync(key, value, HealthJsonContext.Default.Int64, cancellationToken: ct).ConfigureAwait(false);
            var read = await cache.GetOrCreateAsync(key, HealthJsonContext.Default.Int64, _ => ValueTask.FromResult(-1L), cancellationToken: ct).ConfigureAwait(false);
            return read.Value == value;
        }, cancellationToken).ConfigureAwait(false);
        if (!cacheCheck.Ok)
        {
            problems.Add("Cache");
            fixes.Add("**Cache**: check Redis connectivity (`Redis:Configuration`); the bot keeps working from memory meanwhile.");
        }

        var missing = MissingPermissions(context.Interaction);
        foreach (var (_, name, why) in missing)
        {
            fixes.Add($"**{name}** is missing (needed to {why}): give the bot's role *{name}* in this channel (Edit Channel → Permissions) or in Server Settings → Roles.");
        }

        if (missing.Count > 0)
        {
            problems.Add("Permissions");
        }

        var admin = (context.MemberPermissions & (Permissions.Administrator | Permissions.ManageGuild)) != 0;
        var embed = new EmbedBuilder()
            .WithTitle("🤖 Naffles Discord Bot Status")
            .WithColor(problems.Count == 0 ? NafflesEmbeds.SuccessGreen : NafflesEmbeds.WarningAmber)
            .WithDescription(problems.Count == 0 ? "✅ Everything looks good." : $"⚠️ {problems.Count} problem(s): {string.Join(", ", problems)}. Fixes below.")
            .AddField("🟢 Bot", $"Online · v{manifest.Version} (SDK {SdkVersion.Current.ToString(3)})\nUptime {Uptime()}", inline: true)
            .AddField("🌐 Naffles API", api.Text, inline: true)
            .AddField("💾 Store", storeCheck.Ok ? $"OK · {HealthTracker.Ms(storeCheck.Ms)}" : "❌ " + storeCheck.Error, inline: true)
            .AddField("⚡ Cache", cacheCheck.Ok ? $"OK · {HealthTracker.Ms(cacheCheck.Ms)}" : "❌ " + cacheCheck.Error, inline: true)
            .AddField("🔐 Permissions", missing.Count == 0 ? "✅ All present in this channel" : "❌ Missing: " + string.Join(", ", missing.Select(m => m.Name)), inline: true)
            .AddField("📊 Runtime", $"Memory {Environment.WorkingSet / (1024 * 1024)} MB (GC heap {GC.GetTotalMemory(false) / (1024 * 1024)} MB)\nResponse {HealthTracker.Ms(time.GetElapsedTime(started).TotalMilliseconds)}", inline: true);
        if (fixes.Count > 0)
        {
            embed.AddField("🛠️ How to fix", Truncate(string.Join("\n", fixes.Select(f => "• " + f)), 1024));
        }

        if (admin)
        {
            embed.AddField("🩺 Diagnostics (admins)", Truncate(Diagnostics(), 1024));
        }

        embed.WithFooter(NafflesEmbeds.FooterText).WithTimestamp(time.GetUtcNow());
        await context.ReplyAsync(embed.Build(), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    internal static List<(Permissions Permission, string Name, string Why)> MissingPermissions(Interaction interaction)
    {
        if (interaction.GuildId is null || (interaction.AppPermissions & Permissions.Administrator) != 0)
        {
            return [];
        }

        return [.. Required.Where(r => (interaction.AppPermissions & r.Permission) == 0)];
    }

    private string Diagnostics()
    {
        var snapshots = tracker.Snapshot();
        if (snapshots.Count == 0)
        {
            return "No checks have run yet.";
        }

        var text = new StringBuilder();
        foreach (var s in snapshots)
        {
            text.Append(s.Healthy ? "🟢 " : "🔴 ").Append("**").Append(s.Service).Append("** ")
                .Append(HealthTracker.Percent(s.Availability)).Append(" · avg ").Append(HealthTracker.Ms(s.AverageMs))
                .Append(" · p95 ").Append(HealthTracker.Ms(s.P95Ms));
            if (s.ConsecutiveFailures > 0)
            {
                text.Append(" · ").Append(s.ConsecutiveFailures).Append(" failure(s)");
            }

            if (s.LastError is { } error)
            {
                text.Append("\n  last error: ").Append(error.Length > 120 ? error[..120] + "…" : error);
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private async ValueTask<(bool Ok, string Text, string? Fix)> CheckNafflesAsync(CancellationToken cancellationToken)
    {
        var api = services.GetService<INafflesApi>();
        if (api is null)
        {
            return (false, "❌ Not configured", "**Naffles API**: set `NAFFLES_API_BASE_URL` (Naffles:BaseUrl) and `NAFFLES_API_KEY`, then restart the bot.");
        }

        var check = await TimeAsync(async ct => (await api.Health.GetHealthAsync(ct).ConfigureAwait(false)).IsHealthy, cancellationToken).ConfigureAwait(false);
        return check.Ok
            ? (true, $"🟢 Healthy · {HealthTracker.Ms(check.Ms)}", null)
            : (false, "🔴 " + (check.Error ?? "unhealthy"), "**Naffles API**: check `NAFFLES_API_BASE_URL` and `NAFFLES_API_KEY`; if they are right Naffles is having trouble and the bot retries by itself.");
    }

    private async ValueTask<(bool Ok, double Ms, string? Error)> TimeAsync(Func<CancellationToken, ValueTask<bool>> check, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var ok = await check(linked.Token).ConfigureAwait(false);
            return (ok, time.GetElapsedTime(started).TotalMilliseconds, ok ? null : "unexpected result");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, time.GetElapsedTime(started).TotalMilliseconds, timeout.IsCancellationRequested ? "timed out" : ex.Message);
        }
    }

    private string Uptime()
    {
        var up = time.GetElapsedTime(uptime.StartedTimestamp);
        return up.TotalDays >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)up.TotalDays}d {up.Hours}h {up.Minutes}m")
            : string.Create(CultureInfo.InvariantCulture, $"{up.Hours}h {up.Minutes}m");
    }

    internal static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
