using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using NafflesBotKit.Discord.Gateway;
using NafflesBotKit.Runtime.Plugins;

namespace NafflesBotKit.Host.Status;

/// <summary>What <c>GET /</c> answers: the host and the state of each plugin.</summary>
/// <param name="Name">Product name.</param>
/// <param name="Version">Host version.</param>
/// <param name="Sdk">The plugin SDK version the host provides.</param>
/// <param name="Plugins">Every plugin the host knows of.</param>
/// <param name="Gateway">The gateway shards: which process owns which (null without a gateway).</param>
internal sealed record HostStatus(string Name, string Version, string Sdk, IReadOnlyList<PluginStatusView> Plugins, GatewayStatusView? Gateway = null);

/// <summary>The gateway as operators see it: this process, its shards and every shard's owner.</summary>
/// <param name="Process">This process's id (its name in shard leases).</param>
/// <param name="Clustered">Whether shards are leased by several processes (Redis) or configured.</param>
/// <param name="OwnedShards">Shards this process runs, with their state.</param>
/// <param name="Owners">Every shard and the process holding it (null = free).</param>
internal sealed record GatewayStatusView(string Process, bool Clustered, IReadOnlyList<OwnedShardView> OwnedShards, IReadOnlyList<ShardOwnerView> Owners);

/// <summary>A shard this process runs.</summary>
/// <param name="Id">Shard id.</param>
/// <param name="State">Connection state.</param>
/// <param name="Sequence">Last sequence received.</param>
internal sealed record OwnedShardView(int Id, string State, long? Sequence);

/// <summary>A shard's holder.</summary>
/// <param name="Id">Shard id.</param>
/// <param name="Owner">Holding process.</param>
/// <param name="FencingToken">The lease's fencing token (0 when not leased).</param>
internal sealed record ShardOwnerView(int Id, string? Owner, long FencingToken);

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
        endpoints.MapGet("/", async (PluginManager plugins, IServiceProvider services, CancellationToken cancellationToken) =>
            TypedResults.Json(Snapshot(plugins) with { Gateway = await GatewayAsync(services, cancellationToken).ConfigureAwait(false) }, StatusJsonContext.Default.HostStatus));
        return endpoints;
    }

    private static async Task<GatewayStatusView?> GatewayAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<IShardOwnership>() is not { } ownership || services.GetService<IGatewayStatus>() is not { } status)
        {
            return null;
        }

        IReadOnlyList<ShardOwner> owners;
        try
        {
            owners = await ownership.GetOwnersAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException or InvalidOperationException)
        {
            owners = []; // Redis unreachable: show what this process runs
        }

        return new GatewayStatusView(
            ownership.ProcessId,
            ownership.Clustered,
            [.. status.Shards.Select(s => new OwnedShardView(s.ShardId, s.State.ToString(), s.LastSequence))],
            [.. owners.Select(o => new ShardOwnerView(o.ShardId, o.Owner, o.FencingToken))]);
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
