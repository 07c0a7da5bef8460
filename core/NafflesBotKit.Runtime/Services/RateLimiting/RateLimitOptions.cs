using System.ComponentModel.DataAnnotations;

namespace NafflesBotKit.Runtime.Services.RateLimiting;

/// <summary>One limit: <see cref="Permits"/> per <see cref="Seconds"/>.</summary>
public sealed class LimitSpec
{
    /// <summary>Creates an empty spec (for configuration binding).</summary>
    public LimitSpec()
    {
    }

    /// <summary>Creates a spec.</summary>
    /// <param name="permits">Uses per window.</param>
    /// <param name="seconds">Window length.</param>
    /// <param name="perCustomId">For component templates: count each custom id (e.g. each allowlist) separately.</param>
    public LimitSpec(int permits, int seconds, bool perCustomId = false)
    {
        Permits = permits;
        Seconds = seconds;
        PerCustomId = perCustomId;
    }

    /// <summary>Uses allowed per window.</summary>
    [Range(1, 1_000_000)]
    public int Permits { get; set; } = 1;

    /// <summary>Window length in seconds.</summary>
    [Range(1, 86_400)]
    public int Seconds { get; set; } = 60;

    /// <summary>For component templates: count each concrete custom id separately (per user and allowlist, say).</summary>
    public bool PerCustomId { get; set; }

    /// <summary>The window.</summary>
    public TimeSpan Window => TimeSpan.FromSeconds(Seconds);
}

/// <summary>
/// Interaction rate limits (configuration section <c>RateLimits</c>). Defaults are the seed's tiers (global 1,000/min,
/// per user 10/min, per guild 100/min, task creation 5 per 5 min, allowlist connection 3 per 10 min) and the existing
/// bot's component limits and per-command cooldowns.
/// </summary>
public sealed class RateLimitOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "RateLimits";

    /// <summary>Whether interactions are rate limited at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Every interaction of every user together.</summary>
    public LimitSpec Global { get; set; } = new(1000, 60);

    /// <summary>Slash commands of one user.</summary>
    public LimitSpec PerUser { get; set; } = new(10, 60);

    /// <summary>Interactions in one guild.</summary>
    public LimitSpec PerGuild { get; set; } = new(100, 60);

    /// <summary>
    /// Whether button clicks and select choices count against <see cref="PerGuild"/> (default false: a popular
    /// allowlist or task post gets hundreds of clicks a minute in one guild, which must not lock the guild out;
    /// clicks are bounded per user by <see cref="Components"/> and overall by <see cref="Global"/>).
    /// </summary>
    public bool GuildTierCountsComponents { get; set; }

    /// <summary>Button clicks and select choices of one user (the existing bot's 10 clicks per minute).</summary>
    public LimitSpec Components { get; set; } = new(10, 60);

    /// <summary>Extra per-user limits of commands, by command path (or top-level name).</summary>
    public Dictionary<string, LimitSpec> Commands { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["naffles-create-task"] = new(5, 300),
        ["naffles-connect-allowlist"] = new(3, 600),
    };

    /// <summary>Extra per-user limits of components, by custom-id template (the route name).</summary>
    public Dictionary<string, LimitSpec> ComponentTemplates { get; } = new(StringComparer.Ordinal)
    {
        ["enter_allowlist_{allowlistId}"] = new(3, 300, perCustomId: true),
        ["allowlist:enter:{allowlistId}"] = new(3, 300, perCustomId: true),
    };

    /// <summary>
    /// Per-user cooldowns in seconds by command path; they take precedence over a handler's <c>[Cooldown]</c>.
    /// Defaults are the existing bot's.
    /// </summary>
    public Dictionary<string, int> Cooldowns { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["naffles-create-task"] = 10,
        ["naffles-list-tasks"] = 5,
        ["naffles-connect-allowlist"] = 15,
        ["naffles-allowlist-analytics"] = 10,
        ["naffles-link-community"] = 30,
        ["naffles-status"] = 5,
        ["naffles-help"] = 2,
    };

    /// <summary>Refusals of one key within <see cref="ViolationWindow"/> above which a security event is raised.</summary>
    [Range(1, 1_000_000)]
    public int ViolationAlertThreshold { get; set; } = 10;

    /// <summary>How long refusals are counted per key.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ViolationWindow { get; set; } = TimeSpan.FromHours(1);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var specs = new List<(string Name, LimitSpec? Spec)> { ("Global", Global), ("PerUser", PerUser), ("PerGuild", PerGuild), ("Components", Components) };
        specs.AddRange(Commands.Select(c => ($"Commands:{c.Key}", (LimitSpec?)c.Value)));
        specs.AddRange(ComponentTemplates.Select(c => ($"ComponentTemplates:{c.Key}", (LimitSpec?)c.Value)));
        foreach (var (name, spec) in specs)
        {
            if (spec is null || spec.Permits < 1 || spec.Seconds < 1 || spec.Seconds > 86_400)
            {
                yield return new ValidationResult($"RateLimits:{name} needs Permits >= 1 and Seconds in 1..86400.", [name]);
            }
        }

        foreach (var (name, seconds) in Cooldowns)
        {
            if (seconds is < 0 or > 86_400)
            {
                yield return new ValidationResult($"RateLimits:Cooldowns:{name} must be 0..86400 seconds.", [name]);
            }
        }
    }
}
