namespace NafflesBotKit.Runtime.Services.Store;

/// <summary>Where a stored value lives: a plugin's namespace, optionally one guild, and the key.</summary>
/// <param name="Plugin">Plugin id (the namespace).</param>
/// <param name="Guild">Guild id, or null for the plugin's global data.</param>
/// <param name="Key">The key within the scope.</param>
public readonly record struct StoreKey(string Plugin, ulong? Guild, string Key);

/// <summary>
/// The durable byte store behind every plugin's <see cref="NafflesBotKit.Services.IPluginStore"/>. Expiry is judged
/// with the host's <see cref="TimeProvider"/> (so it is testable with fake time and equal across backends).
/// </summary>
public interface IKeyValueBackend
{
    /// <summary>Reads a live value.</summary>
    ValueTask<byte[]?> GetAsync(StoreKey key, CancellationToken cancellationToken);

    /// <summary>Writes a value (null <paramref name="expiresAt"/>: kept until deleted).</summary>
    ValueTask SetAsync(StoreKey key, byte[] value, DateTimeOffset? expiresAt, CancellationToken cancellationToken);

    /// <summary>Writes a value only if there is no live value; true when written.</summary>
    ValueTask<bool> TryAddAsync(StoreKey key, byte[] value, DateTimeOffset? expiresAt, CancellationToken cancellationToken);

    /// <summary>Deletes a key; true when a live value existed.</summary>
    ValueTask<bool> DeleteAsync(StoreKey key, CancellationToken cancellationToken);

    /// <summary>Live keys of a scope starting with a prefix, in ordinal order.</summary>
    ValueTask<IReadOnlyList<string>> ListKeysAsync(string plugin, ulong? guild, string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes every value of a guild, of every plugin; returns how many were deleted.</summary>
    ValueTask<int> DeleteGuildAsync(ulong guildId, CancellationToken cancellationToken);
}
