using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace NafflesBotKit.Plugins;

/// <summary>
/// The entry point of a plugin. A plugin assembly contains exactly one non-abstract subclass with a public
/// parameterless constructor; the host finds it, reads its <see cref="Manifest"/>, lets it register services,
/// discovers its handlers by scanning the assembly, then starts it.
/// </summary>
public abstract class BotPlugin
{
    /// <summary>Identity and compatibility of this plugin.</summary>
    public abstract PluginManifest Manifest { get; }

    /// <summary>
    /// Registers the plugin's own services into its private container. Host services (Naffles API, Discord,
    /// cache, store, event bus, logging, <see cref="TimeProvider"/>) are already present.
    /// </summary>
    /// <param name="services">The plugin's own service collection.</param>
    /// <param name="configuration">The plugin's configuration section (<c>Plugins:{id}</c>).</param>
    public virtual void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
    }

    /// <summary>Called once after the plugin's container is built and before its handlers receive traffic.</summary>
    /// <param name="services">The plugin's service provider.</param>
    /// <param name="cancellationToken">Cancelled when the host gives up starting the plugin.</param>
    public virtual ValueTask StartAsync(IServiceProvider services, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Called once when the plugin is unloaded or the host stops, after its in-flight work has drained.</summary>
    /// <param name="services">The plugin's service provider.</param>
    /// <param name="cancellationToken">Cancelled when the host gives up waiting.</param>
    public virtual ValueTask StopAsync(IServiceProvider services, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
