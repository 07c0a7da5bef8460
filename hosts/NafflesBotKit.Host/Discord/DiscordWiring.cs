using NafflesBotKit.Discord.Gateway;
using NafflesBotKit.Discord.Interactions;
using NafflesBotKit.Host.Cluster;
using NafflesBotKit.Host.Health;

namespace NafflesBotKit.Host.Discord;

/// <summary>
/// Connects the host to Discord when credentials are configured: REST (rate-limited), command sync, the gateway
/// (default) or signed HTTP interactions (<c>Discord:Interactions = Http</c>, needs <c>Discord:PublicKey</c>), and
/// <c>IDiscordClient</c> for plugins. Without a bot token nothing is registered and the host runs on its own.
/// </summary>
internal static class DiscordWiring
{
    public static bool HasCredentials(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["Discord:BotToken"]);

    public static bool UsesHttpInteractions(IConfiguration configuration) =>
        string.Equals(configuration["Discord:Interactions"], "Http", StringComparison.OrdinalIgnoreCase);

    public static IServiceCollection AddBotDiscord(this IServiceCollection services, IConfiguration configuration)
    {
        if (!HasCredentials(configuration))
        {
            return services;
        }

        services.AddBotCluster(configuration);
        services.AddDiscordRest(configuration);
        services.AddDiscordRuntimeBridge();

        // Interactions go through the metered router (counts by plugin, command and outcome; latency).
        services.AddSingleton<IInteractionDispatcher>(sp =>
        {
            var router = sp.GetRequiredService<MeteredInteractionRouter>();
            return new DelegateInteractionDispatcher(async (interaction, responder, ct) => await router.DispatchAsync(interaction, responder, ct).ConfigureAwait(false));
        });
        if (!UsesHttpInteractions(configuration))
        {
            services.AddSingleton<IGatewayInteractionHandler, GatewayInteractionHandler>();
            services.AddDiscordGateway(configuration);
            services.AddHealthChecks().AddDiscordGateway();
        }

        // Discord GET /gateway and per-shard heartbeat latency for the HealthMonitor plugin.
        services.AddDiscordHealthProbes(gateway: !UsesHttpInteractions(configuration));
        services.AddPluginExports<NafflesBotKit.Services.IHealthProbe>();
        services.AddPluginExports<NafflesBotKit.Services.IHealthProbeGroup>();

        return services;
    }

    public static WebApplication MapBotDiscord(this WebApplication app)
    {
        if (HasCredentials(app.Configuration) && UsesHttpInteractions(app.Configuration))
        {
            app.MapDiscordInteractions("/interactions");
        }

        return app;
    }
}
