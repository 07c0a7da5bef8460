using Microsoft.Extensions.Hosting;

namespace NafflesBotKit.Runtime.Plugins;

/// <summary>Loads the enabled plugins when the host starts and unloads them (draining in-flight work) when it stops.</summary>
internal sealed class PluginLifetimeService(PluginManager plugins) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => plugins.LoadAllAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => plugins.UnloadAllAsync(cancellationToken);
}
