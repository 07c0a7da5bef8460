using Microsoft.Extensions.Options;
using NafflesBotKit.Services;

namespace NafflesBotKit.Runtime.Services.Store;

/// <summary>Makes stores for namespaces: each plugin's own (handed to it automatically) and the host's.</summary>
/// <param name="backend">Where data lives.</param>
/// <param name="time">The clock for lifetimes.</param>
/// <param name="options">Sharing between plugins.</param>
public sealed class PluginStoreFactory(IKeyValueBackend backend, TimeProvider time, IOptions<StorageOptions> options)
{
    /// <summary>The namespace the host keeps its own data in (permission overrides and the like).</summary>
    public const string HostNamespace = "naffles.core";

    /// <summary>The store of a namespace (a plugin id).</summary>
    /// <param name="pluginId">The namespace.</param>
    /// <returns>The store.</returns>
    public IPluginStore For(string pluginId) => new PluginStore(backend, time, pluginId, isShared: options.Value.IsShared);

    /// <summary>Deletes everything stored for a guild, by every plugin (the bot left it).</summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>How many values were deleted.</returns>
    public ValueTask<int> DeleteGuildAsync(ulong guildId, CancellationToken cancellationToken) => backend.DeleteGuildAsync(guildId, cancellationToken);
}
