using NafflesBotKit.Discord.Commands;
using NafflesBotKit.Discord.Interactions;
using NafflesBotKit.Runtime.Routing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Connects the Discord layer to the runtime (the Discord assembly does not reference the runtime): interactions
/// received by <c>MapDiscordInteractions</c> go to <see cref="InteractionRouter.DispatchAsync"/>, and
/// <see cref="RouteRegistry.Changed"/> triggers command sync, per-guild plugin switches shape guild command sets, and
/// plugins get <c>IDiscordClient</c>.
/// </summary>
public static class DiscordRuntimeBridgeExtensions
{
    /// <summary>Registers the bridge; call after <c>AddNafflesBotRuntime</c> and <c>AddDiscordRest</c>.</summary>
    /// <param name="services">The services.</param>
    public static IServiceCollection AddDiscordRuntimeBridge(this IServiceCollection services)
    {
        services.AddSingleton<IInteractionDispatcher>(sp =>
        {
            var router = sp.GetRequiredService<InteractionRouter>();
            return new DelegateInteractionDispatcher(async (interaction, responder, ct) => await router.DispatchAsync(interaction, responder, ct).ConfigureAwait(false));
        });
        services.AddSingleton<ICommandCatalogChanges>(sp =>
        {
            var registry = sp.GetRequiredService<RouteRegistry>();
            return new DelegateCommandCatalogChanges(h => registry.Changed += h, h => registry.Changed -= h);
        });

        // Per-guild plugin switches shape each guild's command set in Guild sync mode (and re-sync it when switched).
        services.AddSingleton<IGuildCommandScopes>(sp => new DelegateGuildCommandScopes(
            async (guild, ct) => sp.GetService<NafflesBotKit.Runtime.Plugins.PluginAdministration>() is { } admin
                ? await admin.GuildDisabledAsync(guild, ct).ConfigureAwait(false)
                : [],
            h =>
            {
                if (sp.GetService<NafflesBotKit.Runtime.Plugins.PluginAdministration>() is { } admin)
                {
                    admin.GuildPluginsChanged += h;
                }
            },
            h =>
            {
                if (sp.GetService<NafflesBotKit.Runtime.Plugins.PluginAdministration>() is { } admin)
                {
                    admin.GuildPluginsChanged -= h;
                }
            }));

        // Plugins post messages, read members and manage roles through the SDK interface.
        services.AddPluginExport<NafflesBotKit.Discord.IDiscordClient>();
        return services;
    }
}
