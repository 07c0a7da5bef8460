using System.Text.Json.Nodes;

namespace NafflesBotKit.Testing.Naffles;

/// <summary>Which wire dialect the emulator speaks.</summary>
public enum NafflesDialect
{
    /// <summary>The seed document's: bare JSON bodies, <c>id</c>.</summary>
    Seed,

    /// <summary>The published backend's: <c>{success, message, data}</c> envelopes, <c>_id</c>, <c>{statusCode, message}</c> for health and 401.</summary>
    PublishedBackend,
}

/// <summary>Settings of a <see cref="NafflesEmulator"/>.</summary>
public sealed class NafflesEmulatorOptions
{
    /// <summary>The accepted API key, as <c>Authorization: Bearer</c> or <c>x-api-key</c>.</summary>
    public string ApiKey { get; set; } = "emulator-api-key";

    /// <summary>The wire dialect.</summary>
    public NafflesDialect Dialect { get; set; } = NafflesDialect.Seed;

    /// <summary>The clock for timestamps and webhook signatures.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>A webhook target receiving every event in addition to those registered through <c>POST /api/webhooks</c>.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>The HMAC secret for <see cref="WebhookUrl"/>.</summary>
    public string? WebhookSecret { get; set; }
}

/// <summary>A request the emulator received.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Route">The matched route template, e.g. <c>POST /api/allowlists/{allowlistId}/entries</c>.</param>
/// <param name="Path">The request path.</param>
/// <param name="Query">The query parameters.</param>
/// <param name="Headers">The request headers.</param>
/// <param name="Body">The raw body text.</param>
public sealed record NafflesRecordedRequest(
    string Method,
    string Route,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body)
{
    /// <summary>The body parsed as a JSON object, or <see langword="null"/>.</summary>
    public JsonObject? Json => string.IsNullOrWhiteSpace(Body) ? null : JsonNode.Parse(Body) as JsonObject;
}

/// <summary>A webhook the emulator sent.</summary>
/// <param name="Url">Where it was sent.</param>
/// <param name="Event">The event name.</param>
/// <param name="Body">The exact body bytes as text.</param>
/// <param name="Headers">The signature, timestamp and delivery-id headers sent.</param>
/// <param name="StatusCode">The receiver's status, or <see langword="null"/> when delivery failed.</param>
/// <param name="Error">The delivery error, if any.</param>
public sealed record NafflesWebhookDelivery(Uri Url, string Event, string Body, IReadOnlyDictionary<string, string> Headers, int? StatusCode, string? Error);
