using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NafflesBotKit.Discord.Gateway;
using NafflesBotKit.Events;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Discord gateway.</summary>
public static class DiscordGatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds the sharded gateway client (options from section <c>Discord:Gateway</c>, validated at start), the
    /// default <c>GET /gateway/bot</c> source and in-process identify throttler (both replaceable), the
    /// <see cref="GatewayEventPublisher"/> as event sink, the per-shard status, and the hosted service running it.
    /// Register an <see cref="IGatewayInteractionHandler"/> to receive INTERACTION_CREATE, and an
    /// <see cref="IEventBus"/> (the runtime's) for the guild events. Every default is registered with TryAdd, so an
    /// <see cref="IGatewayInfoSource"/>, <see cref="IIdentifyThrottler"/> (Redis) or <see cref="IGatewayEventSink"/>
    /// registered earlier wins; so does an <see cref="IShardLeaseStore"/> (Redis) for a cluster (section <c>Cluster</c>, see
    /// <see cref="ShardClusterOptions"/>).
    /// </summary>
    /// <param name="services">Services.</param>
    /// <param name="configuration">The root configuration.</param>
    public static IServiceCollection AddDiscordGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DiscordGatewayOptions>()
            .Bind(configuration.GetSection(DiscordGatewayOptions.Section))
            .PostConfigure(o =>
            {
                // One bot token for the whole host: Discord:BotToken (DISCORD_BOT_TOKEN) unless the gateway has its own.
                if (string.IsNullOrWhiteSpace(o.Token))
                {
                    o.Token = configuration["Discord:BotToken"] ?? configuration["Discord:Token"] ?? configuration["DISCORD_BOT_TOKEN"] ?? string.Empty;
                }

                // And the host's REST base URL (DISCORD_API_BASE_URL) unless the gateway has its own.
                var restBase = configuration["Discord:ApiBaseUrl"] ?? configuration["DISCORD_API_BASE_URL"];
                if (configuration["Discord:Gateway:ApiBaseUrl"] is null && Uri.TryCreate(restBase, UriKind.Absolute, out var api))
                {
                    o.ApiBaseUrl = api;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordGatewayOptions>, DiscordGatewayOptionsValidator>());
        services.AddOptions<ShardClusterOptions>()
            .Bind(configuration.GetSection(ShardClusterOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => !o.Enabled || o.RenewInterval * 2 < o.LeaseDuration, "Cluster:RenewInterval must be less than half of Cluster:LeaseDuration (a lease must survive one missed renewal).")
            .ValidateOnStart();
        services.TryAddSingleton<IShardLeaseStore>(sp => new InMemoryShardLeaseStore(sp.GetRequiredService<TimeProvider>()));
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        // TryAdd: the REST layer may register its own source (through its rate limiter) before or after this.
        services.AddHttpClient(HttpGatewayInfoSource.HttpClientName);
        services.TryAddSingleton<IGatewayInfoSource>(sp => new HttpGatewayInfoSource(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<DiscordGatewayOptions>>()));
        services.TryAddSingleton<IIdentifyThrottler>(sp => new LocalIdentifyThrottler(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new GatewayEventPublisher(
            sp.GetRequiredService<IEventBus>(),
            sp.GetService<IGatewayInteractionHandler>(),
            sp.GetService<ILogger<GatewayEventPublisher>>()));
        services.TryAddSingleton<IGatewayEventSink>(sp => sp.GetRequiredService<GatewayEventPublisher>());
        services.TryAddSingleton(sp => new DiscordGatewayClient(
            sp.GetRequiredService<IOptions<DiscordGatewayOptions>>(),
            sp.GetRequiredService<IGatewayInfoSource>(),
            sp.GetRequiredService<IIdentifyThrottler>(),
            sp.GetRequiredService<IGatewayEventSink>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            random: null,
            sp.GetRequiredService<IShardLeaseStore>(),
            sp.GetRequiredService<IOptions<ShardClusterOptions>>().Value));
        services.TryAddSingleton<IGatewayStatus>(sp => sp.GetRequiredService<DiscordGatewayClient>());
        services.TryAddSingleton<IShardOwnership>(sp => sp.GetRequiredService<DiscordGatewayClient>());
        services.AddHostedService<DiscordGatewayService>();
        return services;
    }

    /// <summary>Adds <see cref="GatewayHealthCheck"/> (tags <c>discord</c>, <c>ready</c>).</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">Check name.</param>
    public static IHealthChecksBuilder AddDiscordGateway(this IHealthChecksBuilder builder, string name = "discord-gateway")
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<GatewayHealthCheck>(name, tags: ["discord", "ready"]);
    }
}
