using System.Text.Json;
using System.Text.Json.Serialization;
using NafflesBotKit.Plugins;

namespace NafflesBotKit.Host.Admin;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<PluginInfo>))]
[JsonSerializable(typeof(PluginOperationResult))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class PluginAdminJsonContext : JsonSerializerContext;

/// <summary>
/// The operators' HTTP API under <c>/admin</c>, protected by the bearer token <c>Admin:Token</c> (compared in
/// constant time). Without a configured token the API is not mapped at all.
/// </summary>
internal static partial class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder endpoints, IConfiguration configuration, ILogger logger)
    {
        var token = configuration["Admin:Token"];
        if (string.IsNullOrWhiteSpace(token))
        {
            LogAdminDisabled(logger);
            return endpoints;
        }

        var admin = endpoints.MapGroup("/admin").AddEndpointFilter(new AdminTokenFilter(token));
        admin.MapGet("/plugins", (IPluginAdministration plugins) => TypedResults.Json(plugins.List(), PluginAdminJsonContext.Default.IReadOnlyListPluginInfo));
        admin.MapPost("/plugins/{id}/{action}", async (string id, string action, IPluginAdministration plugins, CancellationToken ct) =>
        {
            Task<PluginOperationResult>? operation = action switch
            {
                "enable" => plugins.EnableAsync(id, ct),
                "disable" => plugins.DisableAsync(id, ct),
                "reload" => plugins.ReloadAsync(id, ct),
                "rollback" => plugins.RollbackAsync(id, ct),
                _ => null,
            };
            return operation is null ? Results.NotFound() : Result(await operation.ConfigureAwait(false));
        });
        admin.MapGet("/guilds/{guildId}/plugins", async (ulong guildId, IPluginAdministration plugins, CancellationToken ct) =>
            TypedResults.Json(await plugins.GuildDisabledAsync(guildId, ct).ConfigureAwait(false), PluginAdminJsonContext.Default.IReadOnlyListString));
        admin.MapPost("/guilds/{guildId}/plugins/{id}/{action}", async (ulong guildId, string id, string action, IPluginAdministration plugins, CancellationToken ct) =>
            action is "enable" or "disable"
                ? Result(await plugins.SetGuildEnabledAsync(guildId, id, action == "enable", ct).ConfigureAwait(false))
                : Results.NotFound());
        return endpoints;
    }

    private static IResult Result(PluginOperationResult result) =>
        TypedResults.Json(result, PluginAdminJsonContext.Default.PluginOperationResult, statusCode: result.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Admin API disabled: set Admin:Token (Admin__Token) to enable /admin")]
    private static partial void LogAdminDisabled(ILogger logger);

    /// <summary>Requires the admin token (<see cref="RequestLogEndpoint.IsAuthorized"/>: bearer or X-Admin-Token, constant time).</summary>
    private sealed class AdminTokenFilter(string token) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            if (!RequestLogEndpoint.IsAuthorized(context.HttpContext.Request, token))
            {
                context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Unauthorized();
            }

            return await next(context).ConfigureAwait(false);
        }
    }
}
