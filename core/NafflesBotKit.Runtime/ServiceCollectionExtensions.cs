using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NafflesBotKit.Events;
using NafflesBotKit.Interactions;
using NafflesBotKit.Runtime;
using NafflesBotKit.Runtime.Events;
using NafflesBotKit.Runtime.Plugins;
using NafflesBotKit.Runtime.Routing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the NafflesBotKit runtime.</summary>
public static class NafflesBotRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the plugin manager, router, route registry and event bus, with options bound from
    /// <paramref name="configuration"/> (sections <c>Plugins</c> and <c>Interactions</c>) and validated at start.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration.</param>
    public static IServiceCollection AddNafflesBotRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PluginHostOptions>()
            .Bind(configuration.GetSection(PluginHostOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<InteractionRouterOptions>()
            .Bind(configuration.GetSection(InteractionRouterOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IConfiguration>(configuration);
        services.TryAddSingleton<EventBus>();
        services.TryAddSingleton<IEventBus>(sp => sp.GetRequiredService<EventBus>());
        services.TryAddSingleton<RouteRegistry>();
        services.TryAddSingleton<ICommandCatalog>(sp => sp.GetRequiredService<RouteRegistry>());
        services.TryAddSingleton<InteractionRouter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInteractionGuard, InteractionObservationGuard>());
        services.TryAddSingleton<PluginHttpDispatcher>();
        services.TryAddSingleton<PluginManager>();
        services.AddHostedService<PluginLifetimeService>();
        services.AddHostedService<PluginFolderWatcher>();
        return services;
    }

    /// <summary>Makes the host's <typeparamref name="TService"/> singleton available inside every plugin's container.</summary>
    /// <typeparam name="TService">An SDK type.</typeparam>
    /// <param name="services">The host's services.</param>
    public static IServiceCollection AddPluginExport<TService>(this IServiceCollection services)
        where TService : class
    {
        // A plain export never downgrades an enumerable one (AddPluginExports) of the same type.
        if (!services.Any(d => d.ImplementationInstance is PluginServiceExport e && e.ServiceType == typeof(TService)))
        {
            services.AddSingleton(new PluginServiceExport(typeof(TService)));
        }

        return services;
    }

    /// <summary>
    /// Makes every registration of <typeparamref name="TService"/> in the host available inside every plugin's
    /// container (plugins resolve <c>IEnumerable&lt;TService&gt;</c>; a single resolve gets the last, as in the host).
    /// Replaces a plain export of the same type. For probes and other sets.
    /// </summary>
    /// <typeparam name="TService">An SDK type.</typeparam>
    /// <param name="services">The host's services.</param>
    public static IServiceCollection AddPluginExports<TService>(this IServiceCollection services)
        where TService : class
    {
        var existing = services.Where(d => d.ImplementationInstance is PluginServiceExport e && e.ServiceType == typeof(TService)).ToList();
        if (existing.Any(d => d.ImplementationInstance is PluginServiceExport { All: true }))
        {
            return services;
        }

        foreach (var descriptor in existing)
        {
            services.Remove(descriptor);
        }

        services.AddSingleton(new PluginServiceExport(typeof(TService), All: true));
        return services;
    }

    /// <summary>
    /// Gives every plugin its own <typeparamref name="TService"/>, made by <paramref name="perPlugin"/> from the host's
    /// services and the plugin's id (for services scoped to a plugin, such as its store). Replaces a plain export of
    /// the same type.
    /// </summary>
    /// <typeparam name="TService">An SDK type.</typeparam>
    /// <param name="services">The host's services.</param>
    /// <param name="perPlugin">Creates the plugin's instance; it is not disposed with the plugin.</param>
    public static IServiceCollection AddPluginExport<TService>(this IServiceCollection services, Func<IServiceProvider, string, TService> perPlugin)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(perPlugin);
        var existing = services.Where(d => d.ImplementationInstance is PluginServiceExport e && e.ServiceType == typeof(TService)).ToList();
        foreach (var descriptor in existing)
        {
            services.Remove(descriptor);
        }

        services.AddSingleton(new PluginServiceExport(typeof(TService), (sp, id) => perPlugin(sp, id)));
        return services;
    }
}
