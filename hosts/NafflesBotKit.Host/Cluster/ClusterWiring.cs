using Microsoft.Extensions.DependencyInjection.Extensions;
using NafflesBotKit.Discord.Gateway;
using NafflesBotKit.Discord.Rest;
using NafflesBotKit.Plugins;

namespace NafflesBotKit.Host.Cluster;

/// <summary>
/// Several processes serving one bot (docs/operations.md): when <c>Redis:Configuration</c> is set, the identify spacing
/// and daily budget, the REST global limit and the gateway shard leases live in Redis. Shards are leased
/// (<c>Cluster:Enabled</c>, on by default with Redis) unless <c>Discord:Gateway:ShardIds</c> pins them. Without Redis
/// nothing here is registered and one process runs every configured shard, as before.
/// </summary>
internal static class ClusterWiring
{
    public static bool HasRedis(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["Redis:Configuration"]);

    /// <summary>Plugin commands (admin API, owner slash commands) reach every process: registered with or without Discord.</summary>
    public static IServiceCollection AddBotClusterAdministration(this IServiceCollection services, IConfiguration configuration)
    {
        if (!HasRedis(configuration))
        {
            return services;
        }

        services.TryAddSingleton<ClusterIdentity>();
        services.TryAddSingleton<ClusterPluginAdministration>();
        services.Replace(ServiceDescriptor.Singleton<IPluginAdministration>(sp => sp.GetRequiredService<ClusterPluginAdministration>()));
        services.AddHostedService<ClusterAdminRelay>();
        return services;
    }

    public static IServiceCollection AddBotCluster(this IServiceCollection services, IConfiguration configuration)
    {
        if (!HasRedis(configuration))
        {
            return services;
        }

        services.AddSingleton<IIdentifyThrottler, RedisIdentifyThrottler>();
        services.AddSingleton<IDiscordGlobalRateLimit, RedisGlobalRateLimit>();
        services.AddSingleton<IShardLeaseStore, RedisShardLeaseStore>();
        var pinned = configuration.GetSection("Discord:Gateway:ShardIds").GetChildren().Any();
        var explicitly = configuration["Cluster:Enabled"];
        services.PostConfigure<ShardClusterOptions>(o =>
        {
            if (string.IsNullOrWhiteSpace(explicitly))
            {
                o.Enabled = !pinned;
            }
        });
        return services;
    }
}
