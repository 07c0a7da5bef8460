using Microsoft.Extensions.DependencyInjection.Extensions;
using NafflesBotKit.Host.Admin;
using NafflesBotKit.Runtime.Services.Caching;
using NafflesBotKit.Services;
using OpenTelemetry.Metrics;

namespace NafflesBotKit.Host.Health;

/// <summary>Health checks, OpenTelemetry metrics and the admin request-log endpoint of the host.</summary>
internal static class ObservabilityExtensions
{
    /// <summary>
    /// Registers <c>/health/*</c> checks (plugins, store; the Discord layer adds its own with
    /// <c>services.AddHealthChecks().AddCheck&lt;T&gt;(name, tags: [HealthTags.Ready])</c>), the <c>NafflesBotKit</c>
    /// meter with a Prometheus exporter, the metered router wrapper and the metered cache. Call after
    /// <c>AddNafflesBotServices</c>.
    /// </summary>
    public static IServiceCollection AddBotObservability(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<PluginsHealthCheck>("plugins", tags: [HealthTags.Ready])
            .AddCheck<StoreHealthCheck>("store", tags: [HealthTags.Ready]);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(BotMetrics.MeterName)
            .AddPrometheusExporter());
        services.TryAddSingleton<BotMetrics>();
        services.TryAddSingleton<MeteredInteractionRouter>();

        // Cache hit/miss counting: the runtime's cache, wrapped (plugins receive the wrapper through the export).
        services.TryAddSingleton<BotCache>();
        services.Replace(ServiceDescriptor.Singleton<IBotCache>(sp => new MeteredBotCache(sp.GetRequiredService<BotCache>(), sp.GetRequiredService<BotMetrics>())));
        return services;
    }

    /// <summary>Maps <c>/health/live</c>, <c>/health/ready</c>, <c>/metrics</c> and the admin request-log endpoint.</summary>
    public static WebApplication MapBotObservability(this WebApplication app)
    {
        // Live: the process answers HTTP; no dependency is consulted (a restart would not fix one).
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false, ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains(HealthTags.Ready), ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapRequestLogEndpoint();
        return app;
    }
}
