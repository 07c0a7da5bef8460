using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Plugins;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Runtime.Services.Store;
using NafflesBotKit.Services;

namespace NafflesBotKit.Runtime.Plugins;

/// <summary>
/// Operator controls over plugins (admin HTTP API, owner-only slash commands): enable, disable, reload, roll back,
/// and per-guild on/off. Operations run on their own task, never on the caller's: a plugin's command may reload the
/// plugin itself without waiting for its own drain.
/// </summary>
public sealed partial class PluginAdministration : IPluginAdministration
{
    private const string GuildDisabledKey = "plugins:disabled";
    private const string DisabledKey = "plugins:operator-disabled";
    private readonly PluginManager _plugins;
    private readonly IPluginStore _store;
    private readonly HashSet<ulong> _operators;
    private readonly ILogger<PluginAdministration> _logger;
    private readonly ConcurrentDictionary<ulong, IReadOnlySet<string>> _guildDisabled = new();
    private readonly SemaphoreSlim _guildWrite = new(1, 1);

    /// <summary>Creates the administration.</summary>
    public PluginAdministration(PluginManager plugins, PluginStoreFactory stores, IConfiguration configuration, ILogger<PluginAdministration> logger)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(configuration);
        _plugins = plugins;
        _store = stores.For(PluginStoreFactory.HostNamespace);
        _logger = logger;
        _operators = [.. configuration.GetSection("Admin:OwnerIds").GetChildren().Select(c => c.Value)
            .Concat((configuration["Admin:OwnerIds"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(v => ulong.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(v => ulong.Parse(v!, CultureInfo.InvariantCulture))];
    }

    /// <summary>Raised with the guild's id after a plugin was switched on or off there (command sync re-syncs the guild).</summary>
    public event EventHandler<ulong>? GuildPluginsChanged;

    /// <inheritdoc />
    public IReadOnlyList<PluginInfo> List() =>
        [.. _plugins.Statuses.Select(s => new PluginInfo(s.Id, s.Version, s.State.ToString(), s.LoadedAt, s.InFlight, s.Error, _plugins.PreviousFolder(s.Id) is not null))
            .Concat(_plugins.RuntimeDisabled.Where(id => !_plugins.Statuses.Any(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase)))
                .Select(id => new PluginInfo(id, null, "Disabled", null, 0, null, false)))
            .OrderBy(p => p.Id, StringComparer.Ordinal)];

    /// <inheritdoc />
    public bool IsOperator(ulong userId) => _operators.Contains(userId);

    /// <inheritdoc />
    public Task<PluginOperationResult> EnableAsync(string pluginId, CancellationToken cancellationToken) => Run(pluginId, "enable", async ct =>
    {
        _plugins.RuntimeDisabled.Remove(pluginId);
        await SaveDisabledAsync(ct).ConfigureAwait(false);
        if (_plugins.Find(pluginId) is not null)
        {
            return new PluginOperationResult(pluginId, true, $"{pluginId} is already running.");
        }

        var folder = _plugins.KnownFolder(pluginId);
        if (folder is null)
        {
            return new PluginOperationResult(pluginId, false, $"No plugin '{pluginId}' is known in the plugins folder.");
        }

        var loaded = await _plugins.LoadAsync(folder, ct).ConfigureAwait(false);
        return loaded is null
            ? new PluginOperationResult(pluginId, false, $"{pluginId} did not load: {_plugins.Statuses.FirstOrDefault(s => Is(s.Id, pluginId))?.Error}")
            : new PluginOperationResult(loaded.Manifest.Id, true, $"{loaded.Manifest.Id} {loaded.Manifest.Version} enabled.");
    }, cancellationToken);

    /// <inheritdoc />
    public Task<PluginOperationResult> DisableAsync(string pluginId, CancellationToken cancellationToken) => Run(pluginId, "disable", async ct =>
    {
        _plugins.RuntimeDisabled.Add(pluginId);
        await SaveDisabledAsync(ct).ConfigureAwait(false);
        var context = await _plugins.UnloadAsync(pluginId, ct).ConfigureAwait(false);
        return context is null
            ? new PluginOperationResult(pluginId, true, $"{pluginId} was not running; it stays off.")
            : new PluginOperationResult(pluginId, true, $"{pluginId} disabled (drained and unloaded).");
    }, cancellationToken);

    /// <inheritdoc />
    public Task<PluginOperationResult> ReloadAsync(string pluginId, CancellationToken cancellationToken) => Run(pluginId, "reload", async ct =>
    {
        if (_plugins.Find(pluginId) is not { } running)
        {
            return new PluginOperationResult(pluginId, false, $"{pluginId} is not running.");
        }

        var current = Path.TrimEndingDirectorySeparator(running.Folder);
        var target = PluginFolders.VersionsRootOf(current) is { } root ? PluginFolders.ResolveNewest(root) ?? current : current;
        return Describe(await _plugins.SwapAsync(running.Manifest.Id, target, ct).ConfigureAwait(false));
    }, cancellationToken);

    /// <inheritdoc />
    public Task<PluginOperationResult> RollbackAsync(string pluginId, CancellationToken cancellationToken) => Run(pluginId, "rollback", async ct =>
        Describe(await _plugins.RollbackAsync(pluginId, ct).ConfigureAwait(false)), cancellationToken);

    /// <inheritdoc />
    public async Task<PluginOperationResult> SetGuildEnabledAsync(ulong guildId, string pluginId, bool enabled, CancellationToken cancellationToken)
    {
        await _guildWrite.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var disabled = new HashSet<string>(await GuildDisabledAsync(guildId, cancellationToken).ConfigureAwait(false), StringComparer.OrdinalIgnoreCase);
            var changed = enabled ? disabled.Remove(pluginId) : disabled.Add(pluginId);
            var store = _store.ForGuild(guildId);
            await store.SetAsync(GuildDisabledKey, disabled.Order(StringComparer.Ordinal).ToArray(), AdministrationJsonContext.Default.StringArray, cancellationToken: cancellationToken).ConfigureAwait(false);
            _guildDisabled[guildId] = disabled;
            LogGuildPlugin(_logger, pluginId, guildId, enabled);
            if (changed)
            {
                GuildPluginsChanged?.Invoke(this, guildId);
            }

            var state = enabled ? "on" : "off";
            return new PluginOperationResult(pluginId, true, changed ? $"{pluginId} is now {state} in this server." : $"{pluginId} was already {state} in this server.");
        }
        finally
        {
            _guildWrite.Release();
        }
    }

    /// <summary>
    /// Before the plugins load at start: the plugins an operator disabled stay off across restarts (kept in the host's
    /// store, shared by every process on Redis) until they are enabled again. A store that cannot be read is logged and
    /// the configuration alone decides.
    /// </summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task RestoreDisabledAsync(CancellationToken cancellationToken)
    {
        try
        {
            var stored = await _store.GetAsync(DisabledKey, AdministrationJsonContext.Default.StringArray, cancellationToken).ConfigureAwait(false) ?? [];
            foreach (var id in stored)
            {
                _plugins.RuntimeDisabled.Add(id);
            }

            if (stored.Length > 0)
            {
                LogRestored(_logger, string.Join(", ", stored));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRestoreFailed(_logger, ex);
        }
    }

    private readonly SemaphoreSlim _disabledWrite = new(1, 1);

    private async Task SaveDisabledAsync(CancellationToken cancellationToken)
    {
        await _disabledWrite.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string[] disabled = [.. _plugins.RuntimeDisabled.Order(StringComparer.OrdinalIgnoreCase)];
            await _store.SetAsync(DisabledKey, disabled, AdministrationJsonContext.Default.StringArray, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _disabledWrite.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GuildDisabledAsync(ulong guildId, CancellationToken cancellationToken) =>
        [.. await DisabledSetAsync(guildId, cancellationToken).ConfigureAwait(false)];

    /// <summary>The plugins off in a guild (cached after the first read).</summary>
    internal async ValueTask<IReadOnlySet<string>> DisabledSetAsync(ulong guildId, CancellationToken cancellationToken)
    {
        if (_guildDisabled.TryGetValue(guildId, out var cached))
        {
            return cached;
        }

        var stored = await _store.ForGuild(guildId).GetAsync(GuildDisabledKey, AdministrationJsonContext.Default.StringArray, cancellationToken).ConfigureAwait(false);
        var set = new HashSet<string>(stored ?? [], StringComparer.OrdinalIgnoreCase);
        return _guildDisabled.GetOrAdd(guildId, set);
    }

    private static PluginOperationResult Describe(PluginSwapResult result) => result.Succeeded
        ? new PluginOperationResult(result.PluginId, true, string.Create(CultureInfo.InvariantCulture, $"{result.PluginId} {result.OldVersion} -> {result.NewVersion}: switched in {result.SwitchedAfter.TotalMilliseconds:F0} ms, {result.InFlightAtSwitch} in-flight drained{(result.OldContextCollected ? string.Empty : "; WARNING: the old version was not collected (leak)")}."))
        : new PluginOperationResult(result.PluginId, false, $"{result.PluginId} kept {result.OldVersion}: {result.Error}");

    private static bool Is(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private Task<PluginOperationResult> Run(string pluginId, string operation, Func<CancellationToken, Task<PluginOperationResult>> work, CancellationToken cancellationToken)
    {
        // Detached from the caller's execution so a plugin can reload itself; the caller's token still cancels it.
        return Task.Run(
            async () =>
            {
                PluginOperationResult result;
                try
                {
                    result = await work(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    result = new PluginOperationResult(pluginId, false, $"{operation} failed: {ex.Message}");
                }

                LogOperation(_logger, operation, pluginId, result.Succeeded, result.Message);
                return result;
            },
            cancellationToken);
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Plugin operation {Operation} on {PluginId}: succeeded={Succeeded}: {Message}")]
    private static partial void LogOperation(ILogger logger, string operation, string pluginId, bool succeeded, string message);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Plugins disabled by an operator stay off: {PluginIds}")]
    private static partial void LogRestored(ILogger logger, string pluginIds);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Error, Message = "Cannot read which plugins an operator disabled; the configuration alone decides what loads")]
    private static partial void LogRestoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Plugin {PluginId} in guild {GuildId} set enabled={Enabled}")]
    private static partial void LogGuildPlugin(ILogger logger, string pluginId, ulong guildId, bool enabled);
}

/// <summary>Answers "not enabled here" for a plugin that a guild turned off.</summary>
internal sealed class GuildPluginGuard(PluginAdministration administration) : IInteractionGuard
{
    public int Order => 50;

    public async ValueTask<GuardResult> CheckAsync(Interaction interaction, RouteInfo route, CancellationToken cancellationToken)
    {
        if (interaction.GuildId is not { } guildId)
        {
            return GuardResult.Allow;
        }

        var disabled = await administration.DisabledSetAsync(guildId, cancellationToken).ConfigureAwait(false);
        return disabled.Contains(route.PluginId)
            ? GuardResult.Deny(
                MessagePayload.FromEmbed(NafflesEmbeds.Error("Not enabled here", "This feature is turned off on this server.", ["Ask a server administrator if you think it should be on"])),
                "plugin disabled in guild")
            : GuardResult.Allow;
    }
}

[JsonSerializable(typeof(string[]))]
internal sealed partial class AdministrationJsonContext : JsonSerializerContext;
