using System.Collections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace NafflesBotKit.Host.Configuration;

/// <summary>
/// The environment variable names of the original (JavaScript) bot, mapped onto this host's structured keys so an
/// existing deployment's <c>.env</c> keeps working unchanged.
/// </summary>
internal static class SeedEnvironmentVariables
{
    /// <summary>Flat seed name → structured configuration key.</summary>
    public static IReadOnlyDictionary<string, string> Map { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DISCORD_BOT_TOKEN"] = "Discord:BotToken",
        ["DISCORD_CLIENT_ID"] = "Discord:ClientId",
        ["DISCORD_CLIENT_SECRET"] = "Discord:ClientSecret",
        ["DISCORD_REDIRECT_URI"] = "Discord:RedirectUri",
        ["DISCORD_PUBLIC_KEY"] = "Discord:PublicKey",
        ["DISCORD_API_BASE_URL"] = "Discord:ApiBaseUrl",
        ["NAFFLES_API_BASE_URL"] = "Naffles:BaseUrl",
        ["NAFFLES_API_KEY"] = "Naffles:ApiKey",
        ["WEBHOOK_SECRET"] = "Webhooks:Secret",
    };

    /// <summary>
    /// Adds the seed names just before the unprefixed environment-variable source, so that precedence is:
    /// appsettings files &lt; seed names &lt; structured environment variables (<c>Discord__BotToken</c>) &lt;
    /// command line. A structured key therefore wins when both it and the seed name are set.
    /// </summary>
    /// <param name="builder">The configuration builder (e.g. <c>WebApplicationBuilder.Configuration</c>).</param>
    /// <param name="variables">The environment to read; the process environment when null (tests pass their own).</param>
    public static IConfigurationBuilder AddSeedEnvironmentVariables(this IConfigurationBuilder builder, IDictionary? variables = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var source = new SeedEnvironmentVariablesSource(variables);
        var sources = builder.Sources;
        var index = -1;
        for (var i = sources.Count - 1; i >= 0; i--)
        {
            if (sources[i] is EnvironmentVariablesConfigurationSource { Prefix: null or "" })
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            sources.Add(source);
        }
        else
        {
            sources.Insert(index, source);
        }

        return builder;
    }
}

/// <summary>Reads the seed's environment variable names (see <see cref="SeedEnvironmentVariables.Map"/>).</summary>
/// <param name="variables">The environment to read; the process environment when null.</param>
internal sealed class SeedEnvironmentVariablesSource(IDictionary? variables = null) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new SeedEnvironmentVariablesProvider(variables);
}

internal sealed class SeedEnvironmentVariablesProvider(IDictionary? variables) : ConfigurationProvider
{
    public override void Load()
    {
        var environment = variables ?? Environment.GetEnvironmentVariables();
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, key) in SeedEnvironmentVariables.Map)
        {
            // An empty variable (NAME= in a .env file) means "not set", not "set to empty".
            if (environment[name] is string value && value.Length > 0)
            {
                data[key] = value;
            }
        }

        Data = data;
    }
}
