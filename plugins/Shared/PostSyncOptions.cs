using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace NafflesBotKit.Plugins.Shared;

/// <summary>
/// How a plugin keeps its posts current (configuration <c>Plugins:Settings:{pluginId}</c>): <c>EditIntervalSeconds</c>,
/// <c>SyncIntervalSeconds</c>, <c>SyncBatchSize</c>, <c>RepostDeleted</c>.
/// </summary>
internal sealed record PostSyncOptions
{
    /// <summary>Least time between two edits of one post (default 5 s).</summary>
    public TimeSpan EditInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often posts are re-synced with Naffles (default 30 s).</summary>
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Posts synced concurrently (default 10).</summary>
    public int SyncBatchSize { get; init; } = 10;

    /// <summary>Whether a post whose message was deleted is posted again (default false: it is unmapped).</summary>
    public bool RepostDeleted { get; init; }

    /// <summary>Reads and validates the options; <paramref name="pluginId"/> names the plugin in the error.</summary>
    public static PostSyncOptions From(IConfiguration configuration, string pluginId)
    {
        var options = new PostSyncOptions
        {
            EditInterval = Seconds(configuration, "EditIntervalSeconds", 5),
            SyncInterval = Seconds(configuration, "SyncIntervalSeconds", 30),
            SyncBatchSize = int.TryParse(configuration["SyncBatchSize"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var b) ? b : 10,
            RepostDeleted = bool.TryParse(configuration["RepostDeleted"], out var r) && r,
        };
        if (options.EditInterval <= TimeSpan.Zero || options.SyncInterval <= TimeSpan.Zero || options.SyncBatchSize is < 1 or > 100)
        {
            throw new InvalidOperationException($"{pluginId}: EditIntervalSeconds and SyncIntervalSeconds must be positive and SyncBatchSize 1-100.");
        }

        return options;
    }

    private static TimeSpan Seconds(IConfiguration configuration, string key, double fallback) =>
        TimeSpan.FromSeconds(double.TryParse(configuration[key], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : fallback);
}
