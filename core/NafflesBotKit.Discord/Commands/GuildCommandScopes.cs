namespace NafflesBotKit.Discord.Commands;

/// <summary>
/// Per-guild command sets for <see cref="Rest.CommandSyncMode.Guild"/>: the plugins switched off in a guild have their
/// commands left out of that guild's set, and a switch re-syncs that guild. The host adapts the runtime's per-guild
/// plugin switches (<c>AddDiscordRuntimeBridge</c>). Global commands cannot differ per guild: in
/// <see cref="Rest.CommandSyncMode.Global"/> a switched-off plugin's commands stay visible and answer "not enabled here".
/// </summary>
public interface IGuildCommandScopes
{
    /// <summary>The ids of the plugins whose commands <paramref name="guildId"/> does not get.</summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>Plugin ids (case-insensitive).</returns>
    Task<IReadOnlyList<string>> DisabledPluginsAsync(ulong guildId, CancellationToken cancellationToken);

    /// <summary>Raised with the guild's id after a plugin was switched on or off there.</summary>
    event EventHandler<ulong>? GuildChanged;
}

/// <summary>An <see cref="IGuildCommandScopes"/> over delegates (the host's adapter).</summary>
/// <param name="disabled">Reads a guild's switched-off plugins.</param>
/// <param name="subscribe">Adds a change handler.</param>
/// <param name="unsubscribe">Removes it.</param>
public sealed class DelegateGuildCommandScopes(
    Func<ulong, CancellationToken, Task<IReadOnlyList<string>>> disabled,
    Action<EventHandler<ulong>> subscribe,
    Action<EventHandler<ulong>> unsubscribe) : IGuildCommandScopes
{
    /// <inheritdoc />
    public event EventHandler<ulong>? GuildChanged
    {
        add => subscribe(value!);
        remove => unsubscribe(value!);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> DisabledPluginsAsync(ulong guildId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(disabled);
        return disabled(guildId, cancellationToken);
    }
}
