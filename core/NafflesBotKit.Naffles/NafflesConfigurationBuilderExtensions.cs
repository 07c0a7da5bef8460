using NafflesBotKit.Naffles;

namespace Microsoft.Extensions.Configuration;

/// <summary>Maps the seed's environment variables onto the <c>Naffles</c> configuration section.</summary>
public static class NafflesConfigurationBuilderExtensions
{
    /// <summary>The seed's base-URL variable.</summary>
    public const string BaseUrlVariable = "NAFFLES_API_BASE_URL";

    /// <summary>The seed's API-key variable.</summary>
    public const string ApiKeyVariable = "NAFFLES_API_KEY";

    /// <summary>
    /// Adds <c>NAFFLES_API_BASE_URL</c> and <c>NAFFLES_API_KEY</c> from the process environment as
    /// <c>Naffles:BaseUrl</c> and <c>Naffles:ApiKey</c>. Sources added later override them.
    /// </summary>
    /// <param name="builder">The configuration builder.</param>
    /// <returns>The builder.</returns>
    public static IConfigurationBuilder AddNafflesEnvironmentVariables(this IConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddInMemoryCollection(MapEnvironmentVariables(Environment.GetEnvironmentVariable));
    }

    /// <summary>The configuration pairs for the seed's variables that are set (non-empty).</summary>
    /// <param name="getVariable">Reads a variable, e.g. <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <returns>Pairs keyed <c>Naffles:BaseUrl</c> / <c>Naffles:ApiKey</c>.</returns>
    public static IReadOnlyList<KeyValuePair<string, string?>> MapEnvironmentVariables(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var pairs = new List<KeyValuePair<string, string?>>(2);
        Add(BaseUrlVariable, $"{NafflesApiOptions.SectionName}:{nameof(NafflesApiOptions.BaseUrl)}");
        Add(ApiKeyVariable, $"{NafflesApiOptions.SectionName}:{nameof(NafflesApiOptions.ApiKey)}");
        return pairs;

        void Add(string variable, string key)
        {
            var value = getVariable(variable);
            if (!string.IsNullOrWhiteSpace(value))
            {
                pairs.Add(new(key, value));
            }
        }
    }
}
