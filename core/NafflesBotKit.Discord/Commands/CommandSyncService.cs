using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NafflesBotKit.Discord.Rest;

namespace NafflesBotKit.Discord.Commands;

/// <summary>Signals that the set of commands changed (the host adapts the runtime's <c>RouteRegistry.Changed</c>).</summary>
public interface ICommandCatalogChanges
{
    /// <summary>Raised after the loaded plugins' commands changed.</summary>
    event EventHandler? Changed;
}

/// <summary>An <see cref="ICommandCatalogChanges"/> over another object's event.</summary>
/// <param name="subscribe">Adds a handler, e.g. <c>h =&gt; registry.Changed += h</c>.</param>
/// <param name="unsubscribe">Removes it.</param>
public sealed class DelegateCommandCatalogChanges(Action<EventHandler> subscribe, Action<EventHandler> unsubscribe) : ICommandCatalogChanges
{
    /// <inheritdoc />
    public event EventHandler? Changed
    {
        add => subscribe(value!);
        remove => unsubscribe(value!);
    }
}

/// <summary>
/// Runs command sync at start and again (debounced) whenever the commands change; in Guild mode, also re-syncs one
/// guild when a plugin is switched on or off there (<see cref="IGuildCommandScopes"/>).
/// </summary>
internal sealed partial class CommandSyncService(
    IServiceProvider services,
    IOptions<DiscordOptions> options,
    TimeProvider time,
    ILogger<CommandSyncService> logger,
    IEnumerable<ICommandCatalogChanges> changes,
    IEnumerable<IGuildCommandScopes> guildScopes) : BackgroundService
{
    private readonly SemaphoreSlim _signal = new(0);
    private int _changeCount;
    private CancellationToken _stopping;

    /// <summary>Completed syncs (for tests).</summary>
    public int SyncCount => Volatile.Read(ref _syncCount);

    private int _syncCount;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.CommandSync;
        if (settings.Mode == CommandSyncMode.Off)
        {
            return;
        }

        _stopping = stoppingToken;
        var sources = changes.ToList();
        foreach (var source in sources)
        {
            source.Changed += OnChanged;
        }

        var scopes = settings.Mode == CommandSyncMode.Guild ? guildScopes.ToList() : [];
        foreach (var scope in scopes)
        {
            scope.GuildChanged += OnGuildChanged;
        }

        try
        {
            await SyncSafelyAsync(stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                await _signal.WaitAsync(stoppingToken).ConfigureAwait(false);
                int seen;
                do
                {
                    seen = Volatile.Read(ref _changeCount);
                    await Task.Delay(settings.Debounce, time, stoppingToken).ConfigureAwait(false);
                }
                while (Volatile.Read(ref _changeCount) != seen);

                while (_signal.CurrentCount > 0)
                {
                    await _signal.WaitAsync(stoppingToken).ConfigureAwait(false);
                }

                await SyncSafelyAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var source in sources)
            {
                source.Changed -= OnChanged;
            }

            foreach (var scope in scopes)
            {
                scope.GuildChanged -= OnGuildChanged;
            }
        }
    }

    /// <summary>A plugin was switched on or off in a guild: re-sync that guild (the synchronizer serialises syncs).</summary>
    private void OnGuildChanged(object? sender, ulong guildId) =>
        _ = Task.Run(() => SyncGuildSafelyAsync(guildId, _stopping), CancellationToken.None);

    private async Task SyncGuildSafelyAsync(ulong guildId, CancellationToken cancellationToken)
    {
        try
        {
            var synchronizer = (CommandSynchronizer)services.GetService(typeof(CommandSynchronizer))!;
            await synchronizer.SyncGuildAsync(guildId, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandValidationException e)
        {
            Log.Invalid(logger, string.Join(Environment.NewLine, e.Errors));
        }
        catch (Exception e) when (e is DiscordApiException or InvalidOperationException)
        {
            Log.Failed(logger, e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            Interlocked.Increment(ref _syncCount);
        }
    }

    private void OnChanged(object? sender, EventArgs e)
    {
        Interlocked.Increment(ref _changeCount);
        _signal.Release();
    }

    private async Task SyncSafelyAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (services.GetService(typeof(NafflesBotKit.Interactions.ICommandCatalog)) is null)
            {
                Log.NoCatalog(logger);
                return;
            }

            var synchronizer = (CommandSynchronizer)services.GetService(typeof(CommandSynchronizer))!;
            await synchronizer.SyncAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CommandValidationException e)
        {
            Log.Invalid(logger, string.Join(Environment.NewLine, e.Errors));
        }
        catch (Exception e) when (e is DiscordApiException or InvalidOperationException)
        {
            Log.Failed(logger, e);
        }
        finally
        {
            Interlocked.Increment(ref _syncCount);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Slash commands were not synced because they break Discord's rules:\n{Errors}")]
        public static partial void Invalid(ILogger logger, string errors);

        [LoggerMessage(2, LogLevel.Error, "Slash command sync failed")]
        public static partial void Failed(ILogger logger, Exception error);

        [LoggerMessage(3, LogLevel.Warning, "No command catalog is registered; slash commands are not synced")]
        public static partial void NoCatalog(ILogger logger);
    }
}
