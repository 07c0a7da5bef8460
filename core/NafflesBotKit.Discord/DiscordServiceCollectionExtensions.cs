using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NafflesBotKit.Discord;
using NafflesBotKit.Discord.Commands;
using NafflesBotKit.Discord.Interactions;
using NafflesBotKit.Discord.OAuth2;
using NafflesBotKit.Discord.Rest;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Discord REST layer.</summary>
public static class DiscordServiceCollectionExtensions
{
    private static readonly (string Key, Action<DiscordOptions, string> Apply)[] EnvironmentKeys =
    [
        ("DISCORD_API_BASE_URL", (o, v) => o.ApiBaseUrl = v),
        ("DISCORD_PUBLIC_KEY", (o, v) => o.PublicKey ??= v),
        ("Discord:BotToken", (o, v) => o.Token ??= v),
        ("DISCORD_BOT_TOKEN", (o, v) => o.Token ??= v),
        ("DISCORD_TOKEN", (o, v) => o.Token ??= v),
        ("DISCORD_CLIENT_ID", (o, v) => o.ClientId ??= v),
        ("DISCORD_CLIENT_SECRET", (o, v) => o.ClientSecret ??= v),
        ("DISCORD_REDIRECT_URI", (o, v) => o.RedirectUri ??= v),
    ];

    /// <summary>
    /// Adds the Discord REST client (<see cref="DiscordRestClient"/>, also as <see cref="IDiscordClient"/>), the REST
    /// interaction responder, the HTTP-interactions signature verifier, OAuth2, and command sync (run at start and on
    /// <see cref="ICommandCatalogChanges"/>), with <see cref="DiscordOptions"/> bound from section <c>Discord</c>
    /// (environment names such as DISCORD_API_BASE_URL and DISCORD_PUBLIC_KEY fill unset values) and validated at start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration.</param>
    public static IServiceCollection AddDiscordRest(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DiscordOptions>()
            .Bind(configuration.GetSection(DiscordOptions.Section))
            .PostConfigure(o =>
            {
                foreach (var (key, apply) in EnvironmentKeys)
                {
                    if (configuration[key] is { Length: > 0 } value
                        && (key != "DISCORD_API_BASE_URL" || configuration[$"{DiscordOptions.Section}:{nameof(DiscordOptions.ApiBaseUrl)}"] is null))
                    {
                        apply(o, value);
                    }
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordOptions>, DiscordOptionsValidator>());
        services.AddHttpClient(DiscordRestClient.HttpClientName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DiscordRestClient>();
        services.TryAddSingleton<IDiscordClient>(sp => sp.GetRequiredService<DiscordRestClient>());
        services.TryAddSingleton<RestInteractionResponder>();
        services.TryAddSingleton(sp => new InteractionSignatureVerifier(
            sp.GetRequiredService<IOptions<DiscordOptions>>().Value.PublicKey
            ?? throw new InvalidOperationException("Discord:PublicKey (DISCORD_PUBLIC_KEY) is needed for HTTP interactions.")));
        services.TryAddSingleton<DiscordOAuth2Client>();
        services.TryAddSingleton<CommandSynchronizer>();
        services.AddHostedService<CommandSyncService>();
        return services;
    }

    /// <summary>
    /// Adds the Discord health probes: <see cref="DiscordApiProbe"/> (<c>GET {ApiBaseUrl}/gateway</c>) and, when the
    /// gateway is registered (<see cref="NafflesBotKit.Discord.Gateway.IGatewayStatus"/>), the per-shard heartbeat latency
    /// (<see cref="NafflesBotKit.Discord.Gateway.GatewayLatencyProbe"/>). Export them to plugins with
    /// <c>AddPluginExports&lt;IHealthProbe&gt;()</c> and <c>AddPluginExports&lt;IHealthProbeGroup&gt;()</c>.
    /// </summary>
    /// <param name="services">The services (after <see cref="AddDiscordRest"/>).</param>
    /// <param name="gateway">Whether the gateway runs in this process.</param>
    public static IServiceCollection AddDiscordHealthProbes(this IServiceCollection services, bool gateway)
    {
        services.AddHttpClient(DiscordApiProbe.HttpClientName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<NafflesBotKit.Services.IHealthProbe, DiscordApiProbe>());
        if (gateway)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<NafflesBotKit.Services.IHealthProbeGroup, NafflesBotKit.Discord.Gateway.GatewayLatencyProbe>());
        }

        return services;
    }
}

/// <summary>Cross-field checks of <see cref="DiscordOptions"/>.</summary>
internal sealed class DiscordOptionsValidator : IValidateOptions<DiscordOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscordOptions options)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            errors.Add("Discord:ApiBaseUrl must be an absolute http(s) URL such as https://discord.com/api/v10.");
        }

        if (options.PublicKey is not null && !InteractionSignatureVerifier.IsValidKey(options.PublicKey))
        {
            errors.Add("Discord:PublicKey must be the application's public key: 64 hex characters.");
        }

        if (options.CommandSync.Mode != CommandSyncMode.Off && options.ApplicationId == 0)
        {
            errors.Add("Discord:ClientId (the application id) is needed for command sync; set it or set Discord:CommandSync:Mode to Off.");
        }

        if (options.CommandSync.Mode == CommandSyncMode.Guild && options.CommandSync.GuildIds.Count == 0)
        {
            errors.Add("Discord:CommandSync:GuildIds must list at least one guild when Mode is Guild.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
