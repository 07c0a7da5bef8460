using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Events;
using NafflesBotKit.Http;
using NafflesBotKit.Naffles;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.Webhooks;

/// <summary>
/// One delivery, in order: verify (signature over the raw bytes, timestamp) before anything else, parse, drop
/// duplicates through the plugin store (atomic first-one-wins with a TTL, so it holds across restarts and across hosts
/// sharing Redis), publish the typed event, invalidate the cache tags.
/// </summary>
internal sealed partial class WebhookProcessor(
    WebhookSettingsSource settings,
    IPluginStore store,
    IEventBus bus,
    IBotCache cache,
    WebhookMetrics metrics,
    TimeProvider time,
    ILogger<WebhookProcessor> logger)
{
    public async ValueTask<PluginHttpResponse> HandleAsync(string eventName, PluginHttpRequest request, CancellationToken cancellationToken)
    {
        var current = settings.Current;
        var signature = request.Header(NafflesWebhookHeaders.Signature);
        var timestamp = request.Header(NafflesWebhookHeaders.Timestamp);
        var now = time.GetUtcNow();
        var failure = WebhookSignature.Verify(signature, timestamp, request.Body.Span, current.Secrets, now, current.Tolerance);
        switch (failure)
        {
            case VerificationFailure.MissingSignatureOrTimestamp:
                return await RejectAsync(eventName, request, 401, "missing_signature", "Missing signature or timestamp", cancellationToken).ConfigureAwait(false);
            case VerificationFailure.StaleTimestamp:
                return await RejectAsync(eventName, request, 401, "stale_timestamp", "Request timestamp too old", cancellationToken).ConfigureAwait(false);
            case VerificationFailure.InvalidSignature:
                return await RejectAsync(eventName, request, 401, "invalid_signature", "Invalid signature", cancellationToken).ConfigureAwait(false);
            case VerificationFailure.NoSecretConfigured:
                LogNoSecret(logger, request.Path);
                metrics.Record(eventName, "rejected", "no_secret");
                return Reply(503, new WebhookReply(Error: "Webhook secret not configured"));
        }

        var sig = signature!.Trim().ToLowerInvariant();
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(timestamp!, NumberStyles.None, CultureInfo.InvariantCulture));
        var deliveryHeader = request.Header(NafflesWebhookHeaders.DeliveryId);
        var deliveryId = string.IsNullOrWhiteSpace(deliveryHeader)
            ? string.Create(CultureInfo.InvariantCulture, $"{timestamp}-{sig[..Math.Min(16, sig.Length)]}")
            : deliveryHeader.Trim();
        WebhookPayloads.Parsed parsed;
        try
        {
            parsed = WebhookPayloads.Parse(eventName, request.Body, deliveryId, signedAt);
        }
        catch (JsonException)
        {
            return await RejectAsync(eventName, request, 400, "malformed_json", "Malformed JSON", cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidPayloadException ex)
        {
            return await RejectAsync(eventName, request, 400, "invalid_payload", ex.Message, cancellationToken).ConfigureAwait(false);
        }

        // Deliveries older than the tolerance are refused above, so remembering them for twice as long covers both
        // directions of clock skew.
        var ttl = current.Tolerance * 2;
        var seen = new SeenDelivery(eventName, now);
        var keys = new List<string> { "deliveries/sig/" + KeyPart(sig + "." + timestamp) };
        if (!string.IsNullOrWhiteSpace(deliveryHeader))
        {
            keys.Add("deliveries/id/" + KeyPart(deliveryHeader.Trim()));
        }

        // In order, stopping at the first key already taken: two copies of one delivery arriving at once (at two
        // processes) race for the signature key first, so exactly one of them goes on; taking every key regardless
        // could let each copy win one key and both be dropped as duplicates.
        var added = new List<string>();
        foreach (var key in keys)
        {
            if (!await store.TryAddAsync(key, seen, WebhookJsonContext.Default.SeenDelivery, ttl, cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            added.Add(key);
        }

        if (added.Count < keys.Count)
        {
            LogDuplicate(logger, eventName, deliveryId);
            metrics.Record(eventName, "duplicate");
            return Reply(200, new WebhookReply(Success: true, Duplicate: true));
        }

        if (parsed.Event is null)
        {
            LogUnknownUpdateType(logger, eventName, parsed.UnknownUpdateType, deliveryId);
            metrics.Record(eventName, "ignored", "unknown_update_type");
            return Reply(202, new WebhookReply(Success: true, Ignored: "Unknown updateType " + parsed.UnknownUpdateType));
        }

        try
        {
            // Invalidate first: a subscriber that re-reads the entity must not get the stale cached copy.
            foreach (var tag in parsed.Tags)
            {
                await cache.InvalidateTagAsync(tag, cancellationToken).ConfigureAwait(false);
            }

            await PublishAsync(parsed.Event, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Forget the delivery so Naffles' retry is processed rather than dropped as a duplicate.
            foreach (var key in added)
            {
                await store.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
            }

            LogProcessingFailed(logger, ex, eventName, deliveryId);
            metrics.Record(eventName, "failed");
            return Reply(500, new WebhookReply(Error: "Internal server error"));
        }

        LogAccepted(logger, eventName, deliveryId);
        metrics.Record(eventName, "accepted");
        return Reply(200, new WebhookReply(Success: true));
    }

    private ValueTask PublishAsync(NafflesWebhookEvent @event, CancellationToken cancellationToken) => @event switch
    {
        NafflesTaskCompleted e => bus.PublishAsync(e, cancellationToken),
        NafflesAllowlistEntryAdded e => bus.PublishAsync(e, cancellationToken),
        NafflesAllowlistStatusChanged e => bus.PublishAsync(e, cancellationToken),
        NafflesAllowlistWinnersSelected e => bus.PublishAsync(e, cancellationToken),
        NafflesCommunityUpdated e => bus.PublishAsync(e, cancellationToken),
        _ => throw new InvalidOperationException($"no publisher for {@event.GetType().Name}"),
    };

    private async ValueTask<PluginHttpResponse> RejectAsync(string eventName, PluginHttpRequest request, int status, string reason, string error, CancellationToken cancellationToken)
    {
        LogRejected(logger, request.Path, status, reason, request.RemoteAddress);
        metrics.Record(eventName, "rejected", reason);
        await bus.PublishAsync(new WebhookRejected(request.Path, status, reason, request.RemoteAddress, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return Reply(status, new WebhookReply(Error: error));
    }

    private static PluginHttpResponse Reply(int status, WebhookReply reply) =>
        PluginHttpResponse.Json(status, reply, WebhookJsonContext.Default.WebhookReply);

    /// <summary>Store keys are at most 200 characters: long ids are replaced by their SHA-256.</summary>
    private static string KeyPart(string value) =>
        value.Length <= 120 && value.All(c => c is > ' ' and < (char)127 && c != '/')
            ? value
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Rejected webhook {Path} with {Status} ({Reason}) from {RemoteAddress}")]
    private static partial void LogRejected(ILogger logger, string path, int status, string reason, string? remoteAddress);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "Webhook {Path} received but no secret is configured (Plugins:Settings:naffles.webhooks:Secret or WEBHOOK_SECRET)")]
    private static partial void LogNoSecret(ILogger logger, string path);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Duplicate {Event} delivery {DeliveryId} acknowledged and dropped")]
    private static partial void LogDuplicate(ILogger logger, string @event, string deliveryId);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Ignored {Event} delivery {DeliveryId}: unknown updateType '{UpdateType}'")]
    private static partial void LogUnknownUpdateType(ILogger logger, string @event, string? updateType, string deliveryId);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Error, Message = "Processing {Event} delivery {DeliveryId} failed; it will be accepted again when retried")]
    private static partial void LogProcessingFailed(ILogger logger, Exception exception, string @event, string deliveryId);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Debug, Message = "Accepted {Event} delivery {DeliveryId}")]
    private static partial void LogAccepted(ILogger logger, string @event, string deliveryId);
}
