using System.Text.Json.Serialization;
using NafflesBotKit.Events;

namespace NafflesBotKit.Plugins.HealthMonitor;

/// <summary>One health check result as kept in the history.</summary>
internal sealed record HealthSample(string Service, DateTimeOffset At, bool Ok, double Ms, string? Error = null);

/// <summary>One security observation as kept in the history (and the audit trail).</summary>
internal sealed record SecurityRecord(
    DateTimeOffset At,
    string Type,
    string Severity,
    ulong? GuildId,
    ulong? UserId,
    string Subject,
    string Detail);

/// <summary>The plugin's own JSON metadata (source-generated: plugin types never go through reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(List<HealthSample>))]
[JsonSerializable(typeof(List<SecurityRecord>))]
[JsonSerializable(typeof(List<OpsAlert>))]
[JsonSerializable(typeof(long))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
