using System.ComponentModel.DataAnnotations;

namespace NafflesBotKit.Runtime.Plugins;

/// <summary>
/// Which plugins a deployment runs and where they are (configuration section <c>Plugins</c>).
/// </summary>
public sealed class PluginHostOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Plugins";

    /// <summary>Folder holding one sub-folder per plugin (<c>plugins/&lt;Assembly&gt;/&lt;Assembly&gt;.dll</c>); relative to the app's base directory.</summary>
    public string Path { get; set; } = "plugins";

    /// <summary>Plugin ids (or folder names) to load; empty loads every plugin found.</summary>
    public IList<string> Enabled { get; } = [];

    /// <summary>Plugin ids (or folder names) never to load.</summary>
    public IList<string> Disabled { get; } = [];

    /// <summary>How long a plugin's start may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long unloading waits for in-flight interactions before stopping the plugin anyway.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a plugin's stop may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Whether the plugins folder is watched for new versions (hot swap on drop).</summary>
    public bool WatchForNewVersions { get; set; } = true;

    /// <summary>How long the folder must be quiet after a change before it is rescanned.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan WatchDebounce { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Rescan period when no change notification arrives.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether swaps check that the old version's load context is collected (and report a leak otherwise).</summary>
    public bool VerifyUnload { get; set; } = true;

    /// <summary>Resolves <see cref="Path"/> against the app's base directory.</summary>
    public string ResolvePath() => System.IO.Path.GetFullPath(Path, AppContext.BaseDirectory);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            yield return new ValidationResult("Plugins:Path must name the plugins folder.", [nameof(Path)]);
        }

        foreach (var both in Enabled.Intersect(Disabled, StringComparer.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"Plugin '{both}' is both enabled and disabled.", [nameof(Enabled)]);
        }
    }
}
