using System.ComponentModel.DataAnnotations;

namespace NafflesBotKit.Runtime.Services;

/// <summary>Where the embedded store keeps its file (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Storage";

    /// <summary>SQLite database file; relative paths are resolved against the current directory. Created on first use.</summary>
    [Required]
    public string Path { get; set; } = "./data/nafflesbot.db";

    /// <summary>
    /// Explicit sharing between plugins: owner plugin id → ids of the plugins that may open its data with
    /// <see cref="NafflesBotKit.Services.IPluginStore.OpenShared"/>. Nothing is shared by default.
    /// </summary>
    public Dictionary<string, string[]> Shares { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="ownerPluginId"/> shares its data with <paramref name="readerPluginId"/>.</summary>
    /// <param name="ownerPluginId">The owner.</param>
    /// <param name="readerPluginId">The plugin asking.</param>
    /// <returns>True when shared.</returns>
    public bool IsShared(string ownerPluginId, string readerPluginId) =>
        Shares.TryGetValue(ownerPluginId, out var readers) && readers.Contains(readerPluginId, StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// Redis for scale-out (configuration section <c>Redis</c>). When <see cref="Configuration"/> is set, the store, rate
/// limits and the cache's second level use Redis; otherwise everything is embedded (memory + SQLite).
/// </summary>
public sealed class RedisOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Redis";

    /// <summary>StackExchange.Redis connection string (e.g. <c>localhost:6379</c>); empty disables Redis.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key the bot writes, so several bots can share one Redis.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9:_.-]{1,32}$")]
    public string KeyPrefix { get; set; } = "nbk:";

    /// <summary>Whether Redis is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}
