using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace NafflesBotKit.Discord.Tests.Support;

/// <summary>
/// Discord's official OpenAPI 3.1 spec (../shared/discord/openapi.json beside the repository): finds the operation
/// for a method and path and validates JSON bodies against its request schema (2020-12, $refs resolved).
/// </summary>
internal sealed class OpenApiSpec
{
    private static readonly Lazy<OpenApiSpec> Instance = new(() => new OpenApiSpec(FindSpecPath()));
    private readonly List<(Regex Pattern, string Template, JsonObject Item)> _paths = [];
    private readonly JsonObject _schemas;
    private readonly ConcurrentDictionary<string, JsonSchema> _compiled = new(StringComparer.Ordinal);
    private int _counter;

    private OpenApiSpec(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (var (template, item) in root["paths"]!.AsObject())
        {
            var pattern = "^" + Regex.Replace(Regex.Escape(template).Replace(@"\{", "{", StringComparison.Ordinal), "{[a-z_]+}", "[^/]+") + "$";
            _paths.Add((new Regex(pattern), template, item!.AsObject()));
        }

        // Literal segments (@me, @original) win over parameters.
        _paths.Sort((a, b) => b.Template.Count(c => c == '@').CompareTo(a.Template.Count(c => c == '@')));
        _schemas = root["components"]!["schemas"]!.AsObject();
        PatchKnownDeviations(_schemas);
    }

    public static OpenApiSpec Load() => Instance.Value;

    public static string FindSpecPath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NafflesBotKit.sln")))
        {
            dir = dir.Parent;
        }

        if (dir?.Parent is null)
        {
            throw new InvalidOperationException("NafflesBotKit.sln not found above " + AppContext.BaseDirectory);
        }

        var spec = Path.Combine(dir.Parent.FullName, "shared", "discord", "openapi.json");
        return File.Exists(spec) ? spec : throw new FileNotFoundException("Discord's OpenAPI spec is expected at ../shared/discord/openapi.json.", spec);
    }

    /// <summary>The path template and operation for a request, or null.</summary>
    public (string Template, JsonObject Operation)? Find(string method, string path)
    {
        foreach (var (pattern, template, item) in _paths)
        {
            if (pattern.IsMatch(path))
            {
                return item[method.ToLowerInvariant()] is JsonObject op ? (template, op) : null;
            }
        }

        return null;
    }

    /// <summary>Validates a JSON body against the operation's request schema; returns the errors.</summary>
    public IReadOnlyList<string> ValidateBody(string template, string method, JsonObject operation, string contentType, JsonElement body)
    {
        var content = operation["requestBody"]?["content"] as JsonObject;
        if (content is null)
        {
            return body.ValueKind == JsonValueKind.Undefined ? [] : [$"{method} {template} takes no body"];
        }

        var media = contentType.Split(';')[0].Trim();
        if (content[media] is not JsonObject mediaType)
        {
            return [$"{method} {template} does not accept {media} (accepts {string.Join(", ", content.Select(c => c.Key))})"];
        }

        // Multipart bodies are validated through their payload_json against the JSON variant.
        var schemaNode = (content["application/json"] ?? mediaType)["schema"]!;
        var schema = _compiled.GetOrAdd(method + " " + template, _ => Compile(schemaNode));
        var result = schema.Evaluate(body, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }

        return [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value} (at {d.EvaluationPath})")).Take(20)];
    }

    private JsonSchema Compile(JsonNode schema)
    {
        var document = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://discord-openapi.test/op{Interlocked.Increment(ref _counter)}",
            ["$defs"] = _schemas.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        var text = document.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text);
    }

    /// <summary>
    /// Where the spec and Discord's documentation disagree, the documentation wins (shared/discord/README.md):
    /// <c>default_member_permissions</c> is documented as a string of a bit set; the spec says integer.
    /// </summary>
    private static void PatchKnownDeviations(JsonObject schemas)
    {
        foreach (var (_, schema) in schemas)
        {
            if (schema?["properties"]?["default_member_permissions"] is JsonObject dmp)
            {
                dmp.Clear();
                dmp["anyOf"] = new JsonArray(
                    new JsonObject { ["type"] = "null" },
                    new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9]+$" },
                    new JsonObject { ["type"] = "integer", ["minimum"] = 0 });
            }
        }
    }
}
