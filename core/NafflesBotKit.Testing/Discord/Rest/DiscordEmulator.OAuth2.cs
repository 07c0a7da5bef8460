using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace NafflesBotKit.Testing.Discord;

public sealed partial class DiscordEmulator
{
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GrantedToken> _accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GrantedToken> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<OAuth2TokenRequest> _tokenRequests = new();

    /// <summary>Every request to <c>/oauth2/token</c>, as received.</summary>
    public IReadOnlyList<OAuth2TokenRequest> TokenRequests => [.. _tokenRequests];

    /// <summary>Every access and refresh token issued so far (so tests can check that none leaks into logs).</summary>
    public IReadOnlyList<string> IssuedTokens => [.. _accessTokens.Keys, .. _refreshTokens.Keys];

    /// <summary>
    /// Plays the user pressing "Cancel" on the authorize page: the redirect with <c>error=access_denied</c> and the
    /// state, as Discord sends it.
    /// </summary>
    /// <param name="authorizeUrl">The URL the bot sent the user to.</param>
    public Uri Deny(Uri authorizeUrl)
    {
        ArgumentNullException.ThrowIfNull(authorizeUrl);
        var query = QueryHelpers.ParseQuery(authorizeUrl.Query);
        var redirect = query.TryGetValue("redirect_uri", out var r) ? r.ToString() : string.Empty;
        if (!Options.RedirectUris.Contains(redirect))
        {
            throw new InvalidOperationException("Invalid redirect_uri: not registered.");
        }

        var state = query.TryGetValue("state", out var s) ? s.ToString() : string.Empty;
        var separator = redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return new Uri(redirect + separator + "error=access_denied&error_description=" + Uri.EscapeDataString("The resource owner or authorization server denied the request")
            + (state.Length > 0 ? "&state=" + Uri.EscapeDataString(state) : string.Empty));
    }

    /// <summary>
    /// Plays the user's part of the authorize page: checks the URL like Discord does (client id, registered redirect
    /// URI, response type, PKCE method), "approves" as <paramref name="userId"/> and returns the redirect with
    /// <c>code</c> and <c>state</c>.
    /// </summary>
    /// <param name="authorizeUrl">The URL the bot sent the user to.</param>
    /// <param name="userId">Who approves (an emulator user).</param>
    /// <exception cref="InvalidOperationException">Discord would show an error page instead.</exception>
    public Uri Authorize(Uri authorizeUrl, ulong userId)
    {
        ArgumentNullException.ThrowIfNull(authorizeUrl);
        var query = QueryHelpers.ParseQuery(authorizeUrl.Query);
        string Get(string name) => query.TryGetValue(name, out var v) ? v.ToString() : string.Empty;
        if (Get("client_id") != Id(ApplicationId))
        {
            throw new InvalidOperationException("Unknown client_id.");
        }

        if (Get("response_type") != "code")
        {
            throw new InvalidOperationException("response_type must be code.");
        }

        var redirect = Get("redirect_uri");
        if (!Options.RedirectUris.Contains(redirect))
        {
            throw new InvalidOperationException("Invalid redirect_uri: not registered.");
        }

        var challenge = Get("code_challenge");
        if (challenge.Length > 0 && Get("code_challenge_method") != "S256")
        {
            throw new InvalidOperationException("Only code_challenge_method=S256 is accepted.");
        }

        if (!_users.ContainsKey(userId))
        {
            throw new InvalidOperationException($"User {userId} is not known to the emulator.");
        }

        var code = RandomToken();
        _codes[code] = new PendingCode(userId, redirect, challenge.Length > 0 ? challenge : null, Get("scope"));
        var state = Get("state");
        var separator = redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return new Uri(redirect + separator + "code=" + Uri.EscapeDataString(code) + (state.Length > 0 ? "&state=" + Uri.EscapeDataString(state) : string.Empty));
    }

    private bool IsAccessToken(string token) =>
        _accessTokens.TryGetValue(token, out var granted) && Time.GetUtcNow() < granted.ExpiresAt;

    private Task<Reply> Token(RequestContext r)
    {
        var contentType = r.Http.Request.ContentType;
        var isForm = contentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
        var fields = isForm
            ? QueryHelpers.ParseQuery(Encoding.UTF8.GetString(r.Body)).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal)
            : [];
        var basic = r.Header("Authorization") is { } auth && auth.StartsWith("Basic ", StringComparison.Ordinal);
        _tokenRequests.Enqueue(new OAuth2TokenRequest(contentType, fields, basic));
        if (!isForm)
        {
            return Task.FromResult(OAuthError(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded"));
        }

        string? clientId = fields.GetValueOrDefault("client_id");
        string? secret = fields.GetValueOrDefault("client_secret");
        if (basic)
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(r.Header("Authorization")!["Basic ".Length..]));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            clientId = decoded[..Math.Max(colon, 0)];
            secret = decoded[(colon + 1)..];
        }

        if (clientId != Id(ApplicationId) || secret != Options.ClientSecret)
        {
            return Task.FromResult(OAuthError(401, "invalid_client", "Invalid client credentials"));
        }

        switch (fields.GetValueOrDefault("grant_type"))
        {
            case "authorization_code":
                if (!_codes.TryRemove(fields.GetValueOrDefault("code") ?? string.Empty, out var pending))
                {
                    return Task.FromResult(OAuthError(400, "invalid_grant", "Invalid \"code\" in request."));
                }

                if (fields.GetValueOrDefault("redirect_uri") != pending.RedirectUri)
                {
                    return Task.FromResult(OAuthError(400, "invalid_grant", "Invalid \"redirect_uri\" in request."));
                }

                if (pending.Challenge is not null)
                {
                    var verifier = fields.GetValueOrDefault("code_verifier") ?? string.Empty;
                    var expected = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
                    if (expected != pending.Challenge)
                    {
                        return Task.FromResult(OAuthError(400, "invalid_grant", "Invalid \"code_verifier\"."));
                    }
                }

                return Task.FromResult(Issue(pending.UserId, pending.Scope));
            case "refresh_token":
                if (!_refreshTokens.TryRemove(fields.GetValueOrDefault("refresh_token") ?? string.Empty, out var granted))
                {
                    return Task.FromResult(OAuthError(400, "invalid_grant", "Invalid \"refresh_token\" in request."));
                }

                return Task.FromResult(Issue(granted.UserId, granted.Scope));
            default:
                return Task.FromResult(OAuthError(400, "unsupported_grant_type", "Unsupported grant type"));
        }
    }

    private Reply Issue(ulong userId, string scope)
    {
        var access = RandomToken();
        var refresh = RandomToken();
        var grant = new GrantedToken(userId, scope, Time.GetUtcNow() + TimeSpan.FromSeconds(604800));
        _accessTokens[access] = grant;
        _refreshTokens[refresh] = grant;
        return Reply.Ok(new JsonObject
        {
            ["access_token"] = access,
            ["token_type"] = "Bearer",
            ["expires_in"] = 604800,
            ["refresh_token"] = refresh,
            ["scope"] = scope,
        });
    }

    private Task<Reply> CurrentUser(RequestContext r)
    {
        if (r.Bearer is { } bearer && _accessTokens.TryGetValue(bearer, out var grant))
        {
            var user = _users.TryGetValue(grant.UserId, out var u) ? u : new EmulatedUser(grant.UserId, "user");
            var json = UserJson(user);
            if (grant.Scope.Split(' ').Contains("email"))
            {
                json["email"] = user.Email;
                json["verified"] = user.EmailVerified;
            }

            return Task.FromResult(Reply.Ok(json));
        }

        var bot = UserJson(new EmulatedUser(ApplicationId, "emulated-bot"));
        bot["bot"] = true;
        return Task.FromResult(Reply.Ok(bot));
    }

    private static Reply OAuthError(int status, string error, string description) =>
        new(status, new JsonObject { ["error"] = error, ["error_description"] = description }, []);

    private static string RandomToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record PendingCode(ulong UserId, string RedirectUri, string? Challenge, string Scope);

    private sealed record GrantedToken(ulong UserId, string Scope, DateTimeOffset ExpiresAt);
}
