using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Runtime.Services;
using NafflesBotKit.Runtime.Services.Caching;
using NafflesBotKit.Runtime.Services.Permissions;
using NafflesBotKit.Runtime.Services.RateLimiting;
using NafflesBotKit.Runtime.Services.Store;
using NafflesBotKit.Services;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the host's core services: permissions, rate limits, cache and plugin store.</summary>
public static class NafflesBotServicesServiceCollectionExtensions
{
    /// <summary>
    /// Adds the permission and rate-limit guards, the two-level cache and the plugin store, with options bound from
    /// <paramref name="configuration"/> (sections <c>Storage</c>, <c>Redis</c>, <c>RateLimits</c>, <c>Cache</c>,
    /// <c>Permissions</c>) and validated at start. Without <c>Redis:Configuration</c> everything is embedded (memory
    /// and a SQLite file); with it the store, rate limits and the cache's second level use Redis. Plugins receive
    /// <see cref="IPluginStore"/> (scoped to their id), <see cref="IRateLimiter"/> (keys prefixed with their id),
    /// <see cref="IBotCache"/> and <see cref="IPermissionOverrides"/>. Register an <see cref="ICommunityRoleSource"/>
    /// (the Naffles client) to answer community-role checks.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration.</param>
    public static IServiceCollection AddNafflesBotServices(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Bind<StorageOptions>(services, configuration, StorageOptions.Section);
        Bind<RedisOptions>(services, configuration, RedisOptions.Section);
        Bind<RateLimitOptions>(services, configuration, RateLimitOptions.Section);
        Bind<CacheOptions>(services, configuration, CacheOptions.Section);
        Bind<PermissionOptions>(services, configuration, PermissionOptions.Section);
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);

        var redis = !string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.Section}:{nameof(RedisOptions.Configuration)}"]);
        if (redis)
        {
            services.TryAddSingleton<RedisConnection>();
            services.TryAddSingleton<IKeyValueBackend, RedisKeyValueBackend>();
            services.TryAddSingleton<IRateLimiter, RedisRateLimiter>();
            services.TryAddSingleton<IDistributedCache, RedisDistributedCache>();

            // Redis ping for the health monitor.
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHealthProbe, RedisPingProbe>());
            services.AddPluginExports<IHealthProbe>();
        }
        else
        {
            services.TryAddSingleton<IKeyValueBackend, SqliteKeyValueBackend>();
            services.TryAddSingleton<IRateLimiter, MemoryRateLimiter>();
        }

        // Store.
        services.TryAddSingleton<PluginStoreFactory>();
        services.AddPluginExport<IPluginStore>((sp, pluginId) => sp.GetRequiredService<PluginStoreFactory>().For(pluginId));

        // Rate limits.
        services.AddPluginExport<IRateLimiter>((sp, pluginId) => new PluginRateLimiter(sp.GetRequiredService<IRateLimiter>(), pluginId));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInteractionGuard, RateLimitGuard>());

        // Cache.
        services.AddHybridCache();
        services.TryAddSingleton<IBotCache, BotCache>();
        services.AddPluginExport<IBotCache>();

        // Permissions.
        services.TryAddSingleton<GuildDirectory>();
        services.TryAddSingleton<IGuildOwnerLookup>(sp => sp.GetRequiredService<GuildDirectory>());
        services.TryAddSingleton<ICommunityRoleSource, NafflesCommunityRoleSource>();
        services.TryAddSingleton(sp => new CachedCommunityRoleSource(
            sp.GetRequiredService<ICommunityRoleSource>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<PermissionOptions>>()));
        services.TryAddSingleton<IPermissionOverrides, PermissionOverrideStore>();
        services.AddPluginExport<IPermissionOverrides>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInteractionGuard, PermissionGuard>());

        // Operator controls (admin API, owner-only commands) and per-guild plugin switches.
        services.TryAddSingleton<NafflesBotKit.Runtime.Plugins.PluginAdministration>();
        services.TryAddSingleton<NafflesBotKit.Plugins.IPluginAdministration>(sp => sp.GetRequiredService<NafflesBotKit.Runtime.Plugins.PluginAdministration>());
        services.AddPluginExport<NafflesBotKit.Plugins.IPluginAdministration>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInteractionGuard, NafflesBotKit.Runtime.Plugins.GuildPluginGuard>());

        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, GuildDataService>());
        return services;
    }

    private static void Bind<TOptions>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class =>
        services.AddOptions<TOptions>()
            .Bind(configuration.GetSection(section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
}
