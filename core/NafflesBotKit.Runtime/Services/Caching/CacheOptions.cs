using System.ComponentModel.DataAnnotations;
using NafflesBotKit.Services;

namespace NafflesBotKit.Runtime.Services.Caching;

/// <summary>Lifetime and size of one kind of cached data.</summary>
public sealed class CacheKindOptions
{
    /// <summary>Creates empty options (for binding).</summary>
    public CacheKindOptions()
    {
    }

    /// <summary>Creates options.</summary>
    /// <param name="lifetime">How long a value is fresh.</param>
    /// <param name="maxEntries">How many values of the kind this host keeps.</param>
    public CacheKindOptions(TimeSpan lifetime, int maxEntries)
    {
        Lifetime = lifetime;
        MaxEntries = maxEntries;
    }

    /// <summary>How long a value is fresh; after that a read runs the factory again.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many values of the kind this host tracks; the oldest written is evicted beyond it.</summary>
    public int MaxEntries { get; set; } = 1000;
}

/// <summary>The cache (configuration section <c>Cache</c>); defaults are the seed's.</summary>
public sealed class CacheOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Cache";

    /// <summary>Per-kind lifetime and size.</summary>
    public Dictionary<CacheEntryKind, CacheKindOptions> Kinds { get; } = new()
    {
        [CacheEntryKind.General] = new(TimeSpan.FromMinutes(5), 10_000),
        [CacheEntryKind.Communities] = new(TimeSpan.FromMinutes(5), 1_000),
        [CacheEntryKind.Users] = new(TimeSpan.FromMinutes(10), 5_000),
        [CacheEntryKind.Tasks] = new(TimeSpan.FromMinutes(1), 2_000),
        [CacheEntryKind.Allowlists] = new(TimeSpan.FromMinutes(2), 1_000),
    };

    /// <summary>How long past its lifetime a value is kept to be served when the factory fails (stale-on-error).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan StaleFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The options of a kind (General's when the kind is not configured).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>Its options.</returns>
    public CacheKindOptions For(CacheEntryKind kind) =>
        Kinds.TryGetValue(kind, out var options) ? options : Kinds.GetValueOrDefault(CacheEntryKind.General) ?? new CacheKindOptions();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (kind, options) in Kinds)
        {
            if (options is null || options.Lifetime <= TimeSpan.Zero || options.Lifetime > TimeSpan.FromDays(7) || options.MaxEntries < 1)
            {
                yield return new ValidationResult($"Cache:Kinds:{kind} needs a Lifetime in (0, 7 days] and MaxEntries >= 1.", [kind.ToString()]);
            }
        }
    }
}
