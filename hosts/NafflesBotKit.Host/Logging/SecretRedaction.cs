using Microsoft.Extensions.Configuration;
using Serilog.Core;
using Serilog.Events;

namespace NafflesBotKit.Host.Logging;

/// <summary>
/// Keeps secrets out of the log. Two rules, applied to every property of every event (at any depth, including
/// objects destructured with <c>{@Options}</c>):
/// <list type="bullet">
/// <item>a property whose name looks sensitive (contains token, secret, password, apikey, key, …) is replaced by
/// <see cref="Mask"/>;</item>
/// <item>any other text property that contains the value of a sensitive configuration key (the bot token inside a
/// URL, say) has that value masked.</item>
/// </list>
/// Message templates are source code, not data, so they are left alone; never interpolate a secret into one.
/// </summary>
internal sealed class SecretRedactor : ILogEventEnricher
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>Configuration values shorter than this are not scrubbed from text (they would mask ordinary words).</summary>
    internal const int MinimumSecretLength = 6;

    private static readonly string[] SensitiveNameParts =
    [
        "token", "secret", "password", "passwd", "apikey", "api_key", "key", "credential", "authorization", "connectionstring",
    ];

    private readonly string[] _secrets;

    /// <summary>Creates the redactor.</summary>
    /// <param name="secretValues">Known secret values to scrub from any text.</param>
    public SecretRedactor(IEnumerable<string> secretValues)
    {
        // Longest first, so a secret that contains another is masked whole.
        _secrets = [.. secretValues
            .Where(s => s.Length >= MinimumSecretLength)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)];
    }

    /// <summary>A redactor that knows every sensitive value in <paramref name="configuration"/>.</summary>
    /// <param name="configuration">The host's configuration.</param>
    public static SecretRedactor FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var secrets = configuration.AsEnumerable()
            .Where(kv => !string.IsNullOrEmpty(kv.Value) && IsSensitiveName(LastSegment(kv.Key)))
            .Select(kv => kv.Value!);
        return new SecretRedactor(secrets);
    }

    /// <summary>Whether a property or configuration key name denotes a secret.</summary>
    /// <param name="name">Property name or configuration key segment.</param>
    public static bool IsSensitiveName(string? name) =>
        !string.IsNullOrEmpty(name) && SensitiveNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc />
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var redacted = Redact(name, value);
            if (!ReferenceEquals(redacted, value))
            {
                (changed ??= []).Add(new LogEventProperty(name, redacted));
            }
        }

        if (changed is not null)
        {
            foreach (var property in changed)
            {
                logEvent.AddOrUpdateProperty(property);
            }
        }
    }

    /// <summary>Scrubs known secret values from <paramref name="text"/>.</summary>
    /// <param name="text">Any text.</param>
    public string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>Returns <paramref name="value"/> itself when nothing needed masking.</summary>
    private LogEventPropertyValue Redact(string? name, LogEventPropertyValue value)
    {
        if (IsSensitiveName(name))
        {
            // Nothing to hide in "not set" or in a flag such as HasCredentials.
            return value is ScalarValue { Value: null or bool } ? value : new ScalarValue(Mask);
        }

        switch (value)
        {
            case ScalarValue { Value: string text }:
            {
                var scrubbed = Scrub(text);
                return ReferenceEquals(scrubbed, text) ? value : new ScalarValue(scrubbed);
            }

            case ScalarValue { Value: Uri uri }:
            {
                var text = uri.ToString();
                var scrubbed = Scrub(text);
                return ReferenceEquals(scrubbed, text) ? value : new ScalarValue(scrubbed);
            }

            case StructureValue structure:
            {
                var properties = structure.Properties.Select(p => (p, Redacted: Redact(p.Name, p.Value))).ToList();
                return properties.All(x => ReferenceEquals(x.p.Value, x.Redacted))
                    ? value
                    : new StructureValue(properties.Select(x => new LogEventProperty(x.p.Name, x.Redacted)), structure.TypeTag);
            }

            case SequenceValue sequence:
            {
                var elements = sequence.Elements.Select(e => (e, Redacted: Redact(null, e))).ToList();
                return elements.All(x => ReferenceEquals(x.e, x.Redacted)) ? value : new SequenceValue(elements.Select(x => x.Redacted));
            }

            case DictionaryValue dictionary:
            {
                var entries = dictionary.Elements
                    .Select(kv => (kv.Key, kv.Value, Redacted: Redact(kv.Key.Value?.ToString(), kv.Value)))
                    .ToList();
                return entries.All(x => ReferenceEquals(x.Value, x.Redacted))
                    ? value
                    : new DictionaryValue(entries.Select(x => new KeyValuePair<ScalarValue, LogEventPropertyValue>(x.Key, x.Redacted)));
            }

            default:
                return value;
        }
    }

    private static string LastSegment(string key)
    {
        var colon = key.LastIndexOf(':');
        return colon < 0 ? key : key[(colon + 1)..];
    }
}
