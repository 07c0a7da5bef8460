using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace NafflesBotKit.Http;

/// <summary>
/// Marks an <see cref="HttpEndpointHandler"/> as serving <paramref name="method"/> requests on
/// <paramref name="pathTemplate"/> (e.g. <c>/webhooks/naffles/{event}</c>). The endpoint appears when the plugin
/// loads and disappears when it unloads; the host's web server keeps running throughout.
/// </summary>
/// <param name="method">HTTP method (GET, POST, ...).</param>
/// <param name="pathTemplate">Absolute path; <c>{name}</c> segments capture into <see cref="PluginHttpRequest.RouteValues"/>.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class HttpEndpointAttribute(string method, string pathTemplate) : Attribute
{
    /// <summary>HTTP method.</summary>
    public string Method { get; } = method;

    /// <summary>Path template.</summary>
    public string PathTemplate { get; } = pathTemplate;

    /// <summary>Largest accepted request body; larger requests get 413 before the handler runs (default 1 MiB).</summary>
    public int MaxRequestBytes { get; set; } = 1024 * 1024;
}

/// <summary>What the host calls for a plugin HTTP endpoint. Derive from <see cref="HttpEndpointHandler"/>.</summary>
public interface IHttpEndpointHandler
{
    /// <summary>Handles a request.</summary>
    /// <param name="request">The request, with its raw body.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away or the host stops.</param>
    ValueTask<PluginHttpResponse> HandleAsync(PluginHttpRequest request, CancellationToken cancellationToken);
}

/// <summary>A plugin-contributed HTTP endpoint (webhooks, OAuth2 callbacks, ...). Discovered by scanning.</summary>
public abstract class HttpEndpointHandler : IHttpEndpointHandler
{
    /// <inheritdoc />
    public abstract ValueTask<PluginHttpResponse> HandleAsync(PluginHttpRequest request, CancellationToken cancellationToken);
}

/// <summary>An HTTP request as a plugin sees it: transport-neutral, with the raw body bytes (for signature checks).</summary>
public sealed class PluginHttpRequest
{
    /// <summary>HTTP method, upper case.</summary>
    public required string Method { get; init; }

    /// <summary>Request path.</summary>
    public required string Path { get; init; }

    /// <summary>Values captured by the path template.</summary>
    public IReadOnlyDictionary<string, string> RouteValues { get; init; } = new Dictionary<string, string>();

    /// <summary>Query-string values (the first of repeated keys).</summary>
    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();

    /// <summary>Request headers, names compared ignoring case (repeated headers joined with ", ").</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The raw request body exactly as received.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The client's address, when known.</summary>
    public string? RemoteAddress { get; init; }

    /// <summary>A header value, or null.</summary>
    /// <param name="name">Header name.</param>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A plugin endpoint's response.</summary>
/// <param name="StatusCode">HTTP status.</param>
/// <param name="Body">Body bytes.</param>
/// <param name="ContentType">Content type of the body.</param>
/// <param name="Headers">Extra response headers.</param>
public sealed record PluginHttpResponse(int StatusCode, ReadOnlyMemory<byte> Body, string? ContentType = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>A response without body.</summary>
    /// <param name="statusCode">HTTP status.</param>
    public static PluginHttpResponse Empty(int statusCode) => new(statusCode, ReadOnlyMemory<byte>.Empty);

    /// <summary>A plain-text response.</summary>
    /// <param name="statusCode">HTTP status.</param>
    /// <param name="text">Body text.</param>
    public static PluginHttpResponse Text(int statusCode, string text) =>
        new(statusCode, Encoding.UTF8.GetBytes(text), "text/plain; charset=utf-8");

    /// <summary>A JSON response, serialised through the plugin's own source-generated metadata.</summary>
    /// <typeparam name="T">Body type.</typeparam>
    /// <param name="statusCode">HTTP status.</param>
    /// <param name="value">Body.</param>
    /// <param name="typeInfo">Source-generated metadata from the plugin's JsonSerializerContext.</param>
    public static PluginHttpResponse Json<T>(int statusCode, T value, JsonTypeInfo<T> typeInfo) =>
        new(statusCode, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), "application/json; charset=utf-8");
}
