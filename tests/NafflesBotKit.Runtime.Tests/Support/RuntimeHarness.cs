using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Runtime.Events;
using NafflesBotKit.Runtime.Plugins;
using NafflesBotKit.Runtime.Routing;

namespace NafflesBotKit.Runtime.Tests.Support;

/// <summary>A runtime (plugin manager, router, bus) built the way the host builds it, with captured logs.</summary>
public sealed class RuntimeHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public RuntimeHarness(IDictionary<string, string?>? settings = null, TimeProvider? time = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Plugins:Path"] = TestPluginsDir, ["Plugins:DrainTimeout"] = "00:00:05" })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton(Logs);
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddNafflesBotRuntime(configuration);
        configure?.Invoke(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static string TestPluginsDir { get; } = typeof(RuntimeHarness).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "TestPluginsDir").Value!;

    public static string TestPluginVersionsDir { get; } = typeof(RuntimeHarness).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "TestPluginVersionsDir").Value!;

    public CapturingLoggerProvider Logs { get; } = new();

    public IServiceProvider Services => _services;

    public PluginManager Plugins => _services.GetRequiredService<PluginManager>();

    public InteractionRouter Router => _services.GetRequiredService<InteractionRouter>();

    public EventBus Bus => _services.GetRequiredService<EventBus>();

    public RouteRegistry Routes => _services.GetRequiredService<RouteRegistry>();

    public static string SwappyFolder(string variant) => Path.Combine(TestPluginVersionsDir, "swappy-" + variant, "NafflesBotKit.TestPlugins.Swappy");

    public static string PluginFolder(string shortName) => Path.Combine(TestPluginsDir, "NafflesBotKit.TestPlugins." + shortName);

    public async ValueTask DisposeAsync()
    {
        await Plugins.UnloadAllAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }
}

/// <summary>Captures log lines for assertions.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue((logLevel, category, formatter(state, exception), exception));
    }
}
