using Microsoft.Extensions.Options;
using NafflesBotKit.Services;

namespace NafflesBotKit.Discord.Rest;

/// <summary>
/// The seed's Discord check as a host probe: <c>GET {Discord:ApiBaseUrl}/gateway</c> (unauthenticated) every 60 s with a
/// 5 s timeout, healthy on 200. Following <c>Discord:ApiBaseUrl</c> means the check asks the Discord the bot really
/// talks to (an emulator or proxy in tests and staging). Registered by <c>AddDiscordHealthProbes</c>.
/// </summary>
public sealed class DiscordApiProbe : IHealthProbe
{
    /// <summary>Name of the HTTP client the probe uses.</summary>
    public const string HttpClientName = "NafflesBotKit.Discord.Probe";

    private readonly IHttpClientFactory _http;
    private readonly Uri _url;

    /// <summary>Creates the probe.</summary>
    /// <param name="http">HTTP client factory.</param>
    /// <param name="options">Discord options (the API base URL).</param>
    public DiscordApiProbe(IHttpClientFactory http, IOptions<DiscordOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _url = new Uri(options.Value.ApiBaseUrl.TrimEnd('/') + "/gateway");
    }

    /// <inheritdoc />
    public string Name => "discord";

    /// <inheritdoc />
    public TimeSpan? Interval => TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public TimeSpan? Timeout => TimeSpan.FromSeconds(5);

    /// <summary>The URL checked.</summary>
    public Uri Url => _url;

    /// <inheritdoc />
    public async ValueTask<HealthProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        var client = _http.CreateClient(HttpClientName);
        using var response = await client.GetAsync(_url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return (int)response.StatusCode == 200
            ? HealthProbeResult.Ok()
            : HealthProbeResult.Fail($"GET /gateway answered {(int)response.StatusCode}");
    }
}
