using Microsoft.Extensions.Options;

namespace NafflesBotKit.Host.Sandbox;

/// <summary>The <c>Sandbox:Mode</c> setting.</summary>
internal enum SandboxMode
{
    /// <summary>Sandbox only when neither Discord nor Naffles credentials are configured (the default).</summary>
    Auto,

    /// <summary>Always sandbox; refused when credentials are configured, so a production setup is never replaced.</summary>
    On,

    /// <summary>Never sandbox: without credentials the host runs on its own, with no Discord connection.</summary>
    Off,
}

/// <summary>What the host decided at start.</summary>
/// <param name="Enabled">Whether the host runs in sandbox mode.</param>
/// <param name="Reason">Why, for the log.</param>
internal sealed record SandboxDecision(bool Enabled, string Reason);

/// <summary>
/// Decides between sandbox and the real thing. Any credential (<c>Discord:BotToken</c> / <c>DISCORD_BOT_TOKEN</c> or
/// <c>Naffles:BaseUrl</c> / <c>NAFFLES_API_BASE_URL</c>) means production: sandbox is never entered silently then.
/// </summary>
internal static class SandboxSelection
{
    public const string ModeKey = "Sandbox:Mode";

    /// <summary>Decides; throws <see cref="OptionsValidationException"/> for an unknown mode or <c>On</c> with credentials.</summary>
    /// <param name="configuration">The host's configuration (seed names already mapped).</param>
    public static SandboxDecision Decide(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var raw = configuration[ModeKey];
        SandboxMode mode;
        if (string.IsNullOrWhiteSpace(raw))
        {
            mode = SandboxMode.Auto;
        }
        else if (!Enum.TryParse(raw.Trim(), ignoreCase: true, out mode) || !Enum.IsDefined(mode) || int.TryParse(raw, out _))
        {
            throw Invalid($"Sandbox:Mode must be Auto, On or Off, got '{raw}'.");
        }

        var credentials = Credentials(configuration);
        return mode switch
        {
            SandboxMode.Off => new SandboxDecision(false, "Sandbox:Mode is Off"),
            SandboxMode.On when credentials.Count > 0 => throw Invalid(
                $"Sandbox:Mode is On but {string.Join(" and ", credentials)} {(credentials.Count == 1 ? "is" : "are")} configured: remove the credentials to use the sandbox, or set Sandbox:Mode to Auto or Off to run for real."),
            SandboxMode.On => new SandboxDecision(true, "Sandbox:Mode is On"),
            _ when credentials.Count > 0 => new SandboxDecision(false, $"{string.Join(" and ", credentials)} configured"),
            _ => new SandboxDecision(true, "no Discord or Naffles credentials are configured (Sandbox:Mode is Auto)"),
        };
    }

    private static List<string> Credentials(IConfiguration configuration)
    {
        List<string> found = [];
        if (!string.IsNullOrWhiteSpace(configuration["Discord:BotToken"]))
        {
            found.Add("Discord:BotToken (DISCORD_BOT_TOKEN)");
        }

        if (!string.IsNullOrWhiteSpace(configuration["Naffles:BaseUrl"]))
        {
            found.Add("Naffles:BaseUrl (NAFFLES_API_BASE_URL)");
        }

        return found;
    }

    private static OptionsValidationException Invalid(string message) =>
        new("Sandbox", typeof(SandboxDecision), [message]);
}
