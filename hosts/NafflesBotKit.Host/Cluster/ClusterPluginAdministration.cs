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
/// </summary>
internal sealed partial class ClusterPluginAdministration(PluginAdministration local, RedisConnection redis, ClusterIdentity identity, ILogger<ClusterPluginAdministration> logger) : IPluginAdministration
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

    private async Task<PluginOperationResult> RunAndPublishAsync(string action, string pluginId, ulong? guildId, Func<Task<PluginOperationResult>> run, CancellationToken cancellationToken)
    {
        var result = await run().ConfigureAwait(false);
        try
        {
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

/// <summary>This process's id in the cluster (the gateway's lease owner name when the gateway runs).</summary>
internal sealed class ClusterIdentity(IConfiguration configuration)
{
    public string ProcessId { get; } = configuration["Cluster:ProcessId"] is { Length: > 0 } id ? id : $"{Environment.MachineName}-{Environment.ProcessId}";
}

/// <summary>Runs the plugin commands other processes publish (see <see cref="ClusterPluginAdministration"/>).</summary>
internal sealed partial class ClusterAdminRelay(ClusterPluginAdministration administration, RedisConnection redis, ClusterIdentity identity, TimeProvider time, ILogger<ClusterAdminRelay> logger) : BackgroundService
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

    [LoggerMessage(EventId = 4112, Level = LogLevel.Information, Message = "Plugin command {Action} {PluginId} from {Origin} applied here: {Succeeded} ({Message})")]
    private static partial void LogApplied(ILogger logger, string action, string pluginId, string origin, bool succeeded, string message);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Error, Message = "Plugin command {Action} {PluginId} from {Origin} failed here")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception, string action, string pluginId, string origin);

    [LoggerMessage(EventId = 4114, Level = LogLevel.Warning, Message = "Cannot subscribe to the cluster's plugin commands yet (Redis unreachable); retrying")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);
}
