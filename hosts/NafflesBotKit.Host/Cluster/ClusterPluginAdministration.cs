using NafflesBotKit.Plugins;
using NafflesBotKit.Runtime.Plugins;
using NafflesBotKit.Runtime.Services;
using StackExchange.Redis;

namespace NafflesBotKit.Host.Cluster;

/// <summary>
/// Plugin administration for several processes: every enable, disable, reload (swap to the newest version in the
/// plugins folder), rollback and per-guild switch runs here and is then published on the Redis channel
/// <c>{prefix}cluster:plugins</c>; <see cref="ClusterAdminRelay"/> in every other process runs it there too. Each
/// process answers for itself: the caller gets this process's result.
/// Pub/sub reaches only the processes running at that moment. What a missed command leaves behind is read when a process
/// starts: the plugins an operator disabled and the per-guild switches live in the shared store, and the version an
/// enable, reload or rollback left a plugin on is kept in the hash <c>{prefix}cluster:plugins:versions</c>, which a
/// starting process catches up with before it relays anything (<see cref="ReconcileAsync"/>).
/// </summary>
internal sealed partial class ClusterPluginAdministration(PluginAdministration local, PluginManager plugins, RedisConnection redis, ClusterIdentity identity, ILogger<ClusterPluginAdministration> logger) : IPluginAdministration
{
    public IReadOnlyList<PluginInfo> List() => local.List();

    public bool IsOperator(ulong userId) => local.IsOperator(userId);

    public Task<PluginOperationResult> EnableAsync(string pluginId, CancellationToken cancellationToken) =>
        RunAndPublishAsync("enable", pluginId, null, () => local.EnableAsync(pluginId, cancellationToken), cancellationToken);

    public Task<PluginOperationResult> DisableAsync(string pluginId, CancellationToken cancellationToken) =>
        RunAndPublishAsync("disable", pluginId, null, () => local.DisableAsync(pluginId, cancellationToken), cancellationToken);

    public Task<PluginOperationResult> ReloadAsync(string pluginId, CancellationToken cancellationToken) =>
        RunAndPublishAsync("reload", pluginId, null, () => local.ReloadAsync(pluginId, cancellationToken), cancellationToken);

    public Task<PluginOperationResult> RollbackAsync(string pluginId, CancellationToken cancellationToken) =>
        RunAndPublishAsync("rollback", pluginId, null, () => local.RollbackAsync(pluginId, cancellationToken), cancellationToken);

    public Task<PluginOperationResult> SetGuildEnabledAsync(ulong guildId, string pluginId, bool enabled, CancellationToken cancellationToken) =>
        RunAndPublishAsync(enabled ? "guild-on" : "guild-off", pluginId, guildId, () => local.SetGuildEnabledAsync(guildId, pluginId, enabled, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<string>> GuildDisabledAsync(ulong guildId, CancellationToken cancellationToken) => local.GuildDisabledAsync(guildId, cancellationToken);

    /// <summary>Runs a command received from another process.</summary>
    internal Task<PluginOperationResult> ApplyAsync(ClusterAdminCommand command, CancellationToken cancellationToken) => command.Action switch
    {
        "enable" => local.EnableAsync(command.PluginId, cancellationToken),
        "disable" => local.DisableAsync(command.PluginId, cancellationToken),
        "reload" => local.ReloadAsync(command.PluginId, cancellationToken),
        "rollback" => local.RollbackAsync(command.PluginId, cancellationToken),
        "guild-on" or "guild-off" when command.GuildId is { } guild => local.SetGuildEnabledAsync(guild, command.PluginId, command.Action == "guild-on", cancellationToken),
        _ => Task.FromResult(new PluginOperationResult(command.PluginId, false, $"unknown cluster command '{command.Action}'")),
    };

    /// <summary>
    /// Brings this process's running plugins to the version the cluster's last enable, reload or rollback left them on,
    /// when that version is in this process's plugins folder. Returns what it changed. (Which plugins are off is not
    /// recorded here: the plugins an operator disabled are kept in the shared store and stay off when a process starts.)
    /// </summary>
    /// <param name="onlyPluginId">Only this plugin (after a relayed command), or every recorded one.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    internal async Task<IReadOnlyList<string>> ReconcileAsync(string? onlyPluginId, CancellationToken cancellationToken)
    {
        var database = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var key = ClusterPluginVersions.Key(redis);
        var entries = onlyPluginId is null
            ? await database.HashGetAllAsync(key).ConfigureAwait(false)
            : [new HashEntry(onlyPluginId.ToLowerInvariant(), await database.HashGetAsync(key, onlyPluginId.ToLowerInvariant()).ConfigureAwait(false))];
        var changes = new List<string>();
        foreach (var entry in entries)
        {
            string? version = entry.Value;
            if (string.IsNullOrEmpty(version) || plugins.Find(entry.Name!) is not { } running || SameVersion(running.Manifest.Version, version))
            {
                continue; // nothing recorded, not running here (off), or already on it
            }

            string pluginId = entry.Name!;
            var root = PluginFolders.VersionsRootOf(running.Folder);
            if ((root is null ? null : PluginFolders.Versions(root).FirstOrDefault(v => SameVersion(v.Version.ToString(), version)).Folder) is not { } folder)
            {
                LogVersionMissing(logger, pluginId, version, running.Manifest.Version);
                changes.Add($"{pluginId}: version {version} is not in this process's plugins folder; staying on {running.Manifest.Version}");
                continue;
            }

            var swap = await plugins.SwapAsync(running.Manifest.Id, folder, cancellationToken).ConfigureAwait(false);
            changes.Add($"{pluginId}: {running.Manifest.Version} -> {version}: {(swap.Succeeded ? "swapped" : "failed: " + swap.Error)}");
        }

        return changes;
    }

    private static bool SameVersion(string? a, string b) =>
        string.Equals(a, b, StringComparison.OrdinalIgnoreCase)
        || (Version.TryParse(a, out var x) && Version.TryParse(b, out var y) && x == y);

    /// <summary>The version a successful enable, reload or rollback left the plugin on here, for processes that were not listening.</summary>
    private async Task RecordVersionAsync(string action, string pluginId, CancellationToken cancellationToken)
    {
        if (action is not ("enable" or "reload" or "rollback") || plugins.Find(pluginId)?.Manifest.Version is not { Length: > 0 } version)
        {
            return;
        }

        var database = await redis.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await database.HashSetAsync(ClusterPluginVersions.Key(redis), pluginId.ToLowerInvariant(), version).ConfigureAwait(false);
    }

    private async Task<PluginOperationResult> RunAndPublishAsync(string action, string pluginId, ulong? guildId, Func<Task<PluginOperationResult>> run, CancellationToken cancellationToken)
    {
        var result = await run().ConfigureAwait(false);
        try
        {
            // Recorded before it is published: a process starting now either reads it or receives the message.
            if (result.Succeeded)
            {
                await RecordVersionAsync(action, pluginId, cancellationToken).ConfigureAwait(false);
            }

            var subscriber = await redis.GetSubscriberAsync(cancellationToken).ConfigureAwait(false);
            var receivers = await subscriber.PublishAsync(ClusterAdminCommand.Channel(redis), new ClusterAdminCommand(identity.ProcessId, action, pluginId, guildId).Serialize()).ConfigureAwait(false);
            LogPublished(logger, action, pluginId, receivers);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogPublishFailed(logger, ex, action, pluginId);
            return result with { Message = result.Message + " (not relayed to the other processes: Redis is unreachable)" };
        }

        return result;
    }

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "Plugin command {Action} {PluginId} relayed to {Receivers} process(es) (this one included)")]
    private static partial void LogPublished(ILogger logger, string action, string pluginId, long receivers);

    [LoggerMessage(EventId = 4115, Level = LogLevel.Warning, Message = "The cluster runs {PluginId} {Version}, which is not in this process's plugins folder; staying on {Current}")]
    private static partial void LogVersionMissing(ILogger logger, string pluginId, string version, string? current);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Error, Message = "Plugin command {Action} {PluginId} ran here but could not be relayed to the other processes")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string action, string pluginId);
}

/// <summary>A plugin command relayed between processes: <c>origin|action|plugin|guild</c>.</summary>
internal sealed record ClusterAdminCommand(string Origin, string Action, string PluginId, ulong? GuildId)
{
    public static RedisChannel Channel(RedisConnection redis) => RedisChannel.Literal(redis.KeyPrefix + "cluster:plugins");

    public string Serialize() => string.Join('|', Origin, Action, PluginId, GuildId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");

    public static ClusterAdminCommand? Parse(string? text)
    {
        var parts = text?.Split('|');
        if (parts is not { Length: 4 })
        {
            return null;
        }

        ulong? guild = ulong.TryParse(parts[3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var g) ? g : null;
        return new ClusterAdminCommand(parts[0], parts[1], parts[2], guild);
    }
}

/// <summary>The Redis hash of the version each plugin runs on in the cluster (plugin id → version).</summary>
internal static class ClusterPluginVersions
{
    public static RedisKey Key(RedisConnection redis) => redis.KeyPrefix + "cluster:plugins:versions";
}

/// <summary>This process's id in the cluster (the gateway's lease owner name when the gateway runs).</summary>
internal sealed class ClusterIdentity(IConfiguration configuration)
{
    public string ProcessId { get; } = configuration["Cluster:ProcessId"] is { Length: > 0 } id ? id : $"{Environment.MachineName}-{Environment.ProcessId}";
}

/// <summary>Runs the plugin commands other processes publish (see <see cref="ClusterPluginAdministration"/>).</summary>
internal sealed partial class ClusterAdminRelay(ClusterPluginAdministration administration, RedisConnection redis, ClusterIdentity identity, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<ClusterAdminRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ChannelMessageQueue? queue = null;
        while (queue is null)
        {
            try
            {
                var subscriber = await redis.GetSubscriberAsync(stoppingToken).ConfigureAwait(false);
                queue = await subscriber.SubscribeAsync(ClusterAdminCommand.Channel(redis)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogSubscribeFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken).ConfigureAwait(false);
            }
        }

        try
        {
            // Subscribed first, then caught up: a command published meanwhile is both in the record and in the queue
            // (applying it twice is harmless). The plugins configured here are loaded by the time the host has started.
            await WaitForStartAsync(stoppingToken).ConfigureAwait(false);
            await CatchUpAsync(stoppingToken).ConfigureAwait(false);

            // One at a time, in publication order: an enable then a disable must not overtake each other.
            while (!stoppingToken.IsCancellationRequested)
            {
                var message = await queue.ReadAsync(stoppingToken).ConfigureAwait(false);
                if (ClusterAdminCommand.Parse(message.Message) is not { } command || command.Origin == identity.ProcessId)
                {
                    continue;
                }

                try
                {
                    var result = await administration.ApplyAsync(command, stoppingToken).ConfigureAwait(false);
                    LogApplied(logger, command.Action, command.PluginId, command.Origin, result.Succeeded, result.Message);

                    // "enable" or "reload" here picks this folder's version; the cluster runs the one the origin ran.
                    if (command.GuildId is null)
                    {
                        var changes = await administration.ReconcileAsync(command.PluginId, stoppingToken).ConfigureAwait(false);
                        if (changes.Count > 0)
                        {
                            LogCaughtUp(logger, changes.Count, string.Join("; ", changes));
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogApplyFailed(logger, ex, command.Action, command.PluginId, command.Origin);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
        }
        finally
        {
            await queue.UnsubscribeAsync().ConfigureAwait(false);
        }
    }

    private async Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
    }

    private async Task CatchUpAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var changes = await administration.ReconcileAsync(null, stoppingToken).ConfigureAwait(false);
                LogCaughtUp(logger, changes.Count, changes.Count == 0 ? "nothing to change" : string.Join("; ", changes));
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException && attempt < 5)
            {
                LogCatchUpFailed(logger, ex, attempt);
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogCatchUpFailed(logger, ex, attempt);
                return; // relaying what comes next still works; the plugins stay as configured here
            }
        }
    }

    [LoggerMessage(EventId = 4116, Level = LogLevel.Information, Message = "Caught up with the cluster's plugin commands: {Count} change(s): {Changes}")]
    private static partial void LogCaughtUp(ILogger logger, int count, string changes);

    [LoggerMessage(EventId = 4117, Level = LogLevel.Warning, Message = "Cannot read the cluster's plugin state (attempt {Attempt})")]
    private static partial void LogCatchUpFailed(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Information, Message = "Plugin command {Action} {PluginId} from {Origin} applied here: {Succeeded} ({Message})")]
    private static partial void LogApplied(ILogger logger, string action, string pluginId, string origin, bool succeeded, string message);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Error, Message = "Plugin command {Action} {PluginId} from {Origin} failed here")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception, string action, string pluginId, string origin);

    [LoggerMessage(EventId = 4114, Level = LogLevel.Warning, Message = "Cannot subscribe to the cluster's plugin commands yet (Redis unreachable); retrying")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);
}
