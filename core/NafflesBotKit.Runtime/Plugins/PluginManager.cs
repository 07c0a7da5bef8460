using System.Reflection;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NafflesBotKit.Events;
using NafflesBotKit.Plugins;
using NafflesBotKit.Runtime.Events;
using NafflesBotKit.Runtime.Routing;

namespace NafflesBotKit.Runtime.Plugins;

/// <summary>
/// Loads plugins into their own collectible load contexts, validates them, gives each its own container, starts
/// them, switches their routes in, and unloads them. A plugin that fails is reported and skipped; the others run.
/// </summary>
public sealed partial class PluginManager : IAsyncDisposable
{
    /// <summary>Types whose assemblies (and their references) are shared between the host and plugins.</summary>
    internal static readonly Type[] SharedTypes =
    [
        typeof(BotPlugin),
        typeof(IServiceCollection),
        typeof(ILogger),
        typeof(IConfiguration),
        typeof(IOptions<>),
        typeof(IHostedService),
    ];

    private readonly IServiceProvider _host;
    private readonly PluginHostOptions _options;
    private readonly IReadOnlyList<PluginServiceExport> _exports;
    private readonly EventBus _bus;
    private readonly RouteRegistry _routes;
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly ILogger<PluginManager> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<LoadedPlugin> _loaded = [];
    private readonly Dictionary<string, PluginStatus> _failures = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the manager.</summary>
    public PluginManager(
        IServiceProvider host,
        IOptions<PluginHostOptions> options,
        IEnumerable<PluginServiceExport> exports,
        EventBus bus,
        RouteRegistry routes,
        IConfiguration configuration,
        TimeProvider time,
        ILogger<PluginManager> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _host = host;
        _options = options.Value;
        _exports = exports.DistinctBy(e => e.ServiceType).ToList();
        _bus = bus;
        _routes = routes;
        _configuration = configuration;
        _time = time;
        _logger = logger;
    }

    /// <summary>Active and draining plugins.</summary>
    public IReadOnlyList<LoadedPlugin> Loaded
    {
        get
        {
            lock (_loaded)
            {
                return [.. _loaded];
            }
        }
    }

    /// <summary>Status of every plugin: loaded ones and those that failed.</summary>
    public IReadOnlyList<PluginStatus> Statuses
    {
        get
        {
            lock (_loaded)
            {
                return [.. _loaded.Select(p => p.ToStatus()), .. _failures.Values];
            }
        }
    }

    /// <summary>Loads every enabled plugin found in the plugins folder. Failures are logged and reported, never thrown.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        var root = _options.ResolvePath();
        if (!Directory.Exists(root))
        {
            LogNoPluginFolder(_logger, root);
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            if (_options.Disabled.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            await LoadAsync(folder, cancellationToken).ConfigureAwait(false);
        }

        foreach (var wanted in _options.Enabled)
        {
            var found = Loaded.Any(p => string.Equals(p.Manifest.Id, wanted, StringComparison.OrdinalIgnoreCase) || string.Equals(Path.GetFileName(p.Folder), wanted, StringComparison.OrdinalIgnoreCase));
            if (!found && !_failures.ContainsKey(wanted))
            {
                LogEnabledPluginMissing(_logger, wanted, root);
            }
        }
    }

    /// <summary>Loads, validates and starts the plugin in <paramref name="folder"/>; null when it failed or is not enabled.</summary>
    /// <param name="folder">Plugin folder (holding <c>&lt;folder name&gt;.dll</c>).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<LoadedPlugin?> LoadAsync(string folder, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await LoadCoreAsync(folder, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drains, stops and unloads a plugin. Returns a weak reference to its load context (collected once nothing holds it).</summary>
    /// <param name="pluginId">Plugin id.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<WeakReference?> UnloadAsync(string pluginId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            LoadedPlugin? plugin;
            lock (_loaded)
            {
                plugin = _loaded.FirstOrDefault(p => string.Equals(p.Manifest.Id, pluginId, StringComparison.OrdinalIgnoreCase));
            }

            return plugin is null ? null : await UnloadCoreAsync(plugin, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Unloads every plugin (host shutdown).</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task UnloadAllAsync(CancellationToken cancellationToken)
    {
        foreach (var plugin in Loaded.AsEnumerable().Reverse())
        {
            await UnloadAsync(plugin.Manifest.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await UnloadAllAsync(CancellationToken.None).ConfigureAwait(false);
        _gate.Dispose();
    }

    /// <summary>
    /// Runs a plugin that is already loaded in the host's own load context (tests, the in-process harness). Its
    /// handlers are the types in the entry point's namespace and below. It cannot be collected when unloaded.
    /// </summary>
    /// <param name="plugin">The plugin's entry point.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<LoadedPlugin?> AddInProcessAsync(BotPlugin plugin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var type = plugin.GetType();
            var ns = type.Namespace ?? string.Empty;
            bool InScope(Type t) => t.Namespace is { } n && (n == ns || n.StartsWith(ns + ".", StringComparison.Ordinal));
            return await ActivateAsync(
                type.Name,
                "(in-process) " + type.Assembly.GetName().Name,
                () => (null, type.Assembly, plugin),
                InScope,
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task<LoadedPlugin?> LoadCoreAsync(string folder, CancellationToken cancellationToken)
    {
        var folderName = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        var mainAssembly = Path.Combine(folder, folderName + ".dll");
        return ActivateAsync(
            folderName,
            folder,
            () =>
            {
                if (!File.Exists(mainAssembly))
                {
                    throw new PluginLoadException(folderName, $"plugin folder '{folder}' has no {folderName}.dll (a plugin folder holds an assembly of the same name)");
                }

                var loader = PluginLoader.CreateFromAssemblyFile(mainAssembly, isUnloadable: true, SharedTypes, config => config.LoadInMemory = true);
                try
                {
                    var assembly = loader.LoadDefaultAssembly();
                    var entryType = FindEntryPoint(folderName, assembly);
                    return (loader, assembly, (BotPlugin)Activator.CreateInstance(entryType)!);
                }
                catch
                {
                    loader.Dispose();
                    throw;
                }
            },
            filter: null,
            cancellationToken);
    }

    private async Task<LoadedPlugin?> ActivateAsync(
        string folderName,
        string folder,
        Func<(PluginLoader? Loader, Assembly Assembly, BotPlugin Instance)> open,
        Func<Type, bool>? filter,
        CancellationToken cancellationToken)
    {
        LoadedPlugin? plugin = null;
        try
        {
            var (loader, assembly, instance) = open();
            PluginManifest manifest;
            try
            {
                manifest = instance.Manifest ?? throw new PluginLoadException(folderName, $"{instance.GetType().FullName}.Manifest returned null");
            }
            catch
            {
                loader?.Dispose();
                throw;
            }

            plugin = new LoadedPlugin(manifest, folder, loader, assembly, instance);
            if (!IsEnabled(manifest.Id, folderName))
            {
                LogPluginNotEnabled(_logger, manifest.Id, folder);
                plugin.ReleaseAndUnload();
                return null;
            }

            Validate(manifest, folderName);
            var pluginConfiguration = _configuration.GetSection($"{PluginHostOptions.Section}:Settings:{manifest.Id}");
            var services = BuildServices(plugin, pluginConfiguration);
            instance.ConfigureServices(services, pluginConfiguration);
            HandlerScanner.RegisterHandlers(services, assembly, filter);
            var routes = HandlerScanner.BuildRoutes(plugin, services, assembly);
            var conflicts = _routes.FindConflicts(routes, manifest.Id);
            if (conflicts.Count > 0)
            {
                throw new PluginLoadException(manifest.Id, $"plugin '{manifest.Id}' conflicts with loaded plugins: {string.Join("; ", conflicts)}");
            }

            plugin.Routes = routes;
            plugin.Provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

            using (var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                startTimeout.CancelAfter(_options.StartTimeout);
                await instance.StartAsync(plugin.Provider, startTimeout.Token).ConfigureAwait(false);
                foreach (var hosted in plugin.Provider.GetServices<IHostedService>())
                {
                    await hosted.StartAsync(startTimeout.Token).ConfigureAwait(false);
                    plugin.HostedServices.Add(hosted);
                }
            }

            SubscribeEventHandlers(plugin, routes);
            plugin.Accept();
            plugin.State = PluginState.Active;
            plugin.LoadedAt = _time.GetUtcNow();
            lock (_loaded)
            {
                _loaded.Add(plugin);
                _failures.Remove(manifest.Id);
                _failures.Remove(folderName);
            }

            _routes.Add(routes);
            LogPluginLoaded(_logger, manifest.Id, manifest.Version, routes.Commands.Count, routes.Components.Count, routes.Modals.Count, routes.EventHandlerTypes.Count);
            return plugin;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var id = plugin?.Manifest.Id ?? (ex as PluginLoadException)?.PluginId ?? folderName;
            var reason = Describe(ex);
            LogPluginFailed(_logger, ex, id, folder, reason);
            lock (_loaded)
            {
                _failures[id] = new PluginStatus(id, plugin?.Manifest.Version, plugin?.Manifest.Description, folder, PluginState.Failed, null, 0, reason);
            }

            if (plugin is not null)
            {
                foreach (var subscription in plugin.Subscriptions)
                {
                    subscription.Dispose();
                }

                await StopQuietlyAsync(plugin).ConfigureAwait(false);
                plugin.State = PluginState.Failed;
                plugin.ReleaseAndUnload();
            }

            return null;
        }
    }

    private async Task<WeakReference> UnloadCoreAsync(LoadedPlugin plugin, CancellationToken cancellationToken)
    {
        var id = plugin.Manifest.Id;
        plugin.State = PluginState.Draining;
        if (plugin.Routes is not null)
        {
            _routes.Remove(plugin.Routes);
        }

        foreach (var subscription in plugin.Subscriptions)
        {
            subscription.Dispose();
        }

        var drained = plugin.BeginDrain();
        var inFlight = plugin.InFlight;
        try
        {
            await drained.WaitAsync(_options.DrainTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogDrainTimedOut(_logger, id, plugin.InFlight, _options.DrainTimeout);
        }

        await StopQuietlyAsync(plugin).ConfigureAwait(false);
        lock (_loaded)
        {
            _loaded.Remove(plugin);
        }

        plugin.State = PluginState.Unloaded;
        var context = plugin.ReleaseAndUnload();
        LogPluginUnloaded(_logger, id, inFlight);
        return context;
    }

    private async Task StopQuietlyAsync(LoadedPlugin plugin)
    {
        using var timeout = new CancellationTokenSource(_options.StopTimeout, _time);
        foreach (var hosted in plugin.HostedServices.AsEnumerable().Reverse())
        {
            try
            {
                await hosted.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogStopFailed(_logger, ex, plugin.Manifest.Id);
            }
        }

        try
        {
            if (plugin.Instance is not null && plugin.Provider is not null && plugin.State != PluginState.Loading)
            {
                await plugin.Instance.StopAsync(plugin.Provider, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            LogStopFailed(_logger, ex, plugin.Manifest.Id);
        }

        try
        {
            if (plugin.Provider is not null)
            {
                await plugin.Provider.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            LogStopFailed(_logger, ex, plugin.Manifest.Id);
        }
    }

    private ServiceCollection BuildServices(LoadedPlugin plugin, IConfiguration pluginConfiguration)
    {
        var services = new ServiceCollection();
        foreach (var export in _exports)
        {
            var instance = export.PerPlugin is { } create ? create(_host, plugin.Manifest.Id) : _host.GetService(export.ServiceType);
            if (instance is not null)
            {
                // Registered as an instance, so disposing the plugin's container never disposes host services.
                services.AddSingleton(export.ServiceType, instance);
            }
        }

        services.AddSingleton(_time);
        services.AddSingleton<IEventBus>(_bus);
        services.AddSingleton<NafflesBotKit.Interactions.ICommandCatalog>(_routes);
        services.AddSingleton(_host.GetRequiredService<ILoggerFactory>());
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(pluginConfiguration);
        services.AddSingleton(plugin.Manifest);
        services.AddOptions();
        return services;
    }

    private void SubscribeEventHandlers(LoadedPlugin plugin, PluginRoutes routes)
    {
        var subscribe = typeof(PluginManager).GetMethod(nameof(SubscribeHandler), BindingFlags.NonPublic | BindingFlags.Instance)!;
        foreach (var handlerType in routes.EventHandlerTypes)
        {
            foreach (var eventType in handlerType.GetInterfaces()
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEventHandler<>))
                .Select(i => i.GetGenericArguments()[0]))
            {
                var token = (IDisposable)subscribe.MakeGenericMethod(eventType).Invoke(this, [plugin, handlerType])!;
                plugin.Subscriptions.Add(token);
            }
        }
    }

    private IDisposable SubscribeHandler<TEvent>(LoadedPlugin plugin, Type handlerType)
        where TEvent : class =>
        _bus.Subscribe<TEvent>(
            async (e, ct) =>
            {
                if (!plugin.TryEnter())
                {
                    return;
                }

                try
                {
                    var provider = plugin.Provider;
                    if (provider is null)
                    {
                        return;
                    }

                    var scope = provider.CreateAsyncScope();
                    await using (scope.ConfigureAwait(false))
                    {
                        var handler = (IEventHandler<TEvent>)scope.ServiceProvider.GetRequiredService(handlerType);
                        await handler.HandleAsync(e, ct).ConfigureAwait(false);
                    }
                }
                finally
                {
                    plugin.Exit();
                }
            },
            plugin.Manifest.Id);

    private void Validate(PluginManifest manifest, string folderName)
    {
        var problems = manifest.Validate().ToList();
        if (problems.Count == 0)
        {
            var range = VersionRange.Parse(manifest.SdkRange);
            if (!range.Contains(SdkVersion.Current))
            {
                problems.Add($"it supports SDK {range} but this host provides SDK {SdkVersion.Current}");
            }
        }

        lock (_loaded)
        {
            var duplicate = _loaded.FirstOrDefault(p => string.Equals(p.Manifest.Id, manifest.Id, StringComparison.OrdinalIgnoreCase));
            if (duplicate is not null)
            {
                problems.Add($"plugin id '{manifest.Id}' is already loaded from '{duplicate.Folder}'");
            }
        }

        if (problems.Count > 0)
        {
            throw new PluginLoadException(manifest.Id, $"plugin '{manifest.Id}' (folder {folderName}) was refused: {string.Join("; ", problems)}");
        }
    }

    private bool IsEnabled(string id, string folderName) =>
        !_options.Disabled.Contains(id, StringComparer.OrdinalIgnoreCase)
        && (_options.Enabled.Count == 0
            || _options.Enabled.Contains(id, StringComparer.OrdinalIgnoreCase)
            || _options.Enabled.Contains(folderName, StringComparer.OrdinalIgnoreCase));

    private static Type FindEntryPoint(string folderName, Assembly assembly)
    {
        Type[] types;
        try
        {
            // Eager: a plugin with a missing dependency fails here, at load, not at first use.
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            var missing = string.Join("; ", ex.LoaderExceptions.Where(e => e is not null).Select(e => e!.Message).Distinct());
            throw new PluginLoadException(folderName, $"plugin assembly {assembly.GetName().Name} could not load its types: {missing}", ex);
        }

        var entries = types.Where(t => typeof(BotPlugin).IsAssignableFrom(t) && !t.IsAbstract).ToList();
        return entries.Count switch
        {
            0 => throw new PluginLoadException(folderName, $"assembly {assembly.GetName().Name} has no BotPlugin subclass"),
            > 1 => throw new PluginLoadException(folderName, $"assembly {assembly.GetName().Name} has several BotPlugin subclasses: {string.Join(", ", entries.Select(e => e.FullName))}"),
            _ when entries[0].GetConstructor(Type.EmptyTypes) is null => throw new PluginLoadException(folderName, $"{entries[0].FullName} needs a public parameterless constructor"),
            _ => entries[0],
        };
    }

    private static string Describe(Exception ex) => ex switch
    {
        PluginLoadException => ex.Message,
        TargetInvocationException { InnerException: { } inner } => $"{inner.GetType().Name}: {inner.Message}",
        OperationCanceledException => "start timed out",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Plugin {PluginId} {Version} loaded: {Commands} commands, {Components} component routes, {Modals} modal routes, {EventHandlers} event handlers")]
    private static partial void LogPluginLoaded(ILogger logger, string pluginId, string version, int commands, int components, int modals, int eventHandlers);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Plugin {PluginId} from {Folder} was skipped: {Reason}")]
    private static partial void LogPluginFailed(ILogger logger, Exception exception, string pluginId, string folder, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Plugin {PluginId} unloaded ({InFlight} interactions were in flight when draining began)")]
    private static partial void LogPluginUnloaded(ILogger logger, string pluginId, int inFlight);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Plugin {PluginId} still had {InFlight} interactions in flight after {Timeout}; stopping it anyway")]
    private static partial void LogDrainTimedOut(ILogger logger, string pluginId, int inFlight, TimeSpan timeout);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Plugin {PluginId} failed while stopping")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, string pluginId);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Plugins folder {Folder} does not exist; no plugins loaded")]
    private static partial void LogNoPluginFolder(ILogger logger, string folder);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "Plugin {PluginId} in {Folder} is not enabled for this deployment")]
    private static partial void LogPluginNotEnabled(ILogger logger, string pluginId, string folder);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "Enabled plugin {PluginId} was not found in {Folder}")]
    private static partial void LogEnabledPluginMissing(ILogger logger, string pluginId, string folder);
}
