using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using NafflesBotKit.Discord.OAuth2;
using NafflesBotKit.Discord.Tests.Support;

namespace NafflesBotKit.Discord.Tests.OAuth2;

public sealed class DiscordOAuth2ClientTests
{
    [Fact]
    public void CreateCodeChallenge_Rfc7636Vector()
    {
        // RFC 7636 appendix B.
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", DiscordOAuth2Client.CreateCodeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    [Fact]
    public async Task CreateAuthorization_UrlCarriesScopesStateAndS256Challenge()
    {
        await using var ctx = await DiscordTestContext.StartAsync();
        var oauth = ctx.Services.GetRequiredService<DiscordOAuth2Client>();

        var auth = oauth.CreateAuthorization("discord-user:42");

        var query = QueryHelpers.ParseQuery(auth.Url.Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(ctx.Emulator.ApplicationId.ToString(System.Globalization.CultureInfo.InvariantCulture), query["client_id"]);
        Assert.Equal("identify guilds", query["scope"]);
        Assert.Equal(ctx.Emulator.Options.RedirectUris[0], query["redirect_uri"]);
        Assert.Equal(auth.State, query["state"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"].ToString().Length);
        Assert.Contains("scope=identify%20guilds", auth.Url.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullFlow_ExchangeIsFormEncoded_ThenUsersMeAndRefresh()
    {
        await using var ctx = await DiscordTestContext.StartAsync();
        var oauth = ctx.Services.GetRequiredService<DiscordOAuth2Client>();
        var user = ctx.Emulator.AddUser("linker", "Linker");
        var auth = oauth.CreateAuthorization("discord-user:" + user.Id);

        var callback = ctx.Emulator.Authorize(auth.Url, user.Id);
        var query = QueryHelpers.ParseQuery(callback.Query);
        var token = await oauth.ExchangeCodeAsync(query["code"].ToString(), query["state"].ToString(), "discord-user:" + user.Id, CancellationToken.None);

        var exchange = Assert.Single(ctx.Emulator.TokenRequests);
        Assert.Equal("application/x-www-form-urlencoded", exchange.ContentType);
        Assert.Equal("authorization_code", exchange.Fields["grant_type"]);
        Assert.Equal(query["code"], exchange.Fields["code"]);
        Assert.Equal(ctx.Emulator.Options.RedirectUris[0], exchange.Fields["redirect_uri"]);
        Assert.Equal(ctx.Emulator.Options.ClientSecret, exchange.Fields["client_secret"]);
        Assert.True(exchange.Fields.ContainsKey("code_verifier"));
        Assert.Equal(["identify", "guilds"], token.Scopes);
        Assert.DoesNotContain(token.AccessToken, token.ToString(), StringComparison.Ordinal);

        var me = await oauth.GetCurrentUserAsync(token.AccessToken, CancellationToken.None);
        Assert.Equal(user.Id, me.Id);
        Assert.Equal("Linker", me.GlobalName);

        var refreshed = await oauth.RefreshAsync(token.RefreshToken!, CancellationToken.None);
        Assert.NotEqual(token.AccessToken, refreshed.AccessToken);
        Assert.Equal("refresh_token", ctx.Emulator.TokenRequests.Last().Fields["grant_type"]);
        Assert.Equal("application/x-www-form-urlencoded", ctx.Emulator.TokenRequests.Last().ContentType);
    }

    [Fact]
    public async Task State_IsSingleUse()
    {
        await using var ctx = await DiscordTestContext.StartAsync();
        var oauth = ctx.Services.GetRequiredService<DiscordOAuth2Client>();
        var user = ctx.Emulator.AddUser("u");
        var auth = oauth.CreateAuthorization("b");
        var code = QueryHelpers.ParseQuery(ctx.Emulator.Authorize(auth.Url, user.Id).Query)["code"].ToString();

        await oauth.ExchangeCodeAsync(code, auth.State, "b", CancellationToken.None);

        await Assert.ThrowsAsync<OAuth2StateException>(async () => await oauth.ExchangeCodeAsync(code, auth.State, "b", CancellationToken.None));
        Assert.Single(ctx.Emulator.TokenRequests);
    }

    [Fact]
    public async Task State_ExpiresOnTheClock()
    {
        var time = DiscordTestContext.NewFakeTime();
        await using var ctx = await DiscordTestContext.StartAsync(time);
        var oauth = ctx.Services.GetRequiredService<DiscordOAuth2Client>();
        var auth = oauth.CreateAuthorization("b");
        var fresh = oauth.CreateAuthorization("b");

        time.Advance(TimeSpan.FromMinutes(10));

        var error = await Assert.ThrowsAsync<OAuth2StateException>(async () => await oauth.ExchangeCodeAsync("code", auth.State, "b", CancellationToken.None));
        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
        Assert.Throws<OAuth2StateException>(() => oauth.ConsumeState(fresh.State, "b"));
        Assert.Empty(ctx.Emulator.TokenRequests);
    }

    [Fact]
    public async Task State_BoundToWhoStartedIt()
    {
        await using var ctx = await DiscordTestContext.StartAsync();
        var oauth = ctx.Services.GetRequiredService<DiscordOAuth2Client>();
        var auth = oauth.CreateAuthorization("discord-user:1");

        Assert.Throws<OAuth2StateException>(() => oauth.ConsumeState(auth.State, "discord-user:2"));
        Assert.Throws<OAuth2StateException>(() => oauth.ConsumeState(auth.State, "discord-user:1")); // consumed by the failed attempt
        Assert.Throws<OAuth2StateException>(() => oauth.ConsumeState("forged", "discord-user:1"));
    }

    [Fact]
    public async Task Exchange_WrongVerifier_RejectedByDiscord()
    {
        await using var ctx = await DiscordTestContext.StartAsync();
        var oauth = ctx.Services.GetRequiredService<DiscordOAuth2Client>();
        var user = ctx.Emulator.AddUser("u");
        var mine = oauth.CreateAuthorization("b");
        var other = oauth.CreateAuthorization("b");

        // A code obtained for one flow exchanged with another flow's state (and so its verifier).
        var code = QueryHelpers.ParseQuery(ctx.Emulator.Authorize(mine.Url, user.Id).Query)["code"].ToString();
        var error = await Assert.ThrowsAsync<DiscordApiException>(async () => await oauth.ExchangeCodeAsync(code, other.State, "b", CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("code_verifier", error.DiscordMessage, StringComparison.Ordinal);
    }
}
