using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using NafflesBotKit.Services;

namespace NafflesBotKit.Runtime.Services.Store;

/// <summary>A plugin's (optionally guild-scoped) view of the <see cref="IKeyValueBackend"/>.</summary>
public sealed class PluginStore : IPluginStore
{
    /// <summary>Longest key accepted.</summary>
    public const int MaxKeyLength = 200;

    private readonly IKeyValueBackend _backend;
    private readonly TimeProvider _time;
    private readonly Func<string, string, bool>? _isShared;

    /// <summary>Creates a view.</summary>
    /// <param name="backend">Where data lives.</param>
    /// <param name="time">The clock for lifetimes.</param>
    /// <param name="pluginId">The namespace.</param>
    /// <param name="guildId">The guild scope, or null.</param>
    /// <param name="isShared">Tells whether an owner (first argument) shares its data with a plugin (second); null shares nothing.</param>
    public PluginStore(IKeyValueBackend backend, TimeProvider time, string pluginId, ulong? guildId = null, Func<string, string, bool>? isShared = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pluginId);
        if (pluginId.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("A store namespace may not contain ':'.", nameof(pluginId));
        }

        _backend = backend;
        _time = time;
        _isShared = isShared;
        PluginId = pluginId;
        GuildId = guildId;
    }

    /// <inheritdoc />
    public string PluginId { get; }

    /// <inheritdoc />
    public ulong? GuildId { get; }

    /// <inheritdoc />
    public IPluginStore ForGuild(ulong guildId) => new PluginStore(_backend, _time, PluginId, guildId, _isShared);

    /// <inheritdoc />
    public IPluginStore OpenShared(string ownerPluginId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerPluginId);
        if (string.Equals(ownerPluginId, PluginId, StringComparison.OrdinalIgnoreCase))
        {
            return this;
        }

        if (_isShared?.Invoke(ownerPluginId, PluginId) != true)
        {
            throw new UnauthorizedAccessException($"Plugin '{ownerPluginId}' does not share its store with '{PluginId}' (configure Storage:Shares:{ownerPluginId}).");
        }

        // Not transitive: the shared view cannot open further stores.
        return new PluginStore(_backend, _time, ownerPluginId, GuildId);
    }

    /// <inheritdoc />
    public async ValueTask<T?> GetAsync<T>(string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        var bytes = await _backend.GetAsync(Key(key), cancellationToken).ConfigureAwait(false);
        return bytes is null ? default : JsonSerializer.Deserialize(bytes, typeInfo);
    }

    /// <inheritdoc />
    public ValueTask SetAsync<T>(string key, T value, JsonTypeInfo<T> typeInfo, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return _backend.SetAsync(Key(key), JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), ExpiresAt(timeToLive), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> TryAddAsync<T>(string key, T value, JsonTypeInfo<T> typeInfo, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return _backend.TryAddAsync(Key(key), JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), ExpiresAt(timeToLive), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        _backend.DeleteAsync(Key(key), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListKeysAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return _backend.ListKeysAsync(PluginId, GuildId, prefix, cancellationToken);
    }

    private static void Validate(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"Store keys are at most {MaxKeyLength} characters.", nameof(key));
        }

        if (key.Any(char.IsControl))
        {
            throw new ArgumentException("Store keys may not contain control characters.", nameof(key));
        }
    }

    private StoreKey Key(string key)
    {
        Validate(key);
        return new StoreKey(PluginId, GuildId, key);
    }

    private DateTimeOffset? ExpiresAt(TimeSpan? timeToLive)
    {
        if (timeToLive is not { } ttl)
        {
            return null;
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero, nameof(timeToLive));
        return _time.GetUtcNow() + ttl;
    }
}
