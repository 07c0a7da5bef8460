using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace NafflesBotKit.Naffles.Internal;

/// <summary>Request plumbing shared by the typed clients: bodies, Idempotency-Key, normalisation.</summary>
internal static class NafflesHttp
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string Source = "discord-bot";

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    /// <summary>An ISO-8601 UTC timestamp like JavaScript's <c>toISOString()</c> (seed: <c>new Date().toISOString()</c>).</summary>
    public static string Iso(TimeProvider time) =>
        time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        return Uri.EscapeDataString(value);
    }

    public static HttpRequestMessage Create(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (method != HttpMethod.Get && method != HttpMethod.Head)
        {
            // Writes are retried, so each logical call carries one key, the same on every attempt:
            // the platform stores the first result under it and replays it for the retries.
            request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, Guid.NewGuid().ToString());
        }

        return request;
    }

    public static HttpRequestMessage Create<TBody>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyType)
    {
        var request = Create(method, path);
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, bodyType));
        content.Headers.ContentType = JsonMediaType;
        request.Content = content;
        return request;
    }

    public static async Task<T> SendAsync<T>(HttpClient client, HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken, string? collectionKey = null)
    {
        using (request)
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false))
        {
            return await ReadAsync(response, type, cancellationToken, collectionKey).ConfigureAwait(false);
        }
    }

    public static async Task SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        using (await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false))
        {
        }
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken, string? collectionKey = null)
    {
        var node = await ParseAsync(response, cancellationToken).ConfigureAwait(false);
        return ToModel(ResponseNormalizer.Normalize(node, collectionKey), type, response);
    }

    public static async Task<JsonNode?> ParseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw Unreadable(response, ex);
        }
    }

    public static T ToModel<T>(JsonNode? node, JsonTypeInfo<T> type, HttpResponseMessage response)
    {
        try
        {
            return (node is null ? default : node.Deserialize(type)) ?? throw Unreadable(response, null);
        }
        catch (JsonException ex)
        {
            throw Unreadable(response, ex);
        }
    }

    private static NafflesApiException Unreadable(HttpResponseMessage response, Exception? inner) => new(
        NafflesErrorKind.Unknown,
        $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} returned a body the client cannot read.",
        response.StatusCode,
        innerException: inner);
}
