using System.Diagnostics.Metrics;

namespace NafflesBotKit.Plugins.Webhooks;

/// <summary>
/// Webhook outcomes on the <c>NafflesBotKit</c> meter (the host exports it at <c>/metrics</c>). The meter belongs to the
/// plugin and is disposed with it, so nothing the host keeps refers to the plugin after it unloads.
/// </summary>
internal sealed class WebhookMetrics : IDisposable
{
    public const string MeterName = "NafflesBotKit";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _deliveries;

    public WebhookMetrics() =>
        _deliveries = _meter.CreateCounter<long>("nafflesbotkit.webhook.deliveries", "{delivery}", "Naffles webhook deliveries by event and result.");

    /// <summary>Counts one delivery: <paramref name="result"/> is accepted, duplicate, ignored, rejected or failed.</summary>
    public void Record(string eventName, string result, string? reason = null) =>
        _deliveries.Add(1, new("event", eventName), new("result", result), new("reason", reason ?? "none"));

    public void Dispose() => _meter.Dispose();
}
