using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NafflesBotKit.Runtime.Plugins;

/// <summary>
/// Watches the plugins folder: when files change (a new version folder dropped beside the running one, or a new
/// plugin), it waits for the copy to settle (<see cref="PluginHostOptions.WatchDebounce"/>) and then rescans, which
/// hot-swaps to newer versions. A periodic rescan covers file systems that miss notifications.
/// </summary>
internal sealed partial class PluginFolderWatcher(PluginManager plugins, IOptions<PluginHostOptions> options, TimeProvider time, ILogger<PluginFolderWatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _changed = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.WatchForNewVersions)
        {
            return;
        }

        var root = settings.ResolvePath();
        Directory.CreateDirectory(root);
        using var watcher = new FileSystemWatcher(root) { IncludeSubdirectories = true };
        watcher.Created += OnChange;
        watcher.Changed += OnChange;
        watcher.Renamed += OnChange;
        watcher.Deleted += OnChange;
        watcher.Error += (_, e) => LogWatchError(logger, e.GetException());
        watcher.EnableRaisingEvents = true;

        // Whatever changed between the initial load and now was not notified: look once before waiting.
        await RescanAsync(stoppingToken).ConfigureAwait(false);
        LogWatching(logger, root);
        while (!stoppingToken.IsCancellationRequested)
        {
            // Wake on a change or on the periodic rescan, whichever comes first.
            var changed = _changed.WaitAsync(settings.RescanInterval, time, stoppingToken);
            try
            {
                if (await changed.ConfigureAwait(false))
                {
                    // Let the copy finish: keep waiting while changes keep coming.
                    while (await _changed.WaitAsync(settings.WatchDebounce, time, stoppingToken).ConfigureAwait(false))
                    {
                    }
                }

                await RescanAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task RescanAsync(CancellationToken stoppingToken)
    {
        try
        {
            var swaps = await plugins.RescanAsync(stoppingToken).ConfigureAwait(false);
            LogRescanned(logger, swaps.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogRescanFailed(logger, ex);
        }
    }

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }

    private void OnChange(object sender, FileSystemEventArgs e)
    {
        LogChange(logger, e.ChangeType, e.FullPath);
        _changed.Release();
    }

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "The plugins folder watcher failed; new versions are picked up by the periodic rescan only")]
    private static partial void LogWatchError(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Trace, Message = "Plugins folder change: {ChangeType} {Path}")]
    private static partial void LogChange(ILogger logger, WatcherChangeTypes changeType, string path);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Watching {Folder} for new plugin versions")]
    private static partial void LogWatching(ILogger logger, string folder);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "Plugins folder rescanned: {Swaps} swaps attempted")]
    private static partial void LogRescanned(ILogger logger, int swaps);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Rescanning the plugins folder failed; will retry on the next change")]
    private static partial void LogRescanFailed(ILogger logger, Exception exception);
}

internal static class SemaphoreSlimTimeExtensions
{
    /// <summary>Waits for the semaphore or for <paramref name="timeout"/> on <paramref name="time"/>; true when signalled.</summary>
    public static async Task<bool> WaitAsync(this SemaphoreSlim semaphore, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var wait = semaphore.WaitAsync(linked.Token);
        var delay = Task.Delay(timeout, time, linked.Token);
        var first = await Task.WhenAny(wait, delay).ConfigureAwait(false);
        await linked.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (first == wait)
        {
            return true;
        }

        // The delay won, but the semaphore may have been granted just before cancellation.
        try
        {
            await wait.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
