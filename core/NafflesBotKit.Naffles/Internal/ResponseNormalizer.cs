using System.Text.Json.Nodes;

namespace NafflesBotKit.Naffles.Internal;

/// <summary>
/// Makes a response of either dialect look like the seed's: unwraps the published backend's
/// <c>{success, message, data}</c> / <c>{statusCode, message, data}</c> envelope, accepts <c>_id</c> for
/// <c>id</c>, flattens populated references (<c>communityId: {_id, name}</c>) to their id, and shapes
/// listings (a bare array, or <c>members</c>/<c>tasks</c>/<c>entries</c>/<c>docs</c>) as <c>{items, page, limit, total}</c>.
/// </summary>
internal static class ResponseNormalizer
{
    public static JsonNode? Unwrap(JsonNode? root)
    {
        if (root is JsonObject obj && obj.ContainsKey("data") && (obj.ContainsKey("success") || obj.ContainsKey("statusCode")))
        {
            var data = obj["data"];
            obj.Remove("data");
            return data;
        }

        return root;
    }

    public static JsonNode? Normalize(JsonNode? root, string? collectionKey = null)
    {
        var node = Unwrap(root);
        NormalizeIds(node);
        return collectionKey is null ? node : ShapePage(node, collectionKey);
    }

    private static void NormalizeIds(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    NormalizeIds(item);
                }

                break;
            case JsonObject obj:
                foreach (var (_, value) in obj.ToList())
                {
                    NormalizeIds(value);
                }

                if (!obj.ContainsKey("id") && obj["_id"] is JsonValue underscoreId)
                {
                    obj["id"] = underscoreId.ToString();
                }

                // The published backend nests the member count: stats.memberCount.
                if (!obj.ContainsKey("memberCount") && obj["stats"] is JsonObject stats && stats["memberCount"] is JsonValue memberCount)
                {
                    obj["memberCount"] = memberCount.DeepClone();
                }

                foreach (var (key, value) in obj.ToList())
                {
                    if (key.EndsWith("Id", StringComparison.Ordinal) && value is JsonObject reference && reference["id"] is JsonValue refId)
                    {
                        obj[key] = refId.ToString();
                    }
                }

                break;
        }
    }

    private static JsonObject ShapePage(JsonNode? node, string collectionKey)
    {
        if (node is JsonArray bare)
        {
            return new JsonObject { ["items"] = bare.DeepClone() };
        }

        if (node is not JsonObject obj)
        {
            return new JsonObject { ["items"] = new JsonArray() };
        }

        if (!obj.ContainsKey("items"))
        {
            foreach (var key in new[] { collectionKey, "results", "docs", "data" })
            {
                if (obj[key] is JsonArray items)
                {
                    obj.Remove(key);
                    obj["items"] = items;
                    break;
                }
            }
        }

        if (obj["pagination"] is JsonObject pagination)
        {
            foreach (var key in new[] { "page", "limit", "total" })
            {
                if (!obj.ContainsKey(key) && pagination[key] is JsonNode value)
                {
                    obj[key] = value.DeepClone();
                }
            }

            obj.Remove("pagination");
        }

        return obj;
    }
}
