using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Http;

namespace NafflesBotKit.Runtime.Routing;

/// <summary>A request matched to a plugin endpoint.</summary>
/// <param name="Route">The endpoint.</param>
/// <param name="RouteValues">Values captured from the path.</param>
public sealed record PluginHttpMatch(HttpRoute Route, IReadOnlyDictionary<string, string> RouteValues)
{
    /// <summary>Largest accepted body for this endpoint.</summary>
    public int MaxRequestBytes => Route.MaxRequestBytes;
}

/// <summary>
/// Serves plugin-contributed HTTP endpoints from the current route snapshot, so endpoints come and go with their
/// plugins while the web server keeps running. Transport-neutral: the host adapts ASP.NET Core requests to it.
/// </summary>
public sealed partial class PluginHttpDispatcher(RouteRegistry routes, ILogger<PluginHttpDispatcher> logger)
{
    /// <summary>Finds the plugin endpoint for a request, or null.</summary>
    /// <param name="method">HTTP method.</param>
    /// <param name="path">Request path.</param>
    public PluginHttpMatch? Match(string method, string path) => routes.Current.MatchHttp(method, path);

    /// <summary>Whether any plugin serves this path with another method (for 405 answers).</summary>
    /// <param name="path">Request path.</param>
    public bool PathExists(string path) => routes.Current.HttpPathExists(path);

    /// <summary>Runs the endpoint's handler in a fresh scope of its plugin. Handler failures become 500 and are logged.</summary>
    /// <param name="match">The match.</param>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async ValueTask<PluginHttpResponse> InvokeAsync(PluginHttpMatch match, PluginHttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        var route = match.Route;
        if (!route.Plugin.TryEnter())
        {
            return PluginHttpResponse.Text(503, "The endpoint is being updated; retry shortly.");
        }

        try
        {
            var provider = route.Plugin.Provider;
            if (provider is null)
            {
                return PluginHttpResponse.Text(503, "The endpoint is being updated; retry shortly.");
            }

            var scope = provider.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var handler = (IHttpEndpointHandler)scope.ServiceProvider.GetRequiredService(route.HandlerType);
                return await handler.HandleAsync(request, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogEndpointFailed(logger, ex, request.Method, request.Path, route.PluginId);
            return PluginHttpResponse.Text(500, "Internal error.");
        }
        finally
        {
            route.Plugin.Exit();
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "Plugin endpoint {Method} {Path} of {PluginId} failed")]
    private static partial void LogEndpointFailed(ILogger logger, Exception exception, string method, string path, string pluginId);
}
