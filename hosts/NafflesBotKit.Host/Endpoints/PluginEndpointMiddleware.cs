using System.Buffers;
using NafflesBotKit.Http;
using NafflesBotKit.Runtime.Routing;

namespace NafflesBotKit.Host.Endpoints;

/// <summary>
/// Serves plugin-contributed HTTP endpoints. The match is made against the runtime's current route snapshot on every
/// request, so plugins' endpoints appear and disappear with them without restarting the web server. The body is read
/// raw (never re-serialised: webhook signatures are computed over these bytes) and capped per endpoint (413).
/// </summary>
internal sealed class PluginEndpointMiddleware(RequestDelegate next, PluginHttpDispatcher dispatcher)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var match = dispatcher.Match(request.Method, request.Path.Value ?? "/");
        if (match is null)
        {
            if (dispatcher.PathExists(request.Path.Value ?? "/"))
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return;
            }

            await next(context).ConfigureAwait(false);
            return;
        }

        var ct = context.RequestAborted;
        if (request.ContentLength > match.MaxRequestBytes)
        {
            await WriteAsync(context, PluginHttpResponse.Text(StatusCodes.Status413PayloadTooLarge, $"Request body over {match.MaxRequestBytes} bytes.")).ConfigureAwait(false);
            return;
        }

        var body = await ReadBodyAsync(request, match.MaxRequestBytes, ct).ConfigureAwait(false);
        if (body is null)
        {
            await WriteAsync(context, PluginHttpResponse.Text(StatusCodes.Status413PayloadTooLarge, $"Request body over {match.MaxRequestBytes} bytes.")).ConfigureAwait(false);
            return;
        }

        var pluginRequest = new PluginHttpRequest
        {
            Method = request.Method.ToUpperInvariant(),
            Path = request.Path.Value ?? "/",
            RouteValues = match.RouteValues,
            Query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Body = body,
            RemoteAddress = context.Connection.RemoteIpAddress?.ToString(),
        };
        var response = await dispatcher.InvokeAsync(match, pluginRequest, ct).ConfigureAwait(false);
        await WriteAsync(context, response).ConfigureAwait(false);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Min(maxBytes + 1, 16 * 1024));
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                return null;
            }
        }
    }

    private static async Task WriteAsync(HttpContext context, PluginHttpResponse response)
    {
        context.Response.StatusCode = response.StatusCode;
        if (response.Headers is not null)
        {
            foreach (var (name, value) in response.Headers)
            {
                context.Response.Headers[name] = value;
            }
        }

        if (!response.Body.IsEmpty)
        {
            context.Response.ContentType = response.ContentType ?? "application/octet-stream";
            await context.Response.Body.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
