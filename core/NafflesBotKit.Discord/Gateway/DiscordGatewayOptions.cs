using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NafflesBotKit.Discord.Gateway;

/// <summary>How the gateway compresses what it sends.</summary>
public enum GatewayCompression
{
    /// <summary>Transport compression, <c>compress=zlib-stream</c>: one zlib context per connection (the default).</summary>
    ZlibStream = 0,

    /// <summary>No compression (text frames).</summary>
    None = 1,
}

/// <summary>
/// Gateway configuration (section <c>Discord:Gateway</c>). Which shards this process runs is configuration: set
/// <see cref="ShardCount"/> and <see cref="ShardIds"/> to spread one bot over several processes.
/// </summary>
public sealed class DiscordGatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Discord:Gateway";

    /// <summary>The bot token (without the <c>Bot </c> prefix; one given with it is accepted and stripped).</summary>
    [Required]
    public string Token { get; set; } = "";

    /// <summary>Intents, as a number or names (<c>"Guilds, GuildMembers"</c>).</summary>
    public GatewayIntents Intents { get; set; } = GatewayIntents.Guilds;

    /// <summary>Total shards; 0 = Discord's recommendation from <c>GET /gateway/bot</c>.</summary>
    [Range(0, 65535)]
    public int ShardCount { get; set; }

    /// <summary>The shard ids this process runs; empty = all of them.</summary>
    public IList<int> ShardIds { get; } = [];

    /// <summary>REST base URL, with the version (<c>https://discord.com/api/v10</c>).</summary>
    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://discord.com/api/v10");

    /// <summary>Transport compression.</summary>
    public GatewayCompression Compression { get; set; } = GatewayCompression.ZlibStream;

    /// <summary>Members above which a guild is "large" (50-250).</summary>
    [Range(50, 250)]
    public int LargeThreshold { get; set; } = 50;

    /// <summary><c>properties.os</c> sent in Identify; default: this machine's OS.</summary>
    public string? OperatingSystem { get; set; }

    /// <summary>How long to wait for Hello after the socket opens.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for READY or RESUMED after Identify or Resume.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the WebSocket handshake may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First delay of the exponential reconnect backoff (after a failed connection attempt).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the reconnect backoff.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Sends allowed per connection per minute for ordinary commands (Discord's limit is 120; heartbeats, Identify and Resume may use the rest).</summary>
    [Range(1, 120)]
    public int SendBudgetPerMinute { get; set; } = 115;

    /// <summary>The token without a <c>Bot </c> prefix.</summary>
    internal string BareToken => Token.StartsWith("Bot ", StringComparison.Ordinal) ? Token[4..].Trim() : Token.Trim();
}

/// <summary>Validates <see cref="DiscordGatewayOptions"/> at start, beyond the attributes.</summary>
public sealed class DiscordGatewayOptionsValidator : IValidateOptions<DiscordGatewayOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DiscordGatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BareToken))
        {
            failures.Add("Discord:Gateway:Token is required.");
        }

        if (!options.Intents.IsDocumented())
        {
            failures.Add($"Discord:Gateway:Intents has undocumented bits ({(int)options.Intents}); Discord would close with 4013.");
        }

        if (options.ShardIds.Any(id => id < 0))
        {
            failures.Add("Discord:Gateway:ShardIds must be >= 0.");
        }

        if (options.ShardIds.Distinct().Count() != options.ShardIds.Count)
        {
            failures.Add("Discord:Gateway:ShardIds has duplicates.");
        }

        if (options.ShardCount > 0 && options.ShardIds.Any(id => id >= options.ShardCount))
        {
            failures.Add($"Discord:Gateway:ShardIds must be < ShardCount ({options.ShardCount}).");
        }

        if (options.ShardCount == 0 && options.ShardIds.Count > 0)
        {
            failures.Add("Discord:Gateway:ShardIds needs an explicit ShardCount (the recommended count can change between starts).");
        }

        if (!options.ApiBaseUrl.IsAbsoluteUri)
        {
            failures.Add("Discord:Gateway:ApiBaseUrl must be absolute.");
        }

        if (options.ReconnectMaxDelay < options.ReconnectBaseDelay)
        {
            failures.Add("Discord:Gateway:ReconnectMaxDelay must be >= ReconnectBaseDelay.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
