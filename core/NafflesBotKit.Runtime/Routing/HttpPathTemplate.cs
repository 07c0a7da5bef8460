using System.Diagnostics.CodeAnalysis;

namespace NafflesBotKit.Runtime.Routing;

/// <summary>An absolute path template with literal and <c>{name}</c> segments, e.g. <c>/webhooks/naffles/{event}</c>.</summary>
public sealed class HttpPathTemplate
{
    private readonly string?[] _literals; // null where the segment is a capture
    private readonly string?[] _names;

    private HttpPathTemplate(string text, string?[] literals, string?[] names)
    {
        Text = text;
        _literals = literals;
        _names = names;
        Shape = "/" + string.Join('/', literals.Select(l => l ?? "{}"));
    }

    /// <summary>The template.</summary>
    public string Text { get; }

    /// <summary>The template with capture names erased: two templates with the same shape match the same paths.</summary>
    public string Shape { get; }

    /// <summary>Parses a template or throws <see cref="FormatException"/>.</summary>
    /// <param name="text">The template.</param>
    public static HttpPathTemplate Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text[0] != '/')
        {
            throw new FormatException($"HTTP path template '{text}' must be an absolute path starting with '/'.");
        }

        var segments = text.Trim('/').Split('/');
        var literals = new string?[segments.Length];
        var names = new string?[segments.Length];
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Length > 2 && segment[0] == '{' && segment[^1] == '}')
            {
                names[i] = segment[1..^1];
            }
            else if (segment.Length == 0 || segment.Contains('{', StringComparison.Ordinal) || segment.Contains('}', StringComparison.Ordinal))
            {
                throw new FormatException($"HTTP path template '{text}' has an invalid segment '{segment}'.");
            }
            else
            {
                literals[i] = segment;
            }
        }

        if (literals[0] is null)
        {
            throw new FormatException($"HTTP path template '{text}' must start with a literal segment.");
        }

        return new HttpPathTemplate(text, literals, names);
    }

    /// <summary>Matches a request path (case-insensitive literals, no trailing-slash distinction).</summary>
    /// <param name="path">The request path.</param>
    /// <param name="values">Captured values.</param>
    public bool TryMatch(string path, [NotNullWhen(true)] out Dictionary<string, string>? values)
    {
        values = null;
        var segments = path.Trim('/').Split('/');
        if (segments.Length != _literals.Length)
        {
            return false;
        }

        Dictionary<string, string>? captured = null;
        for (var i = 0; i < segments.Length; i++)
        {
            if (_literals[i] is { } literal)
            {
                if (!string.Equals(literal, segments[i], StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
            else
            {
                if (segments[i].Length == 0)
                {
                    return false;
                }

                captured ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                captured[_names[i]!] = Uri.UnescapeDataString(segments[i]);
            }
        }

        values = captured ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        return true;
    }
}
