using System.Security.Cryptography;
using System.Text;
using NafflesBotKit.Naffles;

namespace NafflesBotKit.Host.Admin;

/// <summary>
/// <c>GET /admin/naffles/requests?format=json|csv</c>: the Naffles request debug log for owners, behind the
/// <c>Admin:Token</c> configuration value sent as <c>Authorization: Bearer {token}</c> (or <c>X-Admin-Token</c>).
/// Without a configured token the endpoint does not exist (404) and a log line says so. Filters: <c>method</c>,
/// <c>status</c>, <c>hasError</c>, <c>since</c> (ISO 8601).
/// </summary>
internal static partial class RequestLogEndpoint
{
    public const string Path = "/admin/naffles/requests";

    public const string TokenKey = "Admin:Token";

    public static void MapRequestLogEndpoint(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NafflesBotKit.Host.Admin");
        if (string.IsNullOrWhiteSpace(app.Configuration[TokenKey]))
        {
            LogDisabled(logger, Path, TokenKey);
            return;
        }

        app.MapGet(Path, (HttpContext context, IConfiguration configuration, IServiceProvider services) =>
        {
            if (!IsAuthorized(context.Request, configuration[TokenKey]))
            {
                LogUnauthorized(logger, context.Connection.RemoteIpAddress?.ToString());
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Json(new AdminError("Unauthorized"), AdminJsonContext.Default.AdminError, statusCode: 401);
            }

            var log = services.GetService<INafflesRequestLog>();
            if (log is null)
            {
                return Results.Json(new AdminError("No Naffles API is configured, so nothing is logged"), AdminJsonContext.Default.AdminError, statusCode: 503);
            }

            var query = context.Request.Query;
            var filter = new NafflesRequestLogFilter
            {
                Method = string.IsNullOrEmpty(query["method"]) ? null : query["method"].ToString(),
                Status = int.TryParse(query["status"], out var status) ? status : null,
                HasError = bool.TryParse(query["hasError"], out var hasError) ? hasError : null,
                Since = DateTimeOffset.TryParse(query["since"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var since) ? since : null,
            };
            var format = query["format"].ToString();
            return string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
                ? Results.Text(log.ExportCsv(filter), "text/csv; charset=utf-8")
                : string.IsNullOrEmpty(format) || string.Equals(format, "json", StringComparison.OrdinalIgnoreCase)
                    ? Results.Text(log.ExportJson(filter), "application/json; charset=utf-8")
                    : Results.Json(new AdminError("format must be json or csv"), AdminJsonContext.Default.AdminError, statusCode: 400);
        });
    }

    /// <summary>Compares SHA-256 digests of the presented and configured tokens in constant time (equal lengths always).</summary>
    internal static bool IsAuthorized(HttpRequest request, string? configured)
    {
        if (string.IsNullOrEmpty(configured))
        {
            return false;
        }

        string? presented = request.Headers["X-Admin-Token"].ToString();
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..].Trim();
        }

        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(configured)));
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Admin endpoint {Path} disabled: no {Setting} configured")]
    private static partial void LogDisabled(ILogger logger, string path, string setting);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "Refused an admin request without a valid token from {RemoteAddress}")]
    private static partial void LogUnauthorized(ILogger logger, string? remoteAddress);
}

internal sealed record AdminError(string Error);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(AdminError))]
internal sealed partial class AdminJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
