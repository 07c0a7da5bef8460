using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using NafflesBotKit.Discord.Json;
using NafflesBotKit.Discord.Rest;
using NafflesBotKit.Interactions;

namespace NafflesBotKit.Discord.OAuth2;

/// <summary>
/// Discord OAuth2 for account linking (discord-protocol.md §4): an authorize URL with a random <c>state</c> bound to
/// the party that started the flow (single use, expiring) and a PKCE S256 challenge; the code exchange and refresh
/// as <c>application/x-www-form-urlencoded</c> with the client credentials; <c>GET /users/@me</c> with the bearer
/// token.
/// </summary>
public sealed class DiscordOAuth2Client
{
    /// <summary>The scopes requested by default.</summary>
    public static readonly IReadOnlyList<string> DefaultScopes = ["identify", "guilds"];

    private readonly ConcurrentDictionary<string, PendingState> _states = new(StringComparer.Ordinal);
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly DiscordOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the client.</summary>
    public DiscordOAuth2Client(IHttpClientFactory httpClientFactory, IOptions<DiscordOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
        _time = time;
    }

    /// <summary>Starts a flow: a fresh state and PKCE verifier, remembered for <see cref="DiscordOptions.OAuth2StateLifetime"/>.</summary>
    /// <param name="binding">Who started it (e.g. the Discord user id running /link); the callback must present the same.</param>
    /// <param name="scopes">Scopes; <see cref="DefaultScopes"/> when null.</param>
    public OAuth2Authorization CreateAuthorization(string binding, IEnumerable<string>? scopes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(binding);
        PurgeExpired();
        var state = CreateState();
        var verifier = CreateCodeVerifier();
        var expires = _time.GetUtcNow() + _options.OAuth2StateLifetime;
        _states[state] = new PendingState(binding, verifier, expires);
        return new OAuth2Authorization(BuildAuthorizeUrl(state, CreateCodeChallenge(verifier), scopes), state, expires);
    }

    /// <summary>
    /// The authorize URL for a state and PKCE challenge the caller keeps itself (e.g. in a store shared by several
    /// processes); pair it with <see cref="ExchangeCodeWithVerifierAsync"/>.
    /// </summary>
    /// <param name="state">The state (see <see cref="CreateState"/>).</param>
    /// <param name="codeChallenge">The S256 challenge of the verifier (see <see cref="CreateCodeChallenge"/>).</param>
    /// <param name="scopes">Scopes; <see cref="DefaultScopes"/> when null.</param>
    public Uri BuildAuthorizeUrl(string state, string codeChallenge, IEnumerable<string>? scopes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(state);
        ArgumentException.ThrowIfNullOrEmpty(codeChallenge);
        var query = new StringBuilder(_options.AuthorizeUrl);
        query.Append(_options.AuthorizeUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?')
            .Append("response_type=code")
            .Append("&client_id=").Append(Uri.EscapeDataString(_options.ClientId ?? string.Empty))
            .Append("&scope=").Append(Uri.EscapeDataString(string.Join(' ', scopes ?? DefaultScopes)))
            .Append("&redirect_uri=").Append(Uri.EscapeDataString(_options.RedirectUri ?? string.Empty))
            .Append("&state=").Append(Uri.EscapeDataString(state))
            .Append("&code_challenge=").Append(codeChallenge)
            .Append("&code_challenge_method=S256")
            .Append("&prompt=consent");
        return new Uri(query.ToString());
    }

    /// <summary>A fresh random state (192 bits, base64url).</summary>
    public static string CreateState() => Base64Url(RandomNumberGenerator.GetBytes(24));

    /// <summary>A fresh PKCE code verifier (384 bits, base64url: 64 characters, within RFC 7636's 43-128).</summary>
    public static string CreateCodeVerifier() => Base64Url(RandomNumberGenerator.GetBytes(48));

    /// <summary>The PKCE S256 challenge: base64url(SHA-256(ASCII(verifier))) without padding.</summary>
    /// <param name="verifier">The code verifier.</param>
    public static string CreateCodeChallenge(string verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
    }

    /// <summary>
    /// Finishes a flow: checks and consumes the state (it must exist, be unexpired and belong to
    /// <paramref name="binding"/>), then exchanges the code.
    /// </summary>
    /// <param name="code">The <c>code</c> query parameter of the callback.</param>
    /// <param name="state">The <c>state</c> query parameter of the callback.</param>
    /// <param name="binding">Who the callback belongs to.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="OAuth2StateException">The state is unknown, used, expired or bound to someone else.</exception>
    /// <exception cref="DiscordApiException">Discord rejected the exchange.</exception>
    public async ValueTask<OAuth2Token> ExchangeCodeAsync(string code, string state, string binding, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        var verifier = ConsumeState(state, binding);
        return await ExchangeCodeWithVerifierAsync(code, verifier, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Exchanges a code for a token with the PKCE verifier the caller kept (the caller has checked its own state);
    /// form-encoded with the client credentials.
    /// </summary>
    /// <param name="code">The <c>code</c> query parameter of the callback.</param>
    /// <param name="codeVerifier">The verifier whose challenge went into the authorize URL.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="DiscordApiException">Discord rejected the exchange.</exception>
    public async ValueTask<OAuth2Token> ExchangeCodeWithVerifierAsync(string code, string codeVerifier, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentException.ThrowIfNullOrEmpty(codeVerifier);
        var verifier = codeVerifier;
        return await TokenRequestAsync(
            [
                new("grant_type", "authorization_code"),
                new("code", code),
                new("redirect_uri", _options.RedirectUri ?? string.Empty),
                new("code_verifier", verifier),
            ],
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refreshes an access token.</summary>
    /// <param name="refreshToken">The refresh token.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public ValueTask<OAuth2Token> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);
        return TokenRequestAsync([new("grant_type", "refresh_token"), new("refresh_token", refreshToken)], cancellationToken);
    }

    /// <summary><c>GET /users/@me</c> with the user's bearer token (scope identify).</summary>
    /// <param name="accessToken">The access token.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async ValueTask<DiscordUser> GetCurrentUserAsync(string accessToken, CancellationToken cancellationToken) =>
        (await GetCurrentIdentityAsync(accessToken, cancellationToken).ConfigureAwait(false)).User;

    /// <summary>
    /// <c>GET /users/@me</c> with the user's bearer token: the user, plus the e-mail address and whether Discord has
    /// verified it (present only with the <c>email</c> scope).
    /// </summary>
    /// <param name="accessToken">The access token.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async ValueTask<OAuth2Identity> GetCurrentIdentityAsync(string accessToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, _options.ApiBaseUrl.TrimEnd('/') + "/users/@me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.TryAddWithoutValidation("User-Agent", DiscordRestClient.UserAgent);
        var body = await SendAsync(request, "GET /users/@me", cancellationToken).ConfigureAwait(false);
        var wire = JsonSerializer.Deserialize(body, DiscordJsonContext.Default.UserWire);
        var user = InteractionParser.ToUser(wire)
            ?? throw new DiscordApiException(200, 0, "Discord returned no user.", "GET /users/@me");
        return new OAuth2Identity(user, wire!.Discriminator, wire.Email, wire.Verified == true);
    }

    internal string ConsumeState(string state, string binding)
    {
        // Single use: removed whether or not the rest of the check passes.
        if (string.IsNullOrEmpty(state) || !_states.TryRemove(state, out var pending))
        {
            throw new OAuth2StateException("The OAuth2 state is unknown or was already used.");
        }

        if (_time.GetUtcNow() >= pending.ExpiresAt)
        {
            throw new OAuth2StateException("The OAuth2 state has expired.");
        }

        if (!string.Equals(pending.Binding, binding, StringComparison.Ordinal))
        {
            throw new OAuth2StateException("The OAuth2 state belongs to another session.");
        }

        return pending.Verifier;
    }

    private async ValueTask<OAuth2Token> TokenRequestAsync(List<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        form.Insert(0, new("client_id", _options.ClientId ?? string.Empty));
        form.Insert(1, new("client_secret", _options.ClientSecret ?? string.Empty));
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.ApiBaseUrl.TrimEnd('/') + "/oauth2/token")
        {
            Content = new FormUrlEncodedContent(form),
        };
        request.Headers.TryAddWithoutValidation("User-Agent", DiscordRestClient.UserAgent);
        var body = await SendAsync(request, "POST /oauth2/token", cancellationToken).ConfigureAwait(false);
        var wire = JsonSerializer.Deserialize(body, DiscordJsonContext.Default.OAuth2TokenWire) ?? new OAuth2TokenWire();
        return new OAuth2Token(
            wire.AccessToken ?? string.Empty,
            wire.TokenType ?? "Bearer",
            _time.GetUtcNow() + TimeSpan.FromSeconds(wire.ExpiresIn),
            wire.RefreshToken,
            (wire.Scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private async ValueTask<byte[]> SendAsync(HttpRequestMessage request, string route, CancellationToken cancellationToken)
    {
        using var response = await _httpClientFactory.CreateClient(DiscordRestClient.HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            string message = response.StatusCode.ToString();
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.TryGetProperty("error_description", out var d) || doc.RootElement.TryGetProperty("message", out d) || doc.RootElement.TryGetProperty("error", out d))
                {
                    message = d.ToString();
                }
            }
            catch (JsonException)
            {
            }

            throw new DiscordApiException((int)response.StatusCode, 0, message, route);
        }

        return body;
    }

    private void PurgeExpired()
    {
        var now = _time.GetUtcNow();
        foreach (var pair in _states)
        {
            if (pair.Value.ExpiresAt <= now)
            {
                _states.TryRemove(pair.Key, out _);
            }
        }
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record PendingState(string Binding, string Verifier, DateTimeOffset ExpiresAt);
}

/// <summary>Where to send the user, and the state that the callback must bring back.</summary>
/// <param name="Url">The authorize URL.</param>
/// <param name="State">The state parameter.</param>
/// <param name="ExpiresAt">When the state stops being accepted.</param>
public sealed record OAuth2Authorization(Uri Url, string State, DateTimeOffset ExpiresAt);

/// <summary>The user behind an OAuth2 token (<c>GET /users/@me</c>).</summary>
/// <param name="User">The user.</param>
/// <param name="Discriminator">The legacy discriminator (<c>0</c> for migrated accounts).</param>
/// <param name="Email">The e-mail address (scope <c>email</c> only).</param>
/// <param name="EmailVerified">Whether Discord has verified <paramref name="Email"/>.</param>
public sealed record OAuth2Identity(DiscordUser User, string? Discriminator, string? Email, bool EmailVerified);

/// <summary>An OAuth2 token pair.</summary>
/// <param name="AccessToken">The bearer token.</param>
/// <param name="TokenType">"Bearer".</param>
/// <param name="ExpiresAt">When the access token expires.</param>
/// <param name="RefreshToken">The refresh token.</param>
/// <param name="Scopes">Granted scopes.</param>
public sealed record OAuth2Token(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, string? RefreshToken, IReadOnlyList<string> Scopes)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"OAuth2Token {{ TokenType = {TokenType}, ExpiresAt = {ExpiresAt:O}, Scopes = {string.Join(' ', Scopes)} }}");
}

/// <summary>An OAuth2 callback's state was unknown, reused, expired or bound to someone else (possible CSRF).</summary>
public sealed class OAuth2StateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OAuth2StateException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public OAuth2StateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public OAuth2StateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
