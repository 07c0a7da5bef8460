using Microsoft.Extensions.Options;

namespace NafflesBotKit.Host.Configuration;

/// <summary>Discord application credentials (configuration section <c>Discord</c>; seed names <c>DISCORD_*</c>).</summary>
public sealed class DiscordOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Discord";

    /// <summary>Bot token. When absent the host runs without a Discord connection.</summary>
    public string? BotToken { get; set; }

    /// <summary>The application (client) id, a snowflake. Required with a bot token.</summary>
    public string? ClientId { get; set; }

    /// <summary>OAuth2 client secret.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>OAuth2 redirect URI.</summary>
    public Uri? RedirectUri { get; set; }

    /// <summary>The application's Ed25519 public key (hex), for signed HTTP interactions.</summary>
    public string? PublicKey { get; set; }

    /// <summary>Discord REST base address.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://discord.com/api/v10");

    /// <summary>Whether credentials are configured at all.</summary>
    public bool HasCredentials => !string.IsNullOrWhiteSpace(BotToken);
}

/// <summary>Checks <see cref="DiscordOptions"/> at start, so a typo fails the start instead of the first Discord call.</summary>
internal sealed class DiscordOptionsValidator : IValidateOptions<DiscordOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!options.ApiBaseUrl.IsAbsoluteUri)
        {
            failures.Add($"Discord:ApiBaseUrl must be an absolute URL (DISCORD_API_BASE_URL), got '{options.ApiBaseUrl}'.");
        }

        if (options.RedirectUri is { IsAbsoluteUri: false })
        {
            failures.Add($"Discord:RedirectUri must be an absolute URL (DISCORD_REDIRECT_URI), got '{options.RedirectUri}'.");
        }

        if (options.HasCredentials)
        {
            if (string.IsNullOrWhiteSpace(options.ClientId))
            {
                failures.Add("Discord:ClientId (DISCORD_CLIENT_ID) is required when a bot token is configured: set it to the application id from the Discord developer portal.");
            }
            else if (!IsSnowflake(options.ClientId))
            {
                failures.Add($"Discord:ClientId (DISCORD_CLIENT_ID) must be the application id, a Discord snowflake (digits only), got '{options.ClientId}'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>A snowflake is an unsigned 64-bit integer written in decimal.</summary>
    internal static bool IsSnowflake(string value) =>
        value.Length is > 0 and <= 20 && value.All(char.IsAsciiDigit) && ulong.TryParse(value, out var id) && id > 0;
}
