using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace NafflesBotKit.Plugins.Webhooks;

/// <summary>
/// Receives Naffles webhooks on <c>/webhooks/naffles/{task-completed|allowlist-updated|community-updated}</c>, verifies
/// the HMAC signature over the raw body and the timestamp, drops duplicates, publishes the typed events of
/// <c>NafflesBotKit.Events.NafflesEvents</c> and invalidates the cache tags they touch. See README.md.
/// </summary>
public sealed class WebhooksPlugin : BotPlugin
{
    /// <inheritdoc />
    public override PluginManifest Manifest { get; } = new(
        "naffles.webhooks",
        "1.0.0",
        "[1.0,2.0)",
        "Receives signed Naffles webhooks and turns them into events for the other plugins.");

    /// <inheritdoc />
    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new WebhookSettingsSource(configuration));
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<WebhookProcessor>();
        services.AddSingleton<IHostedService, WebhookRegistrationService>();
    }
}
