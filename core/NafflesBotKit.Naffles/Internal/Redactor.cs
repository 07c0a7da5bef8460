using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NafflesBotKit.Naffles.Internal;

/// <summary>
/// Removes secrets before anything is logged (seed: <c>sanitizeHeaders</c>, <c>sanitizeRequestData</c>,
/// extended): secret headers, secret (and personal: e-mail) JSON keys at any depth (case-insensitive, ignoring <c>-</c>/<c>_</c>),
/// secret query and form values, and, as a last line, any literal occurrence of the configured key.
/// </summary>
internal static partial class Redactor
{
    public const string Redacted = "[REDACTED]";

    private static readonly HashSet<string> SecretNames = new(StringComparer.Ordinal)
    {
        "authorization", "proxyauthorization", "xapikey", "apikey", "password", "passwd", "token", "secret", "secrets",
        "cookie", "setcookie", "accesstoken", "refreshtoken", "clientsecret", "webhooksecret", "privatekey",

        // Personal data: the account lookup of OAuth2 linking sends the verified e-mail address.
        "email", "emailaddress", "mail",
    };

    public static bool IsSecretName(string name)
    {
        var normalized = Normalize(name);
        return SecretNames.Contains(normalized)
            || normalized.EndsWith("token", StringComparison.Ordinal)
            || normalized.EndsWith("secret", StringComparison.Ordinal)
            || normalized.EndsWith("password", StringComparison.Ordinal)
            || normalized.EndsWith("apikey", StringComparison.Ordinal);
    }

    public static string Header(string name, string value, string? apiKey) =>
        IsSecretName(name) ? Redacted : Literal(value, apiKey);

    public static string Url(Uri? uri, string? apiKey)
    {
        if (uri is null)
        {
            return "";
        }

        var text = uri.IsAbsoluteUri ? uri.AbsoluteUri : uri.OriginalString;
        return Literal(FormPairs().Replace(text, m => IsSecretName(Uri.UnescapeDataString(m.Groups["key"].Value)) ? m.Groups["lead"].Value + m.Groups["key"].Value + "=" + Redacted : m.Value), apiKey);
    }

    public static string? Body(string? body, string? apiKey)
    {
        if (string.IsNullOrEmpty(body))
        {
            return body;
        }

        var trimmed = body.AsSpan().TrimStart();
        if (!trimmed.IsEmpty && (trimmed[0] == '{' || trimmed[0] == '['))
        {
            try
            {
                var node = JsonNode.Parse(body);
                RedactNode(node);
                return Literal(node?.ToJsonString() ?? body, apiKey);
            }
            catch (JsonException)
            {
                // Fall through to the text rules (e.g. truncated JSON).
            }
        }

        var text = JsonLikePairs().Replace(body, m => IsSecretName(m.Groups["key"].Value) ? m.Groups["head"].Value + "\"" + Redacted + "\"" : m.Value);
        text = FormPairs().Replace(text, m => IsSecretName(Uri.UnescapeDataString(m.Groups["key"].Value)) ? m.Groups["lead"].Value + m.Groups["key"].Value + "=" + Redacted : m.Value);
        return Literal(text, apiKey);
    }

    public static string? Truncate(string? text, int maxChars)
    {
        if (text is null || text.Length <= maxChars)
        {
            return text;
        }

        return new StringBuilder(maxChars + 32).Append(text, 0, maxChars).Append("…[truncated ").Append(text.Length - maxChars).Append(" chars]").ToString();
    }

    private static void RedactNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (IsSecretName(key))
                    {
                        obj[key] = Redacted;
                    }
                    else
                    {
                        RedactNode(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RedactNode(item);
                }

                break;
        }
    }

    private static string Literal(string text, string? apiKey) =>
        string.IsNullOrEmpty(apiKey) || apiKey.Length < 4 ? text : text.Replace(apiKey, Redacted, StringComparison.Ordinal);

    private static string Normalize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c is not ('-' or '_' or ' ' or '.'))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"(?<lead>^|[?&;\s])(?<key>[^=&?#;\s]+)=(?<value>[^&#;\s]*)")]
    private static partial Regex FormPairs();

    [GeneratedRegex("(?<head>\"(?<key>[^\"\\\\]+)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"?")]
    private static partial Regex JsonLikePairs();
}
