using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NafflesBotKit.Naffles;
using NafflesBotKit.Naffles.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Naffles API client.</summary>
public static class NafflesServiceCollectionExtensions
{
    private const string PipelineName = "naffles";

    /// <summary>
    /// Registers <see cref="INafflesApi"/> and the per-area clients (<see cref="ICommunitiesApi"/>,
    /// <see cref="ISocialTasksApi"/>, <see cref="IAllowlistsApi"/>, <see cref="IUsersApi"/>,
    /// <see cref="IWebhooksApi"/>, <see cref="INafflesHealthApi"/>) as typed HttpClients with retry,
    /// a shared circuit breaker and attempt timeouts, plus <see cref="INafflesRequestLog"/>. Settings come
    /// from the <c>Naffles</c> section of <paramref name="configuration"/> and are validated at start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration root (its <c>Naffles</c> section is bound).</param>
    /// <param name="configure">Optional changes applied after binding.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddNafflesApi(this IServiceCollection services, IConfiguration configuration, Action<NafflesApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(NafflesRequestLog)))
        {
            return services; // already added: a second call must not stack another handler chain
        }

        var optionsBuilder = services.AddOptions<NafflesApiOptions>().Bind(configuration.GetSection(NafflesApiOptions.SectionName));
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        optionsBuilder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NafflesApiOptions>, NafflesApiOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(NafflesJitter.Random);
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<NafflesApiOptions>>().Value.CircuitBreaker;
            return new NafflesCircuitBreaker(sp.GetRequiredService<TimeProvider>(), o.FailureThreshold, o.BreakDuration, o.SuccessThreshold, CreateLogger(sp));
        });
        services.TryAddSingleton<NafflesRequestLog>();
        services.TryAddSingleton<INafflesRequestLog>(sp => sp.GetRequiredService<NafflesRequestLog>());
        services.TryAddTransient<NafflesErrorHandler>();
        services.TryAddTransient<NafflesRequestLogHandler>();

        Configure(services.AddHttpClient<ICommunitiesApi, CommunitiesApi>(), resilient: true);
        Configure(services.AddHttpClient<ISocialTasksApi, SocialTasksApi>(), resilient: true);
        Configure(services.AddHttpClient<IAllowlistsApi, AllowlistsApi>(), resilient: true);
        Configure(services.AddHttpClient<IUsersApi, UsersApi>(), resilient: true);
        Configure(services.AddHttpClient<IWebhooksApi, WebhooksApi>(), resilient: true);

        // Health is a probe: no retries and no breaker, so it reports the backend's state as it is now.
        Configure(services.AddHttpClient<INafflesHealthApi, NafflesHealthApi>(), resilient: false);

        services.TryAddTransient<INafflesApi, NafflesApi>();
        return services;
    }

    private static ILogger CreateLogger(IServiceProvider sp) =>
        sp.GetService<ILoggerFactory>()?.CreateLogger("NafflesBotKit.Naffles") ?? NullLogger.Instance;

    private static void Configure(IHttpClientBuilder builder, bool resilient)
    {
        builder.ConfigureHttpClient((sp, client) =>
        {
            var options = sp.GetRequiredService<IOptions<NafflesApiOptions>>().Value;
            var baseUrl = options.BaseUrl!;
            client.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute);
            client.Timeout = Timeout.InfiniteTimeSpan; // the pipeline owns timeouts, on the DI TimeProvider
            client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            client.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
            if (string.Equals(options.ApiKeyHeader, NafflesApiOptions.XApiKeyHeader, StringComparison.OrdinalIgnoreCase))
            {
                client.DefaultRequestHeaders.TryAddWithoutValidation(NafflesApiOptions.XApiKeyHeader, options.ApiKey);
            }
            else
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(options.ApiKeyScheme, options.ApiKey);
            }
        });

        builder.AddHttpMessageHandler<NafflesErrorHandler>();
        builder.AddResilienceHandler(PipelineName, (pipeline, context) =>
        {
            var sp = context.ServiceProvider;
            NafflesResilience.Configure(
                pipeline,
                sp.GetRequiredService<IOptions<NafflesApiOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                resilient ? sp.GetRequiredService<NafflesCircuitBreaker>() : null,
                sp.GetRequiredService<NafflesJitter>(),
                CreateLogger(sp));
        });
        builder.AddHttpMessageHandler<NafflesRequestLogHandler>();
    }
}
