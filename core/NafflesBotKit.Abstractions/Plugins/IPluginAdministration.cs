namespace NafflesBotKit.Plugins;

/// <summary>A plugin as operators see it.</summary>
/// <param name="Id">Plugin id.</param>
/// <param name="Version">Version.</param>
/// <param name="State">Loading, Active, Draining, Unloaded, Failed or Disabled.</param>
/// <param name="LoadedAt">When it became active.</param>
/// <param name="InFlight">Work it is handling now.</param>
/// <param name="Error">Why it failed, if it did.</param>
/// <param name="CanRollBack">Whether a previous version can be restored.</param>
public sealed record PluginInfo(string Id, string? Version, string State, DateTimeOffset? LoadedAt, int InFlight, string? Error, bool CanRollBack);

/// <summary>The outcome of an operator action on a plugin.</summary>
/// <param name="PluginId">The plugin.</param>
/// <param name="Succeeded">Whether it worked.</param>
/// <param name="Message">What happened, for the operator.</param>
public sealed record PluginOperationResult(string PluginId, bool Succeeded, string Message);

/// <summary>
/// Operator controls over plugins: list, enable and disable (per deployment or per guild), reload and roll back
/// without downtime. Exposed to plugins so an admin command can offer them; only operators may use it.
/// </summary>
public interface IPluginAdministration
{
    /// <summary>Every known plugin.</summary>
    IReadOnlyList<PluginInfo> List();

    /// <summary>Whether a Discord user is a bot operator (configuration <c>Admin:OwnerIds</c>).</summary>
    /// <param name="userId">The user.</param>
    bool IsOperator(ulong userId);

    /// <summary>Loads a disabled or not-yet-loaded plugin.</summary>
    /// <param name="pluginId">Plugin id or folder name.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task<PluginOperationResult> EnableAsync(string pluginId, CancellationToken cancellationToken);

    /// <summary>Drains and unloads a plugin and keeps it off until enabled again.</summary>
    /// <param name="pluginId">Plugin id.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task<PluginOperationResult> DisableAsync(string pluginId, CancellationToken cancellationToken);

    /// <summary>Hot-swaps a plugin to the newest version on disk (or reloads the same one).</summary>
    /// <param name="pluginId">Plugin id.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task<PluginOperationResult> ReloadAsync(string pluginId, CancellationToken cancellationToken);

    /// <summary>Hot-swaps a plugin back to the version it ran before its last swap.</summary>
    /// <param name="pluginId">Plugin id.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task<PluginOperationResult> RollbackAsync(string pluginId, CancellationToken cancellationToken);

    /// <summary>Turns a plugin on or off for one guild (its commands and buttons answer "not enabled here" when off).</summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="pluginId">Plugin id.</param>
    /// <param name="enabled">On or off.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task<PluginOperationResult> SetGuildEnabledAsync(ulong guildId, string pluginId, bool enabled, CancellationToken cancellationToken);

    /// <summary>Plugins turned off for a guild.</summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task<IReadOnlyList<string>> GuildDisabledAsync(ulong guildId, CancellationToken cancellationToken);
}
