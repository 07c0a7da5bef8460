using System.Diagnostics.CodeAnalysis;

namespace NafflesBotKit.Runtime.Routing;

/// <summary>
/// A custom-id template such as <c>task:complete:{taskId}</c>: literal text and <c>{name}</c> placeholders. A
/// placeholder captures one or more characters up to the next literal (the last one captures the rest).
/// </summary>
public sealed class CustomIdTemplate
{
    private readonly string[] _literals; // literal before placeholder i, and the trailing literal last
    private readonly string[] _names;

    private CustomIdTemplate(string text, string[] literals, string[] names)
    {
        Text = text;
        _literals = literals;
        _names = names;
    }

    /// <summary>The template text.</summary>
    public string Text { get; }

    /// <summary>The literal text before the first placeholder: what routes are indexed by.</summary>
    public string Prefix => _literals[0];

    /// <summary>Placeholder names in order.</summary>
    public IReadOnlyList<string> PlaceholderNames => _names;

    /// <summary>Parses a template or throws <see cref="FormatException"/> explaining what is wrong.</summary>
    /// <param name="text">The template.</param>
    public static CustomIdTemplate Parse(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new FormatException("A custom-id template cannot be empty.");
        }

        if (text.Length > 100)
        {
            throw new FormatException($"Custom-id template '{text}' is {text.Length} characters; Discord's custom_id limit is 100.");
        }

        var literals = new List<string>();
        var names = new List<string>();
        var literalStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '}')
            {
                throw new FormatException($"Custom-id template '{text}' has an unmatched '}}' at {i}.");
            }

            if (text[i] != '{')
            {
                i++;
                continue;
            }

            var close = text.IndexOf('}', i + 1);
            if (close < 0)
            {
                throw new FormatException($"Custom-id template '{text}' has an unclosed '{{' at {i}.");
            }

            var name = text[(i + 1)..close];
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new FormatException($"Custom-id template '{text}' has an invalid placeholder name '{name}'.");
            }

            if (names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw new FormatException($"Custom-id template '{text}' uses placeholder '{name}' twice.");
            }

            var literal = text[literalStart..i];
            if (names.Count > 0 && literal.Length == 0)
            {
                throw new FormatException($"Custom-id template '{text}' has two placeholders with nothing between them.");
            }

            literals.Add(literal);
            names.Add(name);
            i = close + 1;
            literalStart = i;
        }

        literals.Add(text[literalStart..]);
        if (literals[0].Length == 0)
        {
            throw new FormatException($"Custom-id template '{text}' must start with literal text (a prefix that identifies the handler).");
        }

        return new CustomIdTemplate(text, [.. literals], [.. names]);
    }

    /// <summary>Matches a custom id against the template.</summary>
    /// <param name="customId">The custom id.</param>
    /// <param name="captures">Captured values by placeholder name (case-insensitive), or null when it does not match.</param>
    public bool TryMatch(string customId, [NotNullWhen(true)] out Dictionary<string, string>? captures)
    {
        captures = null;
        var span = customId.AsSpan();
        if (!span.StartsWith(_literals[0], StringComparison.Ordinal))
        {
            return false;
        }

        if (_names.Length == 0)
        {
            if (span.Length != _literals[0].Length)
            {
                return false;
            }

            captures = new Dictionary<string, string>(0, StringComparer.OrdinalIgnoreCase);
            return true;
        }

        var result = new Dictionary<string, string>(_names.Length, StringComparer.OrdinalIgnoreCase);
        var position = _literals[0].Length;
        for (var p = 0; p < _names.Length; p++)
        {
            var next = _literals[p + 1];
            int end;
            if (p == _names.Length - 1)
            {
                // The last placeholder takes everything up to the trailing literal, which must end the id.
                if (!span.EndsWith(next, StringComparison.Ordinal))
                {
                    return false;
                }

                end = span.Length - next.Length;
            }
            else
            {
                var found = span[position..].IndexOf(next, StringComparison.Ordinal);
                if (found < 0)
                {
                    return false;
                }

                end = position + found;
            }

            if (end <= position)
            {
                return false; // placeholders capture at least one character
            }

            result[_names[p]] = customId[position..end];
            position = end + next.Length;
        }

        captures = result;
        return true;
    }

    /// <summary>Fills the template's placeholders (for building custom ids that this template matches).</summary>
    /// <param name="values">Values by placeholder name.</param>
    public string Format(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var parts = new System.Text.StringBuilder(_literals[0]);
        for (var p = 0; p < _names.Length; p++)
        {
            if (!values.TryGetValue(_names[p], out var v) || string.IsNullOrEmpty(v))
            {
                throw new ArgumentException($"No value for placeholder '{_names[p]}' of template '{Text}'.", nameof(values));
            }

            parts.Append(v).Append(_literals[p + 1]);
        }

        return parts.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
