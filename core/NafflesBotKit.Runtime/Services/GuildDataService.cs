using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Events;
using NafflesBotKit.Runtime.Services.Permissions;
using NafflesBotKit.Runtime.Services.Store;

namespace NafflesBotKit.Runtime.Services;

/// <summary>
/// Keeps the host's guild-scoped state in step with guild events from host start: the owner directory listens to
/// GUILD_CREATE, and when the bot leaves a guild everything any plugin stored for it is deleted.
/// </summary>
public sealed partial class GuildDataService(IEventBus bus, IGuildOwnerLookup owners, PluginStoreFactory stores, ILogger<GuildDataService> logger) : IHostedService, IDisposable
{
    private IDisposable? _subscription;

    /// <summary>The owner directory (resolved at start so it sees every GUILD_CREATE).</summary>
    public IGuildOwnerLookup Owners { get; } = owners;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription ??= bus.Subscribe<GuildLeft>(async (e, ct) =>
        {
            var deleted = await stores.DeleteGuildAsync(e.GuildId, ct).ConfigureAwait(false);
            LogGuildDataDeleted(logger, e.GuildId, deleted);
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Interlocked.Exchange(ref _subscription, null)?.Dispose();
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Left guild {GuildId}: deleted {Count} stored values")]
    private static partial void LogGuildDataDeleted(ILogger logger, ulong guildId, int count);
}
