using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using NafflesBotKit.Runtime.Plugins;

namespace NafflesBotKit.Host.Status;

/// <summary>What <c>GET /</c> answers: the host and the state of each plugin.</summary>
/// <param name="Name">Product name.</param>
/// <param name="Version">Host version.</param>
/// <param name="Sdk">The plugin SDK version the host provides.</param>
/// <param name="Plugins">Every plugin the host knows of.</param>
internal sealed record HostStatus(string Name, string Version, string Sdk, IReadOnlyList<PluginStatusView> Plugins);

/// <summary>One plugin as operators see it.</summary>
/// <param name="Id">Plugin id.</param>
/// <param name="Version">Plugin version.</param>
/// <param name="State">Lifecycle state.</param>
/// <param name="Error">Why it failed, when it did.</param>
internal sealed record PluginStatusView(string Id, string? Version, PluginState State, string? Error);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HostStatus))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;

internal static class StatusEndpoints
{
    private static readonly string HostVersion = ReadVersion();

    public static IEndpointRouteBuilder MapStatusEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", (PluginManager plugins) => TypedResults.Json(Snapshot(plugins), StatusJsonContext.Default.HostStatus));
        return endpoints;
    }

    internal static HostStatus Snapshot(PluginManager plugins) => new(
        "NafflesBotKit",
        HostVersion,
        NafflesBotKit.Plugins.SdkVersion.Current.ToString(3),
        [.. plugins.Statuses.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => new PluginStatusView(p.Id, p.Version, p.State, p.Error))]);

    private static string ReadVersion()
    {
        var version = typeof(StatusEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
