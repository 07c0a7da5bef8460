using System.Text.Json.Serialization;

namespace NafflesBotKit.Plugins.Webhooks;

/// <summary>What a webhook endpoint answers (seed shapes: <c>{"success":true}</c>, <c>{"error":"..."}</c>).</summary>
internal sealed record WebhookReply(bool? Success = null, string? Error = null, bool? Duplicate = null, string? Ignored = null);

/// <summary>What the store remembers about a processed delivery.</summary>
internal sealed record SeenDelivery(string Event, DateTimeOffset At);

/// <summary>The plugin's own JSON metadata: plugin types never go through reflection-based serialisation.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WebhookReply))]
[JsonSerializable(typeof(SeenDelivery))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
