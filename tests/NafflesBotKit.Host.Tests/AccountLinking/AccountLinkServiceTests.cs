using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Host.AccountLinking;
using NafflesBotKit.Services;
using NafflesBotKit.Testing.Discord;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Host.Tests.AccountLinking;

/// <summary>
/// The account-link service in process, on a fake clock, against the Discord and Naffles emulators: the expiries and
/// the refusals the end-to-end tests do not reach in reasonable time.
/// </summary>
public sealed partial class AccountLinkServiceTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private DiscordEmulator _discord = null!;
    private NafflesEmulator _naffles = null!;
    private ServiceProvider _services = null!;

    private AccountLinkService Links => _services.GetRequiredService<AccountLinkService>();

    [Fact]
    public async Task Link_IsSignedForOneUser_AndExpiresAfterLinkLifetime()
    {
        await StartAsync();
        var url = _services.GetRequiredService<IAccountLinking>().CreateLinkUrl(42, 7);
        var token = QueryHelpers.ParseQuery(url.Query)["link"].ToString();
        Assert.StartsWith("42.7.", token, StringComparison.Ordinal);

        Assert.Equal(302, (await Links.StartAsync(token, default)).Status);
        Assert.Equal(400, (await Links.StartAsync(token.Replace("42.7.", "43.7.", StringComparison.Ordinal), default)).Status);
        Assert.Equal(400, (await Links.StartAsync(token[..^2] + "xx", default)).Status);
        Assert.Equal(400, (await Links.StartAsync("garbage", default)).Status);

        _time.Advance(TimeSpan.FromHours(1));
        var expired = await Links.StartAsync(token, default);
        Assert.Equal(400, expired.Status);
        Assert.Contains("expired", expired.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task State_ExpiresAfterStateLifetime_WithoutCallingDiscord()
    {
        await StartAsync();
        var alice = _discord.AddUser("alice", email: "alice@example.com");
        var callback = _discord.Authorize(await AuthorizeUrlAsync(alice.Id), alice.Id);

        _time.Advance(TimeSpan.FromMinutes(10));
        var outcome = await CompleteAsync(callback);

        Assert.Equal(400, outcome.Status);
        Assert.Contains("expired", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_discord.TokenRequests);
    }

    [Fact]
    public async Task UnverifiedEmail_IsRefused_NothingLinked()
    {
        await StartAsync();
        var alice = _discord.AddUser("alice", email: "alice@example.com", emailVerified: false);
        _naffles.AddUser("naffles-alice", "alice", email: "alice@example.com");

        var outcome = await CompleteAsync(_discord.Authorize(await AuthorizeUrlAsync(alice.Id), alice.Id));

        Assert.Equal(400, outcome.Status);
        Assert.Equal("No verified e-mail address", outcome.Title);
        Assert.Empty(_naffles.RequestsTo(NafflesEmulatorRoutes.LinkDiscordAccount));
    }

    [Fact]
    public async Task DiscordAccountLinkedToAnotherNafflesUser_IsAConflictPage()
    {
        await StartAsync();
        var alice = _discord.AddUser("alice", email: "alice@example.com");
        _naffles.AddUser("someone-else", "someone", discordId: alice.Id.ToString(CultureInfo.InvariantCulture));
        _naffles.AddUser("naffles-alice", "alice", email: "alice@example.com");

        var outcome = await CompleteAsync(_discord.Authorize(await AuthorizeUrlAsync(alice.Id), alice.Id));

        Assert.Equal(409, outcome.Status);
        Assert.Equal("Already linked elsewhere", outcome.Title);
        Assert.Null(_discord.DmChannel(alice.Id));
    }

    [Fact]
    public async Task RejectedCode_IsABadGatewayPage()
    {
        await StartAsync();
        var alice = _discord.AddUser("alice", email: "alice@example.com");
        var callback = _discord.Authorize(await AuthorizeUrlAsync(alice.Id), alice.Id);
        var forgedCode = Regex.Replace(callback.Query, "code=[^&]+", "code=not-a-code");

        var outcome = await CompleteAsync(new Uri(callback.GetLeftPart(UriPartial.Path) + forgedCode));

        Assert.Equal(502, outcome.Status);
        Assert.Equal("Discord sign-in failed", outcome.Title);
    }

    [Fact]
    public void Page_EncodesEverythingDynamic()
    {
        var html = AccountLinkingWiring.Render(new LinkOutcome(400, "<b>t</b>", "<script>alert(1)</script>", false, null, 5));

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("https://discord.com/channels/5", html, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (_naffles is not null)
        {
            await _naffles.DisposeAsync();
        }

        if (_discord is not null)
        {
            await _discord.DisposeAsync();
        }
    }

    private async Task StartAsync()
    {
        _discord = new DiscordEmulator();
        var urls = await _discord.StartAsync();
        _naffles = await NafflesEmulator.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:BotToken"] = _discord.BotToken,
            ["Discord:Token"] = _discord.BotToken,
            ["Discord:ApiBaseUrl"] = urls.RestBaseUrl.ToString(),
            ["Discord:ClientId"] = _discord.ApplicationId.ToString(CultureInfo.InvariantCulture),
            ["Discord:ClientSecret"] = _discord.Options.ClientSecret,
            ["Discord:RedirectUri"] = _discord.Options.RedirectUris[0],
            ["Discord:CommandSync:Mode"] = "Off",
            ["Naffles:BaseUrl"] = _naffles.BaseUrl.ToString(),
            ["Naffles:ApiKey"] = _naffles.ApiKey,
            ["Storage:Path"] = Path.Combine(Directory.CreateTempSubdirectory("nbk-link-unit-").FullName, "store.db"),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        services.AddNafflesBotRuntime(configuration);
        services.AddNafflesBotServices(configuration);
        services.AddDiscordRest(configuration);
        services.AddNafflesApi(configuration);
        services.AddAccountLinking(configuration);
        _services = services.BuildServiceProvider();
    }

    private async Task<Uri> AuthorizeUrlAsync(ulong userId)
    {
        var token = QueryHelpers.ParseQuery(Links.CreateLinkUrl(userId, null).Query)["link"].ToString();
        var start = await Links.StartAsync(token, default);
        return start.Redirect ?? throw new InvalidOperationException(start.Message);
    }

    private Task<LinkOutcome> CompleteAsync(Uri callback)
    {
        var query = QueryHelpers.ParseQuery(callback.Query);
        string? Get(string name) => query.TryGetValue(name, out var value) ? value.ToString() : null;
        return Links.CompleteAsync(Get("state"), Get("code"), Get("error"), default);
    }
}
