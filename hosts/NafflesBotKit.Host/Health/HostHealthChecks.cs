using Microsoft.Extensions.Diagnostics.HealthChecks;
using NafflesBotKit.Runtime.Plugins;
using NafflesBotKit.Runtime.Services.Store;
using NafflesBotKit.Services;

namespace NafflesBotKit.Host.Health;

/// <summary>Tag of the checks that decide <c>/health/ready</c>. The Discord layer adds its gateway / HTTP-interactions check with it.</summary>
internal static class HealthTags
{
    public const string Ready = "ready";
}

/// <summary>Ready when no plugin is still loading; degraded (still ready) when some failed, so one bad plugin does not take the bot out of rotation.</summary>
internal sealed class PluginsHealthCheck(PluginManager plugins) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var statuses = plugins.Statuses;
        var loading = statuses.Where(s => s.State == PluginState.Loading).Select(s => s.Id).ToList();
        if (loading.Count > 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("plugins still loading: " + string.Join(", ", loading)));
        }

        var failed = statuses.Where(s => s.State == PluginState.Failed).Select(s => s.Id).ToList();
        var active = statuses.Count(s => s.State == PluginState.Active);
        return Task.FromResult(failed.Count > 0
            ? HealthCheckResult.Degraded($"{active} plugin(s) active; failed: {string.Join(", ", failed)}")
            : HealthCheckResult.Healthy($"{active} plugin(s) active"));
    }
}

/// <summary>A write/read/delete round trip through the store backend plugins use (SQLite or Redis).</summary>
internal sealed class StoreHealthCheck(PluginStoreFactory stores) : IHealthCheck
{
    private readonly IPluginStore _store = stores.For(PluginStoreFactory.HostNamespace);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var key = "health/probe/" + Guid.NewGuid().ToString("N");
        var value = DateTimeOffset.UtcNow.Ticks;
        try
        {
            await _store.SetAsync(key, value, HealthJsonContext.Default.Int64, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
            var read = await _store.GetAsync(key, HealthJsonContext.Default.Int64, cancellationToken).ConfigureAwait(false);
            await _store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            return read == value ? HealthCheckResult.Healthy("store round trip ok") : HealthCheckResult.Unhealthy("store returned a different value");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("store unreachable: " + ex.Message);
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(long))]
internal sealed partial class HealthJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
