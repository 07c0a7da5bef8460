using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace NafflesBotKit.Runtime.Plugins;

/// <summary>
/// Loads the enabled plugins when the host starts (after restoring the plugins an operator disabled, which stay off
/// across restarts) and unloads them (draining in-flight work) when it stops.
/// </summary>
internal sealed class PluginLifetimeService(PluginManager plugins, IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<PluginAdministration>() is { } administration)
        {
            await administration.RestoreDisabledAsync(cancellationToken).ConfigureAwait(false);
        }

        await plugins.LoadAllAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => plugins.UnloadAllAsync(cancellationToken);
}
