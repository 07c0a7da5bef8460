using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace NafflesBotKit.Plugins.Webhooks;

/// <summary>
/// The plugin's settings, read from its own section <c>Plugins:Settings:naffles.webhooks</c> on every use (so a
/// configuration reload, e.g. a rotated secret, applies without restarting). Read by hand rather than bound: the
/// binder is not part of the SDK, and there are only a few keys.
/// </summary>
internal sealed record WebhookSettings
{
    /// <summary>Default tolerance between the signed timestamp and our clock (seed: 300 s).</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Every secret a delivery may be signed with, current first: <c>Secret</c>, then <c>Secrets:0..n</c>, then the
    /// host's <c>Webhooks:Secret</c> (<c>WEBHOOK_SECRET</c>), which the host surfaces here as <c>HostSecret</c>.
    /// </summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>Accepted distance between the signed timestamp and now, either way.</summary>
    public TimeSpan Tolerance { get; init; } = DefaultTolerance;

    /// <summary>Whether to register our URL with Naffles on start.</summary>
    public bool RegisterOnStart { get; init; }

    /// <summary>The public base URL Naffles reaches this host at (e.g. <c>https://bot.example.com</c>).</summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>The secret sent when registering: the first of <see cref="Secrets"/>.</summary>
    public string? CurrentSecret => Secrets.Count > 0 ? Secrets[0] : null;

    public static WebhookSettings From(IConfiguration configuration)
    {
        var secrets = new List<string>();
        void Add(string? value)
        {
            if (!string.IsNullOrWhiteSpace(value) && !secrets.Contains(value, StringComparer.Ordinal))
            {
                secrets.Add(value);
            }
        }

        Add(configuration["Secret"]);
        foreach (var child in configuration.GetSection("Secrets").GetChildren())
        {
            Add(child.Value);
        }

        Add(configuration["HostSecret"]);
        var tolerance = int.TryParse(configuration["ToleranceSeconds"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : DefaultTolerance;
        return new WebhookSettings
        {
            Secrets = secrets,
            Tolerance = tolerance,
            RegisterOnStart = bool.TryParse(configuration["RegisterOnStart"], out var register) && register,
            PublicUrl = Uri.TryCreate(configuration["PublicUrl"], UriKind.Absolute, out var url) ? url : null,
        };
    }
}

/// <summary>Reads <see cref="WebhookSettings"/> from the plugin's configuration section.</summary>
internal sealed class WebhookSettingsSource(IConfiguration configuration)
{
    public WebhookSettings Current => WebhookSettings.From(configuration);
}
