using NafflesBotKit.Http;
using NafflesBotKit.Naffles;

namespace NafflesBotKit.Plugins.Webhooks;

/// <summary>The three seed webhook endpoints. Bodies over 1 MiB are refused with 413 by the host before this runs.</summary>
[HttpEndpoint("POST", "/webhooks/naffles/task-completed", MaxRequestBytes = MaxBodyBytes)]
[HttpEndpoint("POST", "/webhooks/naffles/allowlist-updated", MaxRequestBytes = MaxBodyBytes)]
[HttpEndpoint("POST", "/webhooks/naffles/community-updated", MaxRequestBytes = MaxBodyBytes)]
internal sealed class NafflesWebhookEndpoint(WebhookProcessor processor) : HttpEndpointHandler
{
    public const int MaxBodyBytes = 1024 * 1024;

    public const string BasePath = "/webhooks/naffles";

    public static readonly IReadOnlyList<string> Events =
        [NafflesWebhookEvents.TaskCompleted, NafflesWebhookEvents.AllowlistUpdated, NafflesWebhookEvents.CommunityUpdated];

    public override ValueTask<PluginHttpResponse> HandleAsync(PluginHttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var eventName = request.Path[(request.Path.LastIndexOf('/') + 1)..];
        return processor.HandleAsync(eventName, request, cancellationToken);
    }
}
