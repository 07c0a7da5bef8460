using System.Collections.Concurrent;
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
    private readonly Dictionary<string, string> _previousFolders = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _refusedFolders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _knownFolders = new(StringComparer.OrdinalIgnoreCase);

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

    /// <summary>Plugins an operator turned off at run time (not loaded by rescans until enabled again).</summary>
    public ConcurrentSet RuntimeDisabled { get; } = new();

    /// <summary>The folder a plugin id (or folder name) was last seen in, or null.</summary>
    /// <param name="pluginIdOrFolder">Plugin id or folder name.</param>
    public string? KnownFolder(string pluginIdOrFolder)
    {
        if (_knownFolders.TryGetValue(pluginIdOrFolder, out var folder))
        {
            return folder;
        }

        var root = _options.ResolvePath();
        var candidate = Path.Combine(root, pluginIdOrFolder);
        return Directory.Exists(candidate) ? PluginFolders.ResolveNewest(candidate) : null;
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

    /// <summary>The active plugin with this id (case-insensitive), if any.</summary>
    /// <param name="pluginId">The plugin id.</param>
    public LoadedPlugin? Find(string pluginId) =>
        Loaded.FirstOrDefault(p => string.Equals(p.Manifest.Id, pluginId, StringComparison.OrdinalIgnoreCase));

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

            var version = PluginFolders.ResolveNewest(folder);
            if (version is null)
            {
                LogNoAssembly(_logger, folder);
                continue;
            }

            await LoadAsync(version, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Replaces a running plugin with the version in <paramref name="folder"/> without downtime: the new version is
    /// loaded side by side, validated (manifest, SDK range, conflicts, and that it keeps every custom-id template of
    /// the running version, since buttons on posted messages carry them), started, then its routes, event
    /// subscriptions and HTTP endpoints replace the old ones in one atomic switch. The old version then drains its
    /// in-flight work (bounded by <see cref="PluginHostOptions.DrainTimeout"/>), stops, is disposed, and its load
    /// context is checked for collection. Any failure before the switch leaves the old version serving.
    /// </summary>
    /// <param name="pluginId">The running plugin.</param>
    /// <param name="folder">Folder of the new version.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<PluginSwapResult> SwapAsync(string pluginId, string folder, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SwapCoreAsync(pluginId, folder, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Swaps a plugin back to the version it ran before its last successful swap.</summary>
    /// <param name="pluginId">The plugin.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<PluginSwapResult> RollbackAsync(string pluginId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string? previous;
            lock (_loaded)
            {
                _previousFolders.TryGetValue(pluginId, out previous);
            }

            return previous is null
                ? PluginSwapResult.Failed(pluginId, null, $"plugin '{pluginId}' has no previous version to roll back to")
                : await SwapCoreAsync(pluginId, previous, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Looks at the plugins folder again: a running plugin with a newer version folder beside its current one is
    /// swapped to it, and a plugin folder that appeared since start is loaded. A version that was refused is not
    /// retried until its folder changes name. Returns the swaps attempted.
    /// </summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<IReadOnlyList<PluginSwapResult>> RescanAsync(CancellationToken cancellationToken)
    {
        var results = new List<PluginSwapResult>();
        var root = _options.ResolvePath();
        if (!Directory.Exists(root))
        {
            return results;
        }

        foreach (var plugin in Loaded.Where(p => p.IsIsolated))
        {
            var current = Path.TrimEndingDirectorySeparator(plugin.Folder);
            if (PluginFolders.VersionsRootOf(current) is not { } pluginFolder)
            {
                continue; // unversioned layout: nothing to compare
            }

            var newest = PluginFolders.Versions(pluginFolder).FirstOrDefault();
            if (newest.Folder is null
                || string.Equals(Path.TrimEndingDirectorySeparator(newest.Folder), current, StringComparison.Ordinal)
                || !PluginFolders.TryParseVersion(Path.GetFileName(current), out var currentVersion)
                || newest.Version <= currentVersion!
                || _refusedFolders.Contains(newest.Folder))
            {
                continue;
            }

            var result = await SwapAsync(plugin.Manifest.Id, newest.Folder, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                _refusedFolders.Add(newest.Folder);
            }

            results.Add(result);
        }

        var known = Loaded.Select(p => p.Folder).Concat(Statuses.Select(s => s.Folder)).Select(Path.TrimEndingDirectorySeparator).ToHashSet(StringComparer.Ordinal);
        foreach (var folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var newest = PluginFolders.ResolveNewest(folder);
            var name = Path.GetFileName(folder);
            if (newest is null
                || known.Contains(Path.TrimEndingDirectorySeparator(newest))
                || known.Any(k => string.Equals(Path.GetDirectoryName(k), Path.TrimEndingDirectorySeparator(folder), StringComparison.Ordinal))
                || _options.Disabled.Contains(name, StringComparer.OrdinalIgnoreCase)
                || _refusedFolders.Contains(newest))
            {
                continue;
            }

            if (await LoadAsync(newest, cancellationToken).ConfigureAwait(false) is null)
            {
                _refusedFolders.Add(newest);
            }
        }

        return results;
    }

    /// <summary>The folder a plugin ran from before its last successful swap (what a rollback returns to).</summary>
    /// <param name="pluginId">The plugin.</param>
    public string? PreviousFolder(string pluginId)
    {
        lock (_loaded)
        {
            return _previousFolders.GetValueOrDefault(pluginId);
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

    private Task<LoadedPlugin?> LoadCoreAsync(string folder, CancellationToken cancellationToken, LoadedPlugin? replacing = null, Action<string>? onFailure = null)
    {
        var folderName = PluginFolders.AssemblyNameOf(folder);
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
            cancellationToken,
            replacing,
            onFailure);
    }

    private async Task<LoadedPlugin?> ActivateAsync(
        string folderName,
        string folder,
        Func<(PluginLoader? Loader, Assembly Assembly, BotPlugin Instance)> open,
        Func<Type, bool>? filter,
        CancellationToken cancellationToken,
        LoadedPlugin? replacing = null,
        Action<string>? onFailure = null)
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
            if (loader is not null)
            {
                _knownFolders[manifest.Id] = folder;
                _knownFolders[folderName] = folder;
            }

            if (replacing is not null && !string.Equals(replacing.Manifest.Id, manifest.Id, StringComparison.OrdinalIgnoreCase))
            {
                throw new PluginLoadException(manifest.Id, $"'{folder}' holds plugin '{manifest.Id}', not '{replacing.Manifest.Id}'");
            }

            if (replacing is null && !IsEnabled(manifest.Id, folderName))
            {
                LogPluginNotEnabled(_logger, manifest.Id, folder);
                plugin.ReleaseAndUnload();
                return null;
            }

            Validate(manifest, folderName, replacing);
            var pluginConfiguration = _configuration.GetSection($"{PluginHostOptions.Section}:Settings:{manifest.Id}");
            var services = BuildServices(plugin, pluginConfiguration);
            instance.ConfigureServices(services, pluginConfiguration);
            HandlerScanner.RegisterHandlers(services, assembly, filter);
            var routes = HandlerScanner.BuildRoutes(plugin, services, assembly);
            var conflicts = _routes.FindConflicts(routes, manifest.Id, replacing?.Routes);
            if (replacing?.Routes is { } previous)
            {
                conflicts = [.. conflicts, .. DroppedContracts(previous, routes, replacing.Manifest, manifest)];
            }

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

            // The switch: from here on the new version receives every new interaction, event and request.
            SubscribeEventHandlers(plugin, routes);
            plugin.Accept();
            plugin.State = PluginState.Active;
            plugin.LoadedAt = _time.GetUtcNow();
            lock (_loaded)
            {
                if (replacing is not null)
                {
                    _loaded.Remove(replacing);
                }

                _loaded.Add(plugin);
                _failures.Remove(manifest.Id);
                _failures.Remove(folderName);
            }

            if (replacing?.Routes is { } replaced)
            {
                _routes.Replace(replaced, routes);
            }
            else
            {
                _routes.Add(routes);
            }

            LogPluginLoaded(_logger, manifest.Id, manifest.Version, routes.Commands.Count, routes.Components.Count, routes.Modals.Count, routes.EventHandlerTypes.Count, routes.HttpEndpoints.Count);
            return plugin;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var id = plugin?.Manifest.Id ?? (ex as PluginLoadException)?.PluginId ?? folderName;
            var reason = Describe(ex);
            // Expected refusals (validation, missing host services) are logged by their reason alone, not a stack.
            var expected = ex is PluginLoadException || (ex is AggregateException aggregate && MissingServices(aggregate).Count > 0);
            LogPluginFailed(_logger, expected ? null : ex, id, folder, reason);
            onFailure?.Invoke(reason);
            if (replacing is null)
            {
                lock (_loaded)
                {
                    _failures[id] = new PluginStatus(id, plugin?.Manifest.Version, plugin?.Manifest.Description, folder, PluginState.Failed, null, 0, reason);
                }
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

    private async Task<PluginSwapResult> SwapCoreAsync(string pluginId, string folder, CancellationToken cancellationToken)
    {
        LoadedPlugin? old;
        lock (_loaded)
        {
            old = _loaded.FirstOrDefault(p => string.Equals(p.Manifest.Id, pluginId, StringComparison.OrdinalIgnoreCase));
        }

        if (old is null)
        {
            return PluginSwapResult.Failed(pluginId, null, $"plugin '{pluginId}' is not running, so there is nothing to swap");
        }

        var started = _time.GetTimestamp();
        string? failure = null;
        var replacement = await LoadCoreAsync(folder, cancellationToken, old, reason => failure = reason).ConfigureAwait(false);
        if (replacement is null)
        {
            LogSwapRefused(_logger, pluginId, old.Manifest.Version, folder, failure);
            return PluginSwapResult.Failed(pluginId, old.Manifest.Version, failure ?? "the new version did not load");
        }

        var switchedAfter = _time.GetElapsedTime(started);
        lock (_loaded)
        {
            _previousFolders[pluginId] = old.Folder;
        }

        var oldVersion = old.Manifest.Version;
        var inFlight = old.InFlight;
        var context = await UnloadCoreAsync(old, cancellationToken, routesAlreadySwitched: true).ConfigureAwait(false);
        var collected = !_options.VerifyUnload || await WaitForCollectionAsync(context, cancellationToken).ConfigureAwait(false);
        if (!collected)
        {
            LogLoadContextLeaked(_logger, pluginId, oldVersion);
        }

        var total = _time.GetElapsedTime(started);
        LogSwapped(_logger, pluginId, oldVersion, replacement.Manifest.Version, switchedAfter.TotalMilliseconds, total.TotalMilliseconds, inFlight);
        return new PluginSwapResult(pluginId, true, oldVersion, replacement.Manifest.Version, null, switchedAfter, total, inFlight, collected);
    }

    /// <summary>Collects garbage until the weakly referenced load context is gone, or gives up (a leak).</summary>
    internal static async Task<bool> WaitForCollectionAsync(WeakReference context, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 30 && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        return !context.IsAlive;
    }

    private static IEnumerable<string> DroppedContracts(PluginRoutes previous, PluginRoutes next, PluginManifest oldManifest, PluginManifest newManifest)
    {
        var kept = next.Components.Select(r => r.Template.Text).Concat(next.Modals.Select(r => "modal " + r.Template.Text)).ToHashSet(StringComparer.Ordinal);
        foreach (var template in previous.Components.Select(r => r.Template.Text).Concat(previous.Modals.Select(r => "modal " + r.Template.Text)).Distinct())
        {
            if (!kept.Contains(template))
            {
                yield return $"version {newManifest.Version} drops custom id '{template}' that version {oldManifest.Version} handles (buttons already posted would stop working)";
            }
        }
    }

    private async Task<WeakReference> UnloadCoreAsync(LoadedPlugin plugin, CancellationToken cancellationToken, bool routesAlreadySwitched = false)
    {
        var id = plugin.Manifest.Id;
        plugin.State = PluginState.Draining;
        if (plugin.Routes is not null && !routesAlreadySwitched)
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
            if (export.All)
            {
                foreach (var each in _host.GetServices(export.ServiceType).OfType<object>())
                {
                    services.AddSingleton(export.ServiceType, each);
                }

                continue;
            }

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

    private void Validate(PluginManifest manifest, string folderName, LoadedPlugin? replacing)
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
            var duplicate = _loaded.FirstOrDefault(p => !ReferenceEquals(p, replacing) && string.Equals(p.Manifest.Id, manifest.Id, StringComparison.OrdinalIgnoreCase));
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
        !RuntimeDisabled.Contains(id) && !RuntimeDisabled.Contains(folderName)
        && !_options.Disabled.Contains(id, StringComparer.OrdinalIgnoreCase)
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
        AggregateException aggregate when MissingServices(aggregate) is { Count: > 0 } missing =>
            $"it needs {string.Join(", ", missing)}, which this host does not provide (is the service configured?)",
        TargetInvocationException { InnerException: { } inner } => $"{inner.GetType().Name}: {inner.Message}",
        OperationCanceledException => "start timed out",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    /// <summary>The services a plugin's container could not resolve, from DI's validation errors.</summary>
    private static List<string> MissingServices(AggregateException aggregate) =>
        [.. aggregate.InnerExceptions
            .Select(e => MissingServicePattern().Match(e.Message))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .Distinct(StringComparer.Ordinal)];

    [System.Text.RegularExpressions.GeneratedRegex("Unable to resolve service for type '([^']+)'", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex MissingServicePattern();

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Plugin {PluginId} {Version} loaded: {Commands} commands, {Components} component routes, {Modals} modal routes, {EventHandlers} event handlers, {HttpEndpoints} HTTP endpoints")]
    private static partial void LogPluginLoaded(ILogger logger, string pluginId, string version, int commands, int components, int modals, int eventHandlers, int httpEndpoints);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Plugin {PluginId} from {Folder} was skipped: {Reason}")]
    private static partial void LogPluginFailed(ILogger logger, Exception? exception, string pluginId, string folder, string reason);

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

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "Plugin {PluginId} swapped {OldVersion} -> {NewVersion}: switched after {SwitchMs:F1} ms, done after {TotalMs:F1} ms, {InFlight} interactions drained")]
    private static partial void LogSwapped(ILogger logger, string pluginId, string oldVersion, string newVersion, double switchMs, double totalMs, int inFlight);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Swap of plugin {PluginId} {Version} to {Folder} refused; the running version keeps serving: {Reason}")]
    private static partial void LogSwapRefused(ILogger logger, string pluginId, string version, string folder, string? reason);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "The load context of plugin {PluginId} {Version} was not collected after unload: something still references its types (a leak)")]
    private static partial void LogLoadContextLeaked(ILogger logger, string pluginId, string version);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Plugin folder {Folder} holds neither <folder name>.dll nor version folders with it; skipped")]
    private static partial void LogNoAssembly(ILogger logger, string folder);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "Enabled plugin {PluginId} was not found in {Folder}")]
    private static partial void LogEnabledPluginMissing(ILogger logger, string pluginId, string folder);
}
