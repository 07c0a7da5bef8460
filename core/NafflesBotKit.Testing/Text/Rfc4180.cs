using System.Text;

namespace NafflesBotKit.Testing.Text;

/// <summary>An independent RFC 4180 reader for asserting on CSV exports: quoted fields may hold commas, CR, LF and doubled quotes.</summary>
public static class Rfc4180
{
    /// <summary>Parses CSV into rows of fields. Only CRLF-terminated rows are returned.</summary>
    /// <param name="text">The CSV.</param>
    /// <param name="strict">Also reject a line break outside quotes, an unterminated quote and a last row without CRLF.</param>
    /// <exception cref="FormatException">In strict mode, when the text is not RFC 4180.</exception>
    public static List<List<string>> Parse(string text, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                if (strict && c is '\r' or '\n')
                {
                    throw new FormatException($"bare line break outside quotes at {i}");
                }

                field.Append(c);
            }
        }

        if (strict && quoted)
        {
            throw new FormatException("unterminated quote");
        }

        if (strict && (field.Length != 0 || row.Count != 0))
        {
            throw new FormatException("last row lacks CRLF");
        }

        return rows;
    }
}
