using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace NafflesBotKit.Discord.Tests.Support;

/// <summary>
/// Sits in front of every Discord request the client builds in the tests: checks the method and path against
/// Discord's OpenAPI spec, the JSON body (or multipart payload_json) against the operation's request schema, the
/// headers, and the documented limits the spec cannot express. A violation fails the request (and is recorded).
/// </summary>
internal sealed class OpenApiValidatingHandler(string apiBaseUrl, ValidationLog log) : DelegatingHandler
{

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var errors = await CheckAsync(request, cancellationToken).ConfigureAwait(false);
        log.Count();
        if (errors.Count > 0)
        {
            var message = $"{request.Method} {request.RequestUri}: {string.Join("; ", errors)}";
            log.Violations.Enqueue(message);
            throw new OpenApiViolationException(message);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<string>> CheckAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var url = request.RequestUri!.GetLeftPart(UriPartial.Path);
        if (!url.StartsWith(apiBaseUrl, StringComparison.Ordinal))
        {
            return [$"not under the API base {apiBaseUrl}"];
        }

        var path = url[apiBaseUrl.Length..];
        var method = request.Method.Method;
        var userAgent = string.Join(' ', request.Headers.UserAgent.Select(u => u.ToString()));
        if (!(request.Headers.TryGetValues("User-Agent", out var ua) && ua.First().StartsWith("DiscordBot (", StringComparison.Ordinal)) && !userAgent.StartsWith("DiscordBot", StringComparison.Ordinal))
        {
            errors.Add("User-Agent must be 'DiscordBot ($url, $version)'");
        }

        if (request.Headers.TryGetValues("X-Audit-Log-Reason", out var reasons))
        {
            var reason = reasons.First();
            if (reason != Uri.EscapeDataString(Uri.UnescapeDataString(reason)))
            {
                errors.Add("X-Audit-Log-Reason must be URL-encoded");
            }
        }

        var contentType = request.Content?.Headers.ContentType?.MediaType;
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);

        if (path == "/oauth2/token")
        {
            // Not in the spec (known gap): Discord accepts only form encoding here.
            if (method != "POST" || contentType != "application/x-www-form-urlencoded")
            {
                errors.Add("/oauth2/token must be a form-encoded POST");
            }

            return errors;
        }

        var found = OpenApiSpec.Load().Find(method, path);
        if (found is not { } op)
        {
            errors.Add($"{method} {path} is not an operation in Discord's OpenAPI spec");
            return errors;
        }

        foreach (var key in System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query).AllKeys)
        {
            var parameters = op.Operation["parameters"] as JsonArray ?? [];
            if (key is not null && !parameters.Any(p => (string?)p?["in"] == "query" && (string?)p?["name"] == key))
            {
                errors.Add($"query parameter '{key}' is not defined for {method} {op.Template}");
            }
        }

        var isInteractionToken = op.Template.StartsWith("/interactions/", StringComparison.Ordinal) || op.Template.StartsWith("/webhooks/{webhook_id}/{webhook_token}", StringComparison.Ordinal);
        var authorization = request.Headers.Authorization?.ToString();
        if (!isInteractionToken && op.Template != "/users/@me" && authorization?.StartsWith("Bot ", StringComparison.Ordinal) != true)
        {
            errors.Add("bot routes need 'Authorization: Bot <token>'");
        }

        if (body.Length == 0)
        {
            return errors;
        }

        JsonElement json;
        if (contentType == "multipart/form-data")
        {
            var (payload, files, multipartErrors) = await ReadMultipartAsync(request.Content!, body).ConfigureAwait(false);
            errors.AddRange(multipartErrors);
            if (payload is null)
            {
                errors.Add("multipart body without payload_json");
                return errors;
            }

            json = payload.Value;
            if (json.TryGetProperty("attachments", out var attachments) && attachments.GetArrayLength() != files)
            {
                errors.Add($"attachments metadata lists {attachments.GetArrayLength()} files but {files} files[n] parts were sent");
            }
        }
        else if (contentType == "application/json")
        {
            json = JsonDocument.Parse(body).RootElement.Clone();
        }
        else
        {
            errors.Add($"unsupported content type {contentType}");
            return errors;
        }

        errors.AddRange(OpenApiSpec.Load().ValidateBody(op.Template, method, op.Operation, contentType!, json));
        errors.AddRange(DocumentedLimits.Check(op.Template, json));
        return errors;
    }

    private static async Task<(JsonElement? Payload, int Files, List<string> Errors)> ReadMultipartAsync(HttpContent content, byte[] body)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(content.Headers.ContentType!.ToString()).Boundary).Value!;
        var reader = new MultipartReader(boundary, new MemoryStream(body));
        JsonElement? payload = null;
        var files = 0;
        var errors = new List<string>();
        while (await reader.ReadNextSectionAsync().ConfigureAwait(false) is { } section)
        {
            var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            using var buffer = new MemoryStream();
            await section.Body.CopyToAsync(buffer).ConfigureAwait(false);
            if (name == "payload_json")
            {
                payload = JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
            }
            else if (name == $"files[{files}]")
            {
                if (string.IsNullOrEmpty(HeaderUtilities.RemoveQuotes(disposition.FileName).Value) && string.IsNullOrEmpty(disposition.FileNameStar.Value))
                {
                    errors.Add($"{name} has no filename");
                }

                files++;
            }
            else
            {
                errors.Add($"unexpected multipart part '{name}'");
            }
        }

        return (payload, files, errors);
    }
}

/// <summary>What the validator saw in one test.</summary>
internal sealed class ValidationLog
{
    private int _checked;

    public ConcurrentQueue<string> Violations { get; } = new();

    public int Checked => Volatile.Read(ref _checked);

    public void Count() => Interlocked.Increment(ref _checked);
}

/// <summary>A request broke the spec or a documented limit.</summary>
internal sealed class OpenApiViolationException(string message) : Exception(message);

/// <summary>Discord's documented limits that the OpenAPI spec does not express (discord-protocol.md §2).</summary>
internal static class DocumentedLimits
{
    public static IEnumerable<string> Check(string template, JsonElement body)
    {
        var message = template.EndsWith("/callback", StringComparison.Ordinal)
            ? (body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object ? data : default)
            : body;
        if (message.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        if (template.Contains("/commands", StringComparison.Ordinal))
        {
            yield break;
        }

        if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString()!.Length > 2000)
        {
            yield return "content is over 2000 characters";
        }

        if (message.TryGetProperty("embeds", out var embeds) && embeds.ValueKind == JsonValueKind.Array)
        {
            if (embeds.GetArrayLength() > 10)
            {
                yield return "more than 10 embeds";
            }

            var total = 0;
            foreach (var embed in embeds.EnumerateArray())
            {
                total += Length(embed, "title") + Length(embed, "description");
                if (embed.TryGetProperty("footer", out var footer))
                {
                    total += Length(footer, "text");
                }

                if (embed.TryGetProperty("author", out var author))
                {
                    total += Length(author, "name");
                }

                if (embed.TryGetProperty("fields", out var fields))
                {
                    foreach (var field in fields.EnumerateArray())
                    {
                        total += Length(field, "name") + Length(field, "value");
                    }
                }
            }

            if (total > 6000)
            {
                yield return $"embeds total {total} characters (limit 6000)";
            }
        }

        if (message.TryGetProperty("components", out var rows) && rows.ValueKind == JsonValueKind.Array)
        {
            var modal = message.TryGetProperty("title", out _);
            if (rows.GetArrayLength() > 5)
            {
                yield return "more than 5 action rows";
            }

            var customIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in rows.EnumerateArray())
            {
                if (row.GetProperty("type").GetInt32() != 1)
                {
                    yield return "top-level components must be action rows";
                    continue;
                }

                var children = row.GetProperty("components");
                var buttons = children.EnumerateArray().Count(c => c.GetProperty("type").GetInt32() == 2);
                if (buttons > 5 || (buttons > 0 && buttons != children.GetArrayLength()) || (!modal && buttons == 0 && children.GetArrayLength() != 1))
                {
                    yield return "an action row holds 1-5 buttons or exactly one select";
                }

                foreach (var child in children.EnumerateArray())
                {
                    if (child.TryGetProperty("custom_id", out var id) && !customIds.Add(id.GetString()!))
                    {
                        yield return $"custom_id '{id.GetString()}' repeats";
                    }
                }
            }
        }
    }

    private static int Length(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim().Length : 0;
}
