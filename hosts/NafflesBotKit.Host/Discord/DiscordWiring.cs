using NafflesBotKit.Discord.Commands;
using NafflesBotKit.Discord.Gateway;
using NafflesBotKit.Discord.Interactions;
using NafflesBotKit.Host.Health;
using NafflesBotKit.Runtime.Routing;

namespace NafflesBotKit.Host.Discord;

/// <summary>
/// Connects the host to Discord when credentials are configured: REST (rate-limited), command sync, the gateway
/// (default) or signed HTTP interactions (<c>Discord:Interactions = Http</c>, needs <c>Discord:PublicKey</c>), and
/// <c>IDiscordClient</c> for plugins. This is also the bridge between the Discord layer and the runtime (neither
/// references the other): the router answers interactions, the route table's changes trigger command sync. Without a bot token nothing is registered and the host runs on its own.
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

        services.AddDiscordRest(configuration);

        // The runtime's route table drives command sync (the Discord assembly does not reference the runtime).
        services.AddSingleton<ICommandCatalogChanges>(sp =>
        {
            var registry = sp.GetRequiredService<RouteRegistry>();
            return new DelegateCommandCatalogChanges(h => registry.Changed += h, h => registry.Changed -= h);
        });

        // Plugins post messages, read members and manage roles through the SDK interface.
        services.AddPluginExport<NafflesBotKit.Discord.IDiscordClient>();

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
