using NafflesBotKit.Runtime.Services.Store;
using NafflesBotKit.Services;
using DiscordPermissions = NafflesBotKit.Interactions.Permissions;

namespace NafflesBotKit.Runtime.Services.Permissions;

/// <summary>Per-guild permission overrides, kept in the host's namespace of the store (so they survive restarts and leave with the guild).</summary>
/// <param name="stores">The store factory.</param>
public sealed class PermissionOverrideStore(PluginStoreFactory stores) : IPermissionOverrides
{
    private const string Prefix = "permission-overrides/";
    private readonly IPluginStore _store = stores.For(PluginStoreFactory.HostNamespace);

    /// <inheritdoc />
    public async ValueTask<DiscordPermissions?> GetAsync(ulong guildId, string commandPath, CancellationToken cancellationToken = default)
    {
        var value = await _store.ForGuild(guildId).GetAsync(Key(commandPath), RuntimeJsonContext.Default.NullableUInt64, cancellationToken).ConfigureAwait(false);
        return value is { } bits ? (DiscordPermissions)bits : null;
    }

    /// <inheritdoc />
    public ValueTask SetAsync(ulong guildId, string commandPath, DiscordPermissions permissions, CancellationToken cancellationToken = default) =>
        _store.ForGuild(guildId).SetAsync(Key(commandPath), (ulong?)(ulong)permissions, RuntimeJsonContext.Default.NullableUInt64, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ClearAsync(ulong guildId, string commandPath, CancellationToken cancellationToken = default) =>
        _store.ForGuild(guildId).DeleteAsync(Key(commandPath), cancellationToken);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, DiscordPermissions>> ListAsync(ulong guildId, CancellationToken cancellationToken = default)
    {
        var guild = _store.ForGuild(guildId);
        var result = new Dictionary<string, DiscordPermissions>(StringComparer.Ordinal);
        foreach (var key in await guild.ListKeysAsync(Prefix, cancellationToken).ConfigureAwait(false))
        {
            if (await guild.GetAsync(key, RuntimeJsonContext.Default.NullableUInt64, cancellationToken).ConfigureAwait(false) is { } bits)
            {
                result[key[Prefix.Length..]] = (DiscordPermissions)bits;
            }
        }

        return result;
    }

    private static string Key(string commandPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commandPath);
        return Prefix + commandPath.Trim().ToLowerInvariant();
    }
}
