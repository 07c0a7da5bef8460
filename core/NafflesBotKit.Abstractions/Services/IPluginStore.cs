using System.Text.Json.Serialization.Metadata;

namespace NafflesBotKit.Services;

/// <summary>
/// A plugin's durable key/value store: JSON documents under string keys, kept across host restarts (SQLite file by
/// default, Redis when configured). The instance a plugin receives is already scoped to the plugin's id, so a plugin
/// sees only its own data. Values are serialised with the <see cref="JsonTypeInfo{T}"/> the caller passes (from the
/// plugin's own source-generated context), never with reflection.
/// </summary>
/// <remarks>
/// Keys are 1-200 characters; <c>/</c> may be used to build hierarchies that <see cref="ListKeysAsync"/> can list by
/// prefix. Use <see cref="ForGuild"/> for data that belongs to one guild: it is deleted when the bot leaves the guild.
/// </remarks>
public interface IPluginStore
{
    /// <summary>The plugin the store belongs to.</summary>
    string PluginId { get; }

    /// <summary>The guild this view is scoped to, or null for the plugin's global data.</summary>
    ulong? GuildId { get; }

    /// <summary>A view of the same plugin's data for one guild.</summary>
    /// <param name="guildId">The guild.</param>
    /// <returns>The guild-scoped store.</returns>
    IPluginStore ForGuild(ulong guildId);

    /// <summary>
    /// Another plugin's store (in the same guild scope as this view), when the deployment shares it with this plugin
    /// (configuration <c>Storage:Shares:{ownerPluginId}</c> lists the plugins it is shared with).
    /// </summary>
    /// <param name="ownerPluginId">The plugin whose data to open.</param>
    /// <returns>The owner's store.</returns>
    /// <exception cref="UnauthorizedAccessException">The owner's data is not shared with this plugin.</exception>
    IPluginStore OpenShared(string ownerPluginId);

    /// <summary>Reads a value.</summary>
    /// <typeparam name="T">Value type.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="typeInfo">JSON metadata of <typeparamref name="T"/> from a source-generated context.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The value, or default when the key is absent or expired.</returns>
    ValueTask<T?> GetAsync<T>(string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default);

    /// <summary>Writes a value, replacing any previous one.</summary>
    /// <typeparam name="T">Value type.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">JSON metadata of <typeparamref name="T"/>.</param>
    /// <param name="timeToLive">When set, the value disappears after this long (e.g. seen webhook ids).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask SetAsync<T>(string key, T value, JsonTypeInfo<T> typeInfo, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a value only when the key is absent (or expired): an atomic "first one wins", e.g. to remember a webhook
    /// delivery id and learn whether it was seen before.
    /// </summary>
    /// <typeparam name="T">Value type.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">JSON metadata of <typeparamref name="T"/>.</param>
    /// <param name="timeToLive">Optional lifetime of the value.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>True when the value was written; false when the key already existed.</returns>
    ValueTask<bool> TryAddAsync<T>(string key, T value, JsonTypeInfo<T> typeInfo, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>True when the key existed.</returns>
    ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Lists the keys (of this scope) that start with <paramref name="prefix"/>, in ordinal order.</summary>
    /// <param name="prefix">The prefix; empty lists every key of the scope.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The keys, without any scope prefix.</returns>
    ValueTask<IReadOnlyList<string>> ListKeysAsync(string prefix = "", CancellationToken cancellationToken = default);
}
