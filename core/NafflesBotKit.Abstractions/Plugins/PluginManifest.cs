using System.Text.RegularExpressions;

namespace NafflesBotKit.Plugins;

/// <summary>What a plugin says about itself: identity, version, the SDK versions it was built for.</summary>
/// <param name="Id">Stable identifier, lower case letters, digits, '.', '-' and '_' (e.g. <c>naffles.social-tasks</c>).</param>
/// <param name="Version">The plugin's version (e.g. <c>1.2.0</c>).</param>
/// <param name="SdkRange">The SDK versions the plugin supports, in interval notation (e.g. <c>[1.0,2.0)</c>).</param>
/// <param name="Description">One line for operators and <c>/naffles-help</c>.</param>
public sealed partial record PluginManifest(string Id, string Version, string SdkRange, string Description = "")
{
    /// <summary>The parsed <see cref="Version"/>.</summary>
    public Version ParsedVersion => System.Version.TryParse(Version, out var v) ? v : new Version(0, 0);

    /// <summary>
    /// Checks the manifest and returns every problem found (empty when valid). The host refuses a plugin whose
    /// manifest has problems.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Id) || !IdPattern().IsMatch(Id))
        {
            problems.Add($"plugin id '{Id}' is invalid: use 1-64 lower-case letters, digits, '.', '-' or '_', starting with a letter or digit");
        }

        if (!System.Version.TryParse(Version, out _))
        {
            problems.Add($"plugin version '{Version}' is not a version (expected e.g. 1.2.0)");
        }

        if (string.IsNullOrWhiteSpace(SdkRange))
        {
            problems.Add("the manifest declares no SDK version range (e.g. [1.0,2.0))");
        }
        else if (!VersionRange.TryParse(SdkRange, out _))
        {
            problems.Add($"SDK range '{SdkRange}' is not a version range (expected interval notation such as [1.0,2.0))");
        }

        return problems;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
