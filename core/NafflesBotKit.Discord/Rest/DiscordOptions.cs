using System.ComponentModel.DataAnnotations;

namespace NafflesBotKit.Discord.Rest;

/// <summary>
/// Discord settings (configuration section <c>Discord</c>; the host maps DISCORD_TOKEN, DISCORD_CLIENT_ID,
/// DISCORD_CLIENT_SECRET, DISCORD_PUBLIC_KEY and DISCORD_API_BASE_URL onto it).
/// </summary>
public sealed class DiscordOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Discord";

    /// <summary>The default REST base URL (always versioned: an unversioned path gets API v6).</summary>
    public const string DefaultApiBaseUrl = "https://discord.com/api/v10";

    /// <summary>The bot token, without the "Bot " prefix.</summary>
    public string? Token { get; set; }

    /// <summary>The REST base URL, including <c>/api/v10</c>.</summary>
    [Required]
    [Url]
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>The application id (the OAuth2 client id).</summary>
    public string? ClientId { get; set; }

    /// <summary>The OAuth2 client secret.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The OAuth2 redirect URI registered in the Developer Portal.</summary>
    public string? RedirectUri { get; set; }

    /// <summary>The browser-facing authorize URL.</summary>
    [Required]
    public string AuthorizeUrl { get; set; } = "https://discord.com/oauth2/authorize";

    /// <summary>How long an OAuth2 <c>state</c> stays usable (it is also single-use).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan OAuth2StateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The application's Ed25519 public key (64 hex characters), for HTTP interactions.</summary>
    public string? PublicKey { get; set; }

    /// <summary>Requests per second allowed by the global limit (Discord: 50 per bot).</summary>
    [Range(1, 100_000)]
    public int GlobalRequestsPerSecond { get; set; } = 50;

    /// <summary>Timeout of one HTTP attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How many times a 5xx or network failure is retried.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// How long the HTTP interactions endpoint waits for the first response before answering with a deferral itself
    /// (the router defers at 2 s; Discord's limit is 3 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:02.900")]
    public TimeSpan InteractionResponseDeadline { get; set; } = TimeSpan.FromSeconds(2.6);

    /// <summary>Command sync settings.</summary>
    public CommandSyncOptions CommandSync { get; set; } = new();

    /// <summary>The application id as a number, or 0 when <see cref="ClientId"/> is not set.</summary>
    public ulong ApplicationId => ulong.TryParse(ClientId, out var id) ? id : 0;
}

/// <summary>Where slash commands are registered.</summary>
public enum CommandSyncMode
{
    /// <summary>Globally (all guilds; changes can take a while to show).</summary>
    Global,

    /// <summary>Per guild in <see cref="CommandSyncOptions.GuildIds"/> (instant; for development).</summary>
    Guild,

    /// <summary>Not synced.</summary>
    Off,
}

/// <summary>Command sync settings (<c>Discord:CommandSync</c>).</summary>
public sealed class CommandSyncOptions
{
    /// <summary>Global, per guild or off.</summary>
    public CommandSyncMode Mode { get; set; } = CommandSyncMode.Global;

    /// <summary>The guilds for <see cref="CommandSyncMode.Guild"/>.</summary>
    public IList<ulong> GuildIds { get; } = [];

    /// <summary>Quiet time after a plugin change before re-syncing (several changes make one sync).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan Debounce { get; set; } = TimeSpan.FromSeconds(2);
}
