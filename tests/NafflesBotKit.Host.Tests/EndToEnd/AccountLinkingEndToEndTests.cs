using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using NafflesBotKit.Testing.Discord;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Host.Tests.EndToEnd;

/// <summary>
/// Account linking through the real host: a plugin's "Link Naffles Account" button points at the host's OAuth2 flow,
/// the emulated Discord plays the authorize page and the token endpoint, the Naffles emulator gets the link.
/// The registered redirect URI is a public address (as behind a reverse proxy); the test's "browser" sends its path and
/// query to the host's real loopback address.
/// </summary>
public sealed partial class AccountLinkingEndToEndTests
{
    private const string RedirectUri = "https://bot.example/oauth/callback";

    [Fact]
    public async Task LinkButton_RunsOAuth2Flow_LinksNafflesAccount_AndStateIsSingleUse()
    {
        await using var env = await LinkEnvironment.StartAsync();
        var alice = env.Discord.AddUser("alice", "Alice", email: "alice@example.com");
        env.Naffles.AddUser("naffles-alice", "alice-on-naffles", email: "alice@example.com");

        var link = await env.LinkButtonUrlAsync(alice);
        Assert.StartsWith(RedirectUri + "?link=", link.AbsoluteUri, StringComparison.Ordinal);
        Assert.True(link.AbsoluteUri.Length <= 512);

        // The browser opens the button: the host sends it to Discord with state and PKCE S256.
        var authorize = await env.StartAsync(link);
        Assert.Contains("code_challenge_method=S256", authorize.Query, StringComparison.Ordinal);
        Assert.Contains("scope=identify%20email", authorize.Query, StringComparison.Ordinal);

        // The user approves; Discord redirects back to the host.
        var callback = env.Discord.Authorize(authorize, alice.Id);
        var (status, page) = await env.BrowseAsync(callback);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Accounts linked", page, StringComparison.Ordinal);
        Assert.Contains("alice-on-naffles", page, StringComparison.Ordinal);

        var exchange = Assert.Single(env.Discord.TokenRequests);
        Assert.Equal("application/x-www-form-urlencoded", exchange.ContentType);
        Assert.True(exchange.Fields.ContainsKey("code_verifier"));

        // Naffles has the link (through the seed's POST /api/users/{id}/discord-link).
        var linked = Assert.Single(env.Naffles.Requests, r => r.Route == NafflesEmulatorRoutes.LinkDiscordAccount && r.Path.EndsWith("/api/users/naffles-alice/discord-link", StringComparison.Ordinal));
        Assert.Contains(alice.Id.ToString(CultureInfo.InvariantCulture), linked.Body, StringComparison.Ordinal);

        // And the user hears about it in a DM.
        var dm = env.Discord.DmChannel(alice.Id);
        Assert.NotNull(dm);
        Assert.Contains("Naffles Account Linked", env.Discord.LastMessage(dm.Value)!.Embeds.ToJsonString(), StringComparison.Ordinal);

        // The same redirect again (a replay): refused, nothing exchanged.
        var (replayStatus, replayPage) = await env.BrowseAsync(callback);
        Assert.Equal(HttpStatusCode.BadRequest, replayStatus);
        Assert.Contains("already used", replayPage, StringComparison.Ordinal);
        Assert.Single(env.Discord.TokenRequests);

        // Now that the account is linked, the plugin goes past the "not linked" prompt.
        var again = await env.Discord.Interactions.RunCommandAsync(alice, env.Guild, env.Channel, "naffles-link-community", new Dictionary<string, object> { ["community_id"] = "no-such-community" });
        Assert.DoesNotContain("Account Not Linked", await env.ReplyTextAsync(again), StringComparison.Ordinal);

        await env.Host.StopAsync();
        Assert.DoesNotContain(env.Discord.Options.ClientSecret, env.Host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(exchange.Fields["code"], env.Host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(exchange.Fields["code_verifier"], env.Host.Output, StringComparison.Ordinal);
        Assert.NotEmpty(env.Discord.IssuedTokens);
        foreach (var token in env.Discord.IssuedTokens)
        {
            Assert.DoesNotContain(token, env.Host.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Callback_RefusesOtherUser_DeniedConsent_ForgedAndExpiredLinks_AndUnknownNafflesAccount()
    {
        await using var env = await LinkEnvironment.StartAsync();
        var alice = env.Discord.AddUser("alice", email: "alice@example.com");
        var mallory = env.Discord.AddUser("mallory", email: "mallory@example.com");
        var bob = env.Discord.AddUser("bob", email: "bob@example.com");
        env.Naffles.AddUser("naffles-alice", "alice", email: "alice@example.com");
        env.Naffles.AddUser("naffles-mallory", "mallory", email: "mallory@example.com");
        var link = await env.LinkButtonUrlAsync(alice);

        // Mallory got hold of Alice's button and signs in as herself: refused, nobody linked.
        var (mismatch, mismatchPage) = await env.BrowseAsync(env.Discord.Authorize(await env.StartAsync(link), mallory.Id));
        Assert.Equal(HttpStatusCode.Forbidden, mismatch);
        Assert.Contains("different account", mismatchPage, StringComparison.Ordinal);

        // Alice cancels on Discord's page.
        var (denied, deniedPage) = await env.BrowseAsync(env.Discord.Deny(await env.StartAsync(link)));
        Assert.Equal(HttpStatusCode.OK, denied);
        Assert.Contains("Linking cancelled", deniedPage, StringComparison.Ordinal);

        // A forged link (another user id under Alice's signature) and a made-up state.
        var forged = new Uri(Regex.Replace(link.AbsoluteUri, @"link=\d+", "link=" + mallory.Id.ToString(CultureInfo.InvariantCulture)));
        var (forgedStatus, forgedPage) = await env.BrowseAsync(forged);
        Assert.Equal(HttpStatusCode.BadRequest, forgedStatus);
        Assert.Contains("not valid", forgedPage, StringComparison.Ordinal);
        var (unknownState, unknownPage) = await env.BrowseAsync(new Uri(RedirectUri + "?code=abc&state=made-up"));
        Assert.Equal(HttpStatusCode.BadRequest, unknownState);
        Assert.Contains("unknown or has expired", unknownPage, StringComparison.Ordinal);

        // Bob has no Naffles account with his e-mail address.
        var (noAccount, noAccountPage) = await env.BrowseAsync(env.Discord.Authorize(await env.StartAsync(await env.LinkButtonUrlAsync(bob)), bob.Id));
        Assert.Equal(HttpStatusCode.NotFound, noAccount);
        Assert.Contains("No Naffles account", noAccountPage, StringComparison.Ordinal);

        Assert.DoesNotContain(env.Naffles.Requests, r => r.Route == NafflesEmulatorRoutes.LinkDiscordAccount);
        await env.Host.StopAsync();
        Assert.Contains("refused: Discord signed in user " + mallory.Id.ToString(CultureInfo.InvariantCulture), env.Host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(env.Discord.Options.ClientSecret, env.Host.Output, StringComparison.Ordinal);
        foreach (var token in env.Discord.IssuedTokens)
        {
            Assert.DoesNotContain(token, env.Host.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TwoHostsSharingRedis_OneStartsTheFlow_TheOtherFinishesIt_ReplayRefusedOnEither()
    {
        await using var redis = await Testing.Redis.RedisTestServer.StartAsync();
        var shared = new Dictionary<string, string>
        {
            ["Redis__Configuration"] = redis.Configuration,
            ["Redis__KeyPrefix"] = Testing.Redis.RedisTestServer.UniquePrefix(),
        };
        await using var env = await LinkEnvironment.StartAsync(shared);
        var (second, secondAddress) = await LinkEnvironment.StartHostAsync(env.Discord, env.Naffles, shared);
        await using (second)
        {
            var alice = env.Discord.AddUser("alice", email: "alice@example.com");
            env.Naffles.AddUser("naffles-alice", "alice", email: "alice@example.com");

            // The button comes from host 1, the browser lands on host 2 for the start and on host 1 for the callback.
            var authorize = await env.StartAsync(await env.LinkButtonUrlAsync(alice), secondAddress);
            var callback = env.Discord.Authorize(authorize, alice.Id);
            var (status, page) = await env.BrowseAsync(callback);
            Assert.True(status == HttpStatusCode.OK, page + "\n" + env.Host.Output);
            Assert.Contains("Accounts linked", page, StringComparison.Ordinal);

            var (replay, replayPage) = await env.BrowseAsync(callback, secondAddress);
            Assert.Equal(HttpStatusCode.BadRequest, replay);
            Assert.Contains("already used", replayPage, StringComparison.Ordinal);
            Assert.Single(env.Naffles.RequestsTo(NafflesEmulatorRoutes.LinkDiscordAccount));
        }
    }

    /// <summary>The host with Discord (HTTP interactions) and Naffles emulated, account linking configured.</summary>
    private sealed partial class LinkEnvironment : IAsyncDisposable
    {
        private readonly HttpClient _browser = new(new HttpClientHandler { AllowAutoRedirect = false });

        private LinkEnvironment(DiscordEmulator discord, NafflesEmulator naffles, Testing.Hosting.BotHostProcess host, Uri address, ulong guild, ulong channel)
        {
            Discord = discord;
            Naffles = naffles;
            Host = host;
            Address = address;
            Guild = guild;
            Channel = channel;
        }

        public DiscordEmulator Discord { get; }

        public NafflesEmulator Naffles { get; }

        public Testing.Hosting.BotHostProcess Host { get; }

        public Uri Address { get; }

        public ulong Guild { get; }

        public ulong Channel { get; }

        public static async Task<LinkEnvironment> StartAsync(IReadOnlyDictionary<string, string>? extra = null)
        {
            var discord = new DiscordEmulator();
            await discord.StartAsync();
            var naffles = await NafflesEmulator.StartAsync();
            var (host, address) = await StartHostAsync(discord, naffles, extra);
            discord.Interactions.UseHttp(new Uri(address, "/interactions"));
            var (guild, channel) = discord.AddGuild();
            return new LinkEnvironment(discord, naffles, host, address, guild.Id, channel);
        }

        /// <summary>Starts a host process on the emulators (another one with the same configuration, for scale-out).</summary>
        public static async Task<(Testing.Hosting.BotHostProcess Host, Uri Address)> StartHostAsync(DiscordEmulator discord, NafflesEmulator naffles, IReadOnlyDictionary<string, string>? extra = null)
        {
            var store = Directory.CreateTempSubdirectory("nbk-link-e2e-").FullName;
            var environment = new Dictionary<string, string>
            {
                ["DISCORD_BOT_TOKEN"] = discord.BotToken,
                ["DISCORD_CLIENT_ID"] = discord.ApplicationId.ToString(CultureInfo.InvariantCulture),
                ["DISCORD_CLIENT_SECRET"] = discord.Options.ClientSecret,
                ["DISCORD_REDIRECT_URI"] = RedirectUri,
                ["DISCORD_PUBLIC_KEY"] = discord.PublicKeyHex,
                ["DISCORD_API_BASE_URL"] = discord.Urls.RestBaseUrl.ToString(),
                ["Discord__Interactions"] = "Http",
                ["NAFFLES_API_BASE_URL"] = naffles.BaseUrl.ToString(),
                ["NAFFLES_API_KEY"] = naffles.ApiKey,
                ["Storage__Path"] = Path.Combine(store, "store.db"),
            };
            foreach (var (key, value) in extra ?? new Dictionary<string, string>())
            {
                environment[key] = value;
            }

            var host = HostProcess.Start(environment);
            var address = await host.WaitUntilListeningAsync();
            for (var i = 0; i < 300 && !discord.Commands().Any(c => c?["name"]?.GetValue<string>() == "naffles-link-community"); i++)
            {
                await Task.Delay(100); // command sync at start
            }

            return (host, address);
        }

        /// <summary>An unlinked member runs a command that needs a Naffles account; returns the button's URL.</summary>
        public async Task<Uri> LinkButtonUrlAsync(EmulatedUser user)
        {
            var sent = await Discord.Interactions.RunCommandAsync(user, Guild, Channel, "naffles-link-community", new Dictionary<string, object> { ["community_id"] = "community-1" });
            var text = await ReplyTextAsync(sent);
            var match = LinkUrl().Match(text);
            Assert.True(match.Success, "no link button in the reply:\n" + text + "\n" + Host.Output);
            return new Uri(match.Value.Replace("\\u0026", "&", StringComparison.Ordinal));
        }

        /// <summary>The reply of an interaction (inline, or the original response edited after a deferral), as JSON text.</summary>
        public async Task<string> ReplyTextAsync(SimulatedInteraction sent)
        {
            for (var i = 0; i < 100; i++)
            {
                var response = sent.Interaction.Response;
                if (response is { Type: 4 })
                {
                    return response.Data?.ToJsonString() ?? string.Empty;
                }

                if (sent.Interaction.OriginalMessageId is { } original
                    && Discord.Messages(Channel).FirstOrDefault(m => m.Id == original) is { } message
                    && (message.Embeds.Count > 0 || message.Content is { Length: > 0 }))
                {
                    return message.Embeds.ToJsonString() + message.Components.ToJsonString() + message.Content;
                }

                await Task.Delay(100);
            }

            throw new TimeoutException("no reply to the interaction:\n" + Host.Output);
        }

        /// <summary>Opens a start link; returns where the host redirects the browser (Discord's authorize page).</summary>
        public async Task<Uri> StartAsync(Uri link, Uri? host = null)
        {
            using var response = await _browser.GetAsync(ToHost(link, host));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            return response.Headers.Location!;
        }

        /// <summary>Opens a URL on the public address at the host; returns the status and the page.</summary>
        public async Task<(HttpStatusCode Status, string Page)> BrowseAsync(Uri url, Uri? host = null)
        {
            using var response = await _browser.GetAsync(ToHost(url, host));
            Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        public async ValueTask DisposeAsync()
        {
            _browser.Dispose();
            await Host.DisposeAsync();
            await Naffles.DisposeAsync();
            await Discord.DisposeAsync();
        }

        // The reverse proxy's job: the public address's path and query, sent to the host.
        private Uri ToHost(Uri publicUrl, Uri? host) => new(host ?? Address, publicUrl.PathAndQuery);

        [GeneratedRegex(@"https://bot\.example/oauth/callback\?link=[0-9A-Za-z._\-]+")]
        private static partial Regex LinkUrl();
    }
}
