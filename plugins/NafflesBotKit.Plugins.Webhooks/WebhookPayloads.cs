using System.Globalization;
using System.Text.Json;
using NafflesBotKit.Events;

namespace NafflesBotKit.Plugins.Webhooks;

/// <summary>A body that is JSON but not a delivery we can use (missing ids, wrong shapes).</summary>
internal sealed class InvalidPayloadException(string message) : Exception(message);

/// <summary>
/// Turns verified webhook bodies (seed shapes) into the SDK's typed events. Parsed with <see cref="JsonDocument"/>, so no
/// plugin type goes through reflection.
/// </summary>
internal static class WebhookPayloads
{
    /// <summary>The typed event and the cache tags it invalidates; a null event means an unknown update type.</summary>
    public sealed record Parsed(NafflesWebhookEvent? Event, IReadOnlyList<string> Tags, string? UnknownUpdateType = null);

    /// <exception cref="JsonException">The body is not JSON.</exception>
    /// <exception cref="InvalidPayloadException">The body is JSON of the wrong shape.</exception>
    public static Parsed Parse(string eventName, ReadOnlyMemory<byte> body, string deliveryId, DateTimeOffset signedAt)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidPayloadException("The body must be a JSON object");
        }

        var occurredAt = ReadTime(root, "timestamp") ?? signedAt;
        switch (eventName)
        {
            case "task-completed":
            {
                var taskId = RequiredId(root, "taskId");
                var data = root.TryGetProperty("completionData", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
                return new Parsed(
                    new NafflesTaskCompleted
                    {
                        DeliveryId = deliveryId,
                        OccurredAt = occurredAt,
                        TaskId = taskId,
                        UserId = OptionalString(root, "userId"),
                        CompletedBy = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("completedBy", out var by) && by.TryGetInt32(out var n) ? n : null,
                        CompletionRate = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("completionRate", out var rate) && rate.TryGetDouble(out var r) ? r : null,
                    },
                    [Tags.Task(taskId)]);
            }

            case "allowlist-updated":
            {
                var allowlistId = RequiredId(root, "allowlistId");
                var updateType = OptionalString(root, "updateType") ?? throw new InvalidPayloadException("Missing updateType");
                var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
                IReadOnlyList<string> tags = [Tags.Allowlist(allowlistId)];
                NafflesWebhookEvent? parsed = updateType switch
                {
                    "entry_added" => new NafflesAllowlistEntryAdded
                    {
                        DeliveryId = deliveryId,
                        OccurredAt = occurredAt,
                        AllowlistId = allowlistId,
                        NewEntryCount = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("newEntryCount", out var c) && c.TryGetInt32(out var count)
                            ? count
                            : throw new InvalidPayloadException("entry_added needs data.newEntryCount"),
                    },
                    "status_changed" => new NafflesAllowlistStatusChanged
                    {
                        DeliveryId = deliveryId,
                        OccurredAt = occurredAt,
                        AllowlistId = allowlistId,
                        NewStatus = (data.ValueKind == JsonValueKind.Object ? OptionalString(data, "newStatus") : null)
                            ?? throw new InvalidPayloadException("status_changed needs data.newStatus"),
                    },
                    "winners_selected" => new NafflesAllowlistWinnersSelected
                    {
                        DeliveryId = deliveryId,
                        OccurredAt = occurredAt,
                        AllowlistId = allowlistId,
                        Winners = ReadWinners(data),
                    },
                    _ => null,
                };
                return new Parsed(parsed, tags, parsed is null ? updateType : null);
            }

            case "community-updated":
            {
                var communityId = RequiredId(root, "communityId");
                var changes = new Dictionary<string, string>(StringComparer.Ordinal);
                if (root.TryGetProperty("changes", out var c) && c.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in c.EnumerateObject())
                    {
                        changes[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                    }
                }

                return new Parsed(
                    new NafflesCommunityUpdated { DeliveryId = deliveryId, OccurredAt = occurredAt, CommunityId = communityId, Changes = changes },
                    [Tags.Community(communityId)]);
            }

            default:
                throw new InvalidPayloadException($"Unknown event {eventName}");
        }
    }

    private static List<AllowlistWinner> ReadWinners(JsonElement data)
    {
        var winners = new List<AllowlistWinner>();
        if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("winners", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                winners.Add(item.ValueKind == JsonValueKind.Object
                    ? new AllowlistWinner(OptionalString(item, "userId"), OptionalString(item, "discordId"), OptionalString(item, "walletAddress"))
                    : new AllowlistWinner(item.ValueKind == JsonValueKind.String ? item.GetString() : null, null, null));
            }
        }

        return winners;
    }

    private static string RequiredId(JsonElement root, string name) =>
        OptionalString(root, name) is { Length: > 0 and <= 200 } id ? id : throw new InvalidPayloadException($"Missing {name}");

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    private static DateTimeOffset? ReadTime(JsonElement root, string name) =>
        OptionalString(root, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}

/// <summary>
/// Cache tags invalidated when a webhook says an entity changed. Feature plugins tag what they cache with the same
/// names (see README.md).
/// </summary>
internal static class Tags
{
    /// <summary><c>task:{taskId}</c>.</summary>
    /// <param name="taskId">The social task id.</param>
    public static string Task(string taskId) => "task:" + taskId;

    /// <summary><c>allowlist:{allowlistId}</c>.</summary>
    /// <param name="allowlistId">The allowlist id.</param>
    public static string Allowlist(string allowlistId) => "allowlist:" + allowlistId;

    /// <summary><c>community:{communityId}</c>.</summary>
    /// <param name="communityId">The community id.</param>
    public static string Community(string communityId) => "community:" + communityId;
}
