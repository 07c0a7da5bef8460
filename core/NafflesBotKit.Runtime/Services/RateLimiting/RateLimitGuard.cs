using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NafflesBotKit.Events;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Services;

namespace NafflesBotKit.Runtime.Services.RateLimiting;

/// <summary>
/// Rate limits interactions before their handlers run (order 200, after permissions). Tiers: global, per guild, per
/// user for commands or per user for components (buttons and selects have their own budget, so clicking never eats
/// into the command budget and vice versa), per command and per component template from configuration,
/// <c>[RateLimit]</c> and <c>[Cooldown]</c> of the handler. A refused user gets an ephemeral reply with the retry time
/// as a Discord timestamp; more than <see cref="RateLimitOptions.ViolationAlertThreshold"/> refusals of one key raise
/// a <see cref="SecurityEvent"/>. When the limiter itself fails (Redis down), interactions are let through.
/// </summary>
public sealed partial class RateLimitGuard : IInteractionGuard
{
    private readonly IRateLimiter _limiter;
    private readonly RateLimitOptions _options;
    private readonly IEventBus _bus;
    private readonly TimeProvider _time;
    private readonly ILogger<RateLimitGuard> _logger;
    private readonly Dictionary<string, (int Count, DateTimeOffset Since)> _violations = new(StringComparer.Ordinal);
    private readonly Lock _violationGate = new();

    /// <summary>Creates the guard.</summary>
    public RateLimitGuard(IRateLimiter limiter, IOptions<RateLimitOptions> options, IEventBus bus, TimeProvider time, ILogger<RateLimitGuard> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _limiter = limiter;
        _options = options.Value;
        _bus = bus;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public int Order => 200;

    /// <inheritdoc />
    public async ValueTask<GuardResult> CheckAsync(Interaction interaction, RouteInfo route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        ArgumentNullException.ThrowIfNull(route);
        if (!_options.Enabled)
        {
            return GuardResult.Allow;
        }

        var rules = RulesFor(interaction, route);
        RateLimitDecision decision;
        try
        {
            decision = await _limiter.TryAcquireAsync(rules, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogLimiterFailed(_logger, ex, route.Name);
            return GuardResult.Allow;
        }

        if (decision.Allowed)
        {
            return GuardResult.Allow;
        }

        var key = decision.LimitedKey ?? "?";
        await CountViolationAsync(interaction, route, key, cancellationToken).ConfigureAwait(false);

        // Round up to whole seconds so the timestamp is never earlier than the moment the limit lifts.
        var retryAt = _time.GetUtcNow() + TimeSpan.FromSeconds(Math.Ceiling(decision.RetryAfter.TotalSeconds));
        var cooldown = key.StartsWith("cd:", StringComparison.Ordinal);
        var embed = cooldown
            ? NafflesEmbeds.Error("Cooldown", $"⏰ Please wait before using this again. You can use it {NafflesEmbeds.RelativeTime(retryAt)}.")
            : NafflesEmbeds.Error("Slow down", $"⏰ You are doing that too often. Please try again {NafflesEmbeds.RelativeTime(retryAt)}.");
        return GuardResult.Deny(MessagePayload.FromEmbed(embed), cooldown ? "cooldown" : "rate-limited:" + Tier(key));
    }

    /// <summary>The rules an interaction is charged against (public for tests and diagnostics).</summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="route">Its route.</param>
    /// <returns>The rules, keys distinct.</returns>
    public IReadOnlyList<RateLimitRule> RulesFor(Interaction interaction, RouteInfo route)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        ArgumentNullException.ThrowIfNull(route);
        var user = interaction.User.Id.ToString(CultureInfo.InvariantCulture);
        var rules = new List<RateLimitRule>(6) { Rule("global", _options.Global) };
        if (interaction.GuildId is { } guild && (route.Kind != RouteKind.Component || _options.GuildTierCountsComponents))
        {
            rules.Add(Rule("guild:" + guild.ToString(CultureInfo.InvariantCulture), _options.PerGuild));
        }

        switch (route.Kind)
        {
            case RouteKind.Command:
                rules.Add(Rule("user:" + user, _options.PerUser));
                if (CommandSpec(route.Name) is { } command)
                {
                    rules.Add(Rule($"cmd:{route.Name}:{user}", command));
                }

                var cooldown = CooldownSeconds(route);
                if (cooldown > 0)
                {
                    rules.Add(new RateLimitRule($"cd:{route.PluginId}:{route.Name}:{user}", 1, TimeSpan.FromSeconds(cooldown)));
                }

                break;
            case RouteKind.Component:
                rules.Add(Rule("component:" + user, _options.Components));
                if (_options.ComponentTemplates.TryGetValue(route.Name, out var template))
                {
                    var id = template.PerCustomId ? ":" + (interaction.Component?.CustomId ?? string.Empty) : string.Empty;
                    rules.Add(Rule($"tpl:{route.Name}:{user}{id}", template));
                }

                if (route.Get<CooldownAttribute>() is { Seconds: > 0 } componentCooldown)
                {
                    rules.Add(new RateLimitRule($"cd:{route.PluginId}:{route.Name}:{user}", 1, TimeSpan.FromSeconds(componentCooldown.Seconds)));
                }

                break;
            default:
                break;
        }

        if (route.Get<RateLimitAttribute>() is { } declared && declared.Permits > 0 && declared.Seconds > 0)
        {
            var scope = declared.Scope switch
            {
                RateLimitScope.Global => "all",
                RateLimitScope.Guild => "g" + (interaction.GuildId ?? 0).ToString(CultureInfo.InvariantCulture),
                _ => "u" + user,
            };
            rules.Add(new RateLimitRule($"attr:{route.PluginId}:{route.Name}:{scope}", declared.Permits, TimeSpan.FromSeconds(declared.Seconds)));
        }

        return rules;
    }

    private static RateLimitRule Rule(string key, LimitSpec spec) => new(key, spec.Permits, spec.Window);

    private static string Tier(string key) => key.IndexOf(':', StringComparison.Ordinal) is var i and > 0 ? key[..i] : key;

    private LimitSpec? CommandSpec(string path)
    {
        if (_options.Commands.TryGetValue(path, out var spec))
        {
            return spec;
        }

        var space = path.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && _options.Commands.TryGetValue(path[..space], out spec) ? spec : null;
    }

    private int CooldownSeconds(RouteInfo route)
    {
        if (_options.Cooldowns.TryGetValue(route.Name, out var configured))
        {
            return configured;
        }

        return route.Get<CooldownAttribute>()?.Seconds ?? 0;
    }

    private async ValueTask CountViolationAsync(Interaction interaction, RouteInfo route, string key, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        int count;
        lock (_violationGate)
        {
            if (!_violations.TryGetValue(key, out var entry) || now - entry.Since >= _options.ViolationWindow)
            {
                entry = (0, now);
            }

            count = entry.Count + 1;
            _violations[key] = (count, entry.Since);
            if (_violations.Count > 10_000)
            {
                foreach (var (k, v) in _violations)
                {
                    if (now - v.Since >= _options.ViolationWindow)
                    {
                        _violations.Remove(k);
                    }
                }
            }
        }

        LogLimited(_logger, interaction.User.Id, route.Name, key, count);
        if (count == _options.ViolationAlertThreshold + 1)
        {
            var alert = new SecurityEvent(
                SecurityEventKind.RateLimitAbuse,
                SecuritySeverity.Medium,
                interaction.GuildId,
                interaction.User.Id,
                key,
                string.Create(CultureInfo.InvariantCulture, $"Rate limit '{key}' refused {count} times within {_options.ViolationWindow} ({route.Name})."),
                now,
                count);
            await _bus.PublishAsync(alert, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Rate limiter failed for {Route}; letting the interaction through")]
    private static partial void LogLimiterFailed(ILogger logger, Exception exception, string route);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Debug, Message = "User {UserId} rate limited on {Route} by {Key} ({Count} refusals in window)")]
    private static partial void LogLimited(ILogger logger, ulong userId, string route, string key, int count);
}
