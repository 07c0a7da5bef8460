using Microsoft.Extensions.Options;
using NafflesBotKit.Host.AccountLinking;
using NafflesBotKit.Host.Admin;
using NafflesBotKit.Host.Cluster;
using NafflesBotKit.Host.Configuration;
using NafflesBotKit.Host.Discord;
using NafflesBotKit.Host.Health;
using NafflesBotKit.Host.Logging;
using NafflesBotKit.Host.Status;
using NafflesBotKit.Runtime.Plugins;
using Serilog;
using Serilog.Settings.Configuration;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace NafflesBotKit.Host;

/// <summary>Builds and runs the host: configuration, logging, the runtime and its plugins, the HTTP endpoints.</summary>
internal static partial class BotHost
{
    /// <summary>Where the host listens when no URL is configured (loopback only: nothing is exposed by accident).</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Exit code when configuration is invalid.</summary>
    public const int InvalidConfigurationExitCode = 2;

    /// <summary>Runs the host until SIGTERM / Ctrl+C; returns the process exit code.</summary>
    /// <param name="args">Command-line arguments (configuration overrides such as <c>--urls</c>).</param>
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = CreateBuilder(args);
        Log.Logger = CreateLogger(builder.Configuration);
        Sandbox.SandboxEnvironment? sandbox = null;
        try
        {
            // Before the services are built: in sandbox mode the configuration points at in-process emulators.
            sandbox = await Sandbox.SandboxHosting.StartIfSelectedAsync(builder).ConfigureAwait(false);
            var app = Build(builder);
            await using (app.ConfigureAwait(false))
            {
                if (sandbox is not null)
                {
                    Playground.PlaygroundEndpoints.MapPlayground(app);
                }

                ReportConfiguration(app);
                await app.RunAsync().ConfigureAwait(false);
            }

            return 0;
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                Log.Fatal("Invalid configuration: {Problem}", failure);
            }

            Log.Fatal("NafflesBotKit did not start: fix the configuration above and start it again");
            return InvalidConfigurationExitCode;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Fatal(ex, "NafflesBotKit stopped unexpectedly");
            return 1;
        }
        finally
        {
            if (sandbox is not null)
            {
                await sandbox.DisposeAsync().ConfigureAwait(false);
            }

            await Log.CloseAndFlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The builder with the host's configuration sources.</summary>
    /// <param name="args">Command-line arguments.</param>
    internal static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings*.json sit next to the binaries, wherever the host is started from.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddSeedEnvironmentVariables();
        builder.Configuration.AddWebhookSecretAlias();

        var config = builder.Configuration;
        if (string.IsNullOrEmpty(config[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrEmpty(config[WebHostDefaults.HttpPortsKey])
            && string.IsNullOrEmpty(config[WebHostDefaults.HttpsPortsKey])
            && !config.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        return builder;
    }

    /// <summary>The host's logger: Serilog from the <c>Serilog</c> section, with secrets redacted.</summary>
    /// <param name="configuration">The host's configuration.</param>
    internal static Serilog.Core.Logger CreateLogger(IConfiguration configuration)
    {
        var logger = new LoggerConfiguration()
            .ReadFrom.Configuration(configuration, new ConfigurationReaderOptions(typeof(ConsoleLoggerConfigurationExtensions).Assembly))
            .Enrich.With(SecretRedactor.FromConfiguration(configuration));
        if (!configuration.GetSection("Serilog:WriteTo").Exists())
        {
            logger.WriteTo.Console();
        }

        return logger.CreateLogger();
    }

    private static WebApplication Build(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSerilog(Log.Logger, dispose: false);
        services.AddOptions<DiscordOptions>()
            .Bind(builder.Configuration.GetSection(DiscordOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DiscordOptions>, DiscordOptionsValidator>();
        services.AddNafflesBotRuntime(builder.Configuration);
        services.AddNafflesBotServices(builder.Configuration);
        services.AddBotClusterAdministration(builder.Configuration);
        services.AddBotDiscord(builder.Configuration);
        services.AddBotObservability();
        if (HasNafflesApi(builder.Configuration))
        {
            services.AddNafflesApi(builder.Configuration);
            services.AddPluginExport<NafflesBotKit.Naffles.INafflesApi>();
            services.AddPluginExport<NafflesBotKit.Naffles.INafflesRequestLog>();
        }

        services.AddAccountLinking(builder.Configuration);

        // Give plugins time to drain and stop before the host gives up on shutdown.
        var plugins = builder.Configuration.GetSection(PluginHostOptions.Section).Get<PluginHostOptions>() ?? new PluginHostOptions();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = plugins.DrainTimeout + plugins.StopTimeout + TimeSpan.FromSeconds(5));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, StatusJsonContext.Default));

        var app = builder.Build();
        app.UseSerilogRequestLogging(o => o.GetLevel = Playground.PlaygroundEndpoints.RequestLogLevel);
        app.UseMiddleware<Endpoints.PluginEndpointMiddleware>();
        app.MapStatusEndpoints();
        app.MapAdminEndpoints(app.Configuration, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NafflesBotKit.Host.Admin"));
        app.MapBotObservability();
        app.MapBotDiscord();
        app.MapAccountLinking();
        return app;
    }

    private static void ReportConfiguration(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NafflesBotKit.Host");
        var discord = app.Services.GetRequiredService<IOptions<DiscordOptions>>().Value; // validates
        if (discord.HasCredentials)
        {
            // Destructured ({@Discord}) so the redaction policy masks the secrets property by property.
#pragma warning disable CA1848, CA2254
            logger.LogInformation("Discord application {ClientId} configured: {@Discord}", discord.ClientId, discord);
#pragma warning restore CA1848, CA2254
        }
        else
        {
            LogNoDiscordCredentials(logger);
        }

        if (!HasNafflesApi(app.Configuration))
        {
            LogNoNafflesApi(logger);
        }

        var pluginsPath = app.Services.GetRequiredService<IOptions<PluginHostOptions>>().Value.ResolvePath();
        LogPluginsFolder(logger, pluginsPath);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "no Discord credentials configured; running on embedded defaults")]
    private static partial void LogNoDiscordCredentials(ILogger logger);

    private static bool HasNafflesApi(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["Naffles:BaseUrl"]);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "no Naffles API configured (Naffles:BaseUrl / NAFFLES_API_BASE_URL); plugins get no Naffles client")]
    private static partial void LogNoNafflesApi(ILogger logger);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Loading plugins from {PluginsFolder}")]
    private static partial void LogPluginsFolder(ILogger logger, string pluginsFolder);
}
