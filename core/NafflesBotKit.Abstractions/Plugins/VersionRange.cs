using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace NafflesBotKit.Plugins;

/// <summary>
/// A version interval in NuGet notation: <c>1.0</c> (at least 1.0), <c>[1.0,2.0)</c>, <c>(,2.0]</c>, <c>[1.2]</c> (exactly).
/// </summary>
public sealed class VersionRange
{
    private VersionRange(Version? min, bool minInclusive, Version? max, bool maxInclusive, string text)
    {
        Min = min;
        MinInclusive = minInclusive;
        Max = max;
        MaxInclusive = maxInclusive;
        Text = text;
    }

    /// <summary>Lower bound, or null for none.</summary>
    public Version? Min { get; }

    /// <summary>Whether <see cref="Min"/> itself is in the range.</summary>
    public bool MinInclusive { get; }

    /// <summary>Upper bound, or null for none.</summary>
    public Version? Max { get; }

    /// <summary>Whether <see cref="Max"/> itself is in the range.</summary>
    public bool MaxInclusive { get; }

    /// <summary>The text the range was parsed from.</summary>
    public string Text { get; }

    /// <summary>Parses a range or throws <see cref="FormatException"/> naming the input.</summary>
    /// <param name="text">The range text.</param>
    public static VersionRange Parse(string text) =>
        TryParse(text, out var range) ? range : throw new FormatException($"'{text}' is not a version range (expected e.g. [1.0,2.0)).");

    /// <summary>Parses a range.</summary>
    /// <param name="text">The range text.</param>
    /// <param name="range">The parsed range.</param>
    public static bool TryParse(string? text, [NotNullWhen(true)] out VersionRange? range)
    {
        range = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (s[0] != '[' && s[0] != '(')
        {
            if (!TryVersion(s, out var only))
            {
                return false;
            }

            range = new VersionRange(only, true, null, false, s);
            return true;
        }

        var last = s[^1];
        if (s.Length < 3 || (last != ']' && last != ')'))
        {
            return false;
        }

        var minInclusive = s[0] == '[';
        var maxInclusive = last == ']';
        var inner = s[1..^1];
        var comma = inner.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            // [1.0] means exactly 1.0.
            if (!minInclusive || !maxInclusive || !TryVersion(inner, out var exact))
            {
                return false;
            }

            range = new VersionRange(exact, true, exact, true, s);
            return true;
        }

        var minText = inner[..comma].Trim();
        var maxText = inner[(comma + 1)..].Trim();
        Version? min = null, max = null;
        if (minText.Length > 0 && !TryVersion(minText, out min))
        {
            return false;
        }

        if (maxText.Length > 0 && !TryVersion(maxText, out max))
        {
            return false;
        }

        if (min is null && max is null)
        {
            return false;
        }

        if (min is not null && max is not null && (min > max || (min == max && !(minInclusive && maxInclusive))))
        {
            return false;
        }

        range = new VersionRange(min, minInclusive, max, maxInclusive, s);
        return true;
    }

    /// <summary>Whether <paramref name="version"/> lies in the range (missing components count as 0).</summary>
    /// <param name="version">The version to test.</param>
    public bool Contains(Version version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var v = Normalize(version);
        if (Min is not null)
        {
            var c = v.CompareTo(Normalize(Min));
            if (c < 0 || (c == 0 && !MinInclusive))
            {
                return false;
            }
        }

        if (Max is not null)
        {
            var c = v.CompareTo(Normalize(Max));
            if (c > 0 || (c == 0 && !MaxInclusive))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private static Version Normalize(Version v) =>
        new(v.Major, Math.Max(v.Minor, 0), Math.Max(v.Build, 0), Math.Max(v.Revision, 0));

    private static bool TryVersion(string text, [NotNullWhen(true)] out Version? version)
    {
        var t = text.Trim();
        if (!t.Contains('.', StringComparison.Ordinal) && int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            version = new Version(major, 0);
            return true;
        }

        return Version.TryParse(t, out version);
    }
}
