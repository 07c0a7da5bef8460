using System.Reflection;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NafflesBotKit.Plugins;
using NafflesBotKit.Runtime.Routing;

namespace NafflesBotKit.Runtime.Plugins;

/// <summary>Lifecycle states of a plugin.</summary>
public enum PluginState
{
    /// <summary>Being loaded, validated or started.</summary>
    Loading,

    /// <summary>Serving traffic.</summary>
    Active,

    /// <summary>No longer receiving new work; finishing in-flight work.</summary>
    Draining,

    /// <summary>Stopped and unloaded.</summary>
    Unloaded,

    /// <summary>Failed to load or start; see the error.</summary>
    Failed,
}

/// <summary>What operators see of a plugin.</summary>
/// <param name="Id">Plugin id (or the folder name when the manifest could not be read).</param>
/// <param name="Version">Version, when known.</param>
/// <param name="Description">Description.</param>
/// <param name="Folder">Folder it was loaded from.</param>
/// <param name="State">State.</param>
/// <param name="LoadedAt">When it became active.</param>
/// <param name="InFlight">Interactions and events it is handling now.</param>
/// <param name="Error">Why it failed, if it did.</param>
public sealed record PluginStatus(string Id, string? Version, string? Description, string Folder, PluginState State, DateTimeOffset? LoadedAt, int InFlight, string? Error);

/// <summary>The outcome of a hot swap.</summary>
/// <param name="PluginId">The plugin.</param>
/// <param name="Succeeded">Whether the new version now serves.</param>
/// <param name="OldVersion">The version that served before.</param>
/// <param name="NewVersion">The version that serves now (null when refused).</param>
/// <param name="Error">Why the swap was refused (the old version keeps serving).</param>
/// <param name="SwitchedAfter">Time from the start of the swap to the atomic switch.</param>
/// <param name="Duration">Time until the old version was drained, stopped and unloaded.</param>
/// <param name="InFlightAtSwitch">Interactions the old version was handling at the switch (all drained).</param>
/// <param name="OldContextCollected">Whether the old version's load context was collected (false = a leak).</param>
public sealed record PluginSwapResult(
    string PluginId,
    bool Succeeded,
    string? OldVersion,
    string? NewVersion,
    string? Error,
    TimeSpan SwitchedAfter,
    TimeSpan Duration,
    int InFlightAtSwitch,
    bool OldContextCollected)
{
    internal static PluginSwapResult Failed(string pluginId, string? oldVersion, string error) =>
        new(pluginId, false, oldVersion, null, error, TimeSpan.Zero, TimeSpan.Zero, 0, true);
}

/// <summary>A plugin could not be loaded or started.</summary>
public sealed class PluginLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PluginLoadException()
    {
        PluginId = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Message.</param>
    public PluginLoadException(string message)
        : base(message)
    {
        PluginId = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Message.</param>
    /// <param name="inner">Cause.</param>
    public PluginLoadException(string message, Exception inner)
        : base(message, inner)
    {
        PluginId = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="pluginId">The plugin (or folder).</param>
    /// <param name="message">Message naming what is wrong.</param>
    /// <param name="inner">Cause.</param>
    public PluginLoadException(string pluginId, string message, Exception? inner = null)
        : base(message, inner)
    {
        PluginId = pluginId;
    }

    /// <summary>The plugin (or folder).</summary>
    public string PluginId { get; }
}

/// <summary>
/// A loaded plugin: its load context, entry point, container and routes, plus the in-flight counter that
/// unloading drains on. Everything that references plugin types is dropped on unload so the load context can be
/// collected.
/// </summary>
public sealed class LoadedPlugin
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _accepting;

    internal LoadedPlugin(PluginManifest manifest, string folder, PluginLoader? loader, Assembly assembly, BotPlugin instance)
    {
        Manifest = manifest;
        Folder = folder;
        Loader = loader;
        Assembly = assembly;
        Instance = instance;
    }

    /// <summary>The manifest.</summary>
    public PluginManifest Manifest { get; }

    /// <summary>The folder it was loaded from.</summary>
    public string Folder { get; }

    /// <summary>State.</summary>
    public PluginState State { get; internal set; } = PluginState.Loading;

    /// <summary>When it became active.</summary>
    public DateTimeOffset? LoadedAt { get; internal set; }

    /// <summary>Interactions and events being handled now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Whether the plugin lives in its own collectible load context (false for in-process plugins).</summary>
    public bool IsIsolated => Loader is not null;

    /// <summary>The plugin's service provider (null after unload).</summary>
    public IServiceProvider? Services => Provider;

    internal PluginLoader? Loader { get; private set; }

    internal Assembly? Assembly { get; private set; }

    internal BotPlugin? Instance { get; private set; }

    internal ServiceProvider? Provider { get; set; }

    internal PluginRoutes? Routes { get; set; }

    internal List<IDisposable> Subscriptions { get; } = [];

    internal List<IHostedService> HostedServices { get; } = [];

    internal PluginStatus ToStatus(string? error = null) =>
        new(Manifest.Id, Manifest.Version, Manifest.Description, Folder, State, LoadedAt, InFlight, error);

    internal void Accept() => Volatile.Write(ref _accepting, 1);

    /// <summary>Counts a unit of work in; false when the plugin no longer accepts work.</summary>
    internal bool TryEnter()
    {
        Interlocked.Increment(ref _inFlight);
        if (Volatile.Read(ref _accepting) == 1)
        {
            return true;
        }

        Exit();
        return false;
    }

    internal void Exit()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && Volatile.Read(ref _accepting) == 0)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Stops accepting work; the task completes when in-flight work has finished.</summary>
    internal Task BeginDrain()
    {
        Volatile.Write(ref _accepting, 0);
        if (Volatile.Read(ref _inFlight) == 0)
        {
            _drained.TrySetResult();
        }

        return _drained.Task;
    }

    /// <summary>Drops every reference to plugin types and unloads the load context.</summary>
    internal WeakReference ReleaseAndUnload()
    {
        var context = new WeakReference(Loader?.LoadContext ?? (object?)Assembly);
        Subscriptions.Clear();
        HostedServices.Clear();
        Routes = null;
        Provider = null;
        Instance = null;
        Assembly = null;
        Loader?.Dispose();
        Loader = null;
        return context;
    }
}
