using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace NafflesBotKit.Discord.Gateway;

/// <summary><c>session_start_limit</c> of <c>GET /gateway/bot</c>.</summary>
/// <param name="Total">Identifies allowed per reset period.</param>
/// <param name="Remaining">Identifies left.</param>
/// <param name="ResetAfter">Until the limit resets.</param>
/// <param name="MaxConcurrency">Identifies allowed per 5 seconds (and the number of rate-limit keys).</param>
public sealed record SessionStartLimit(int Total, int Remaining, TimeSpan ResetAfter, int MaxConcurrency);

/// <summary>The answer of <c>GET /gateway/bot</c>.</summary>
/// <param name="Url">The gateway URL (<c>wss://gateway.discord.gg</c>).</param>
/// <param name="Shards">Recommended shard count.</param>
/// <param name="SessionStartLimit">Identify limits.</param>
public sealed record GatewayBotInfo(Uri Url, int Shards, SessionStartLimit SessionStartLimit);

/// <summary>
/// Gets the gateway URL, recommended shards and identify limits. The default calls <c>GET /gateway/bot</c> with a
/// plain <see cref="HttpClient"/>; the REST layer can replace it to go through its rate limiter.
/// </summary>
public interface IGatewayInfoSource
{
    /// <summary>Calls <c>GET /gateway/bot</c>.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    ValueTask<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken);
}

/// <summary><c>GET {ApiBaseUrl}/gateway/bot</c> with <c>Authorization: Bot &lt;token&gt;</c>.</summary>
public sealed class HttpGatewayInfoSource : IGatewayInfoSource
{
    /// <summary>The name of the <see cref="IHttpClientFactory"/> client it uses when registered by AddDiscordGateway.</summary>
    public const string HttpClientName = "NafflesBotKit.Discord.Gateway";

    private readonly Func<HttpClient> _http;
    private readonly IOptions<DiscordGatewayOptions> _options;

    /// <summary>Creates the source over one client.</summary>
    /// <param name="http">The client.</param>
    /// <param name="options">Gateway options (token, base URL).</param>
    public HttpGatewayInfoSource(HttpClient http, IOptions<DiscordGatewayOptions> options)
    {
        _http = () => http;
        _options = options;
    }

    /// <summary>Creates the source over a client factory (a fresh client per call, as the factory intends).</summary>
    /// <param name="factory">The factory.</param>
    /// <param name="options">Gateway options (token, base URL).</param>
    public HttpGatewayInfoSource(IHttpClientFactory factory, IOptions<DiscordGatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _http = () => factory.CreateClient(HttpClientName);
        _options = options;
    }

    /// <inheritdoc />
    public async ValueTask<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken)
    {
        var options = _options.Value;
        var baseUrl = options.ApiBaseUrl.ToString().TrimEnd('/');
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl + "/gateway/bot"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bot", options.BareToken);
        request.Headers.UserAgent.ParseAdd("DiscordBot (https://github.com/naffles/NafflesBotKit, 1.0.0)");
        using var response = await _http().SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET /gateway/bot failed with {(int)response.StatusCode}.", null, response.StatusCode);
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return GatewayBotInfoParser.Parse(bytes);
    }
}

/// <summary>Parses the <c>GET /gateway/bot</c> body; tolerant of missing fields.</summary>
internal static class GatewayBotInfoParser
{
    public static GatewayBotInfo Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        string? url = null;
        var shards = 1;
        int total = 1000, remaining = 1000, maxConcurrency = 1;
        double resetAfterMs = 0;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("url"u8))
            {
                reader.Read();
                url = reader.GetString();
            }
            else if (reader.ValueTextEquals("shards"u8))
            {
                reader.Read();
                shards = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("session_start_limit"u8))
            {
                reader.Read();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    switch (name)
                    {
                        case "total": total = reader.GetInt32(); break;
                        case "remaining": remaining = reader.GetInt32(); break;
                        case "reset_after": resetAfterMs = reader.GetDouble(); break;
                        case "max_concurrency": maxConcurrency = reader.GetInt32(); break;
                        default: reader.Skip(); break;
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (url is null)
        {
            throw new JsonException("GET /gateway/bot returned no url.");
        }

        return new GatewayBotInfo(new Uri(url), Math.Max(1, shards), new SessionStartLimit(total, remaining, TimeSpan.FromMilliseconds(resetAfterMs), Math.Max(1, maxConcurrency)));
    }
}
