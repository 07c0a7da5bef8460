using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Naffles.Tests;

/// <summary>The emulator's own contract, driven with a plain HttpClient (no NafflesBotKit client in the way).</summary>
public sealed class EmulatorTests : IAsyncLifetime
{
    private NafflesEmulator _emulator = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _emulator = await NafflesEmulator.StartAsync();
        _emulator.AddCommunity("c1", "Alpha");
        _emulator.AddAllowlist("a1", "c1", "Genesis");
        _http = new HttpClient { BaseAddress = _emulator.BaseUrl };
        _http.DefaultRequestHeaders.Authorization = new("Bearer", _emulator.ApiKey);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public void BaseUrl_IsLoopbackWithARealPort()
    {
        Assert.Equal("127.0.0.1", _emulator.BaseUrl.Host);
        Assert.NotEqual(0, _emulator.BaseUrl.Port);
    }

    [Fact]
    public async Task StoredTasksAndAllowlists_ListACommunitysOwn_IncludingOnesCreatedThroughTheApi()
    {
        _emulator.AddCommunity("c2", "Beta");
        _emulator.AddAllowlist("a2", "c2", "Other");
        _emulator.AddSocialTask("t1", "c1", "Seeded");
        using var content = new StringContent("""{"title":"Created","type":"custom","rewards":{"points":5}}""", Encoding.UTF8, "application/json");
        using var created = await _http.PostAsync(new Uri("api/communities/c1/social-tasks", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        Assert.Equal(["Seeded", "Created"], _emulator.GetStoredTasks("c1").Select(t => (string?)t["title"]));
        Assert.Equal(["a1"], _emulator.GetStoredAllowlists("c1").Select(a => (string?)a["id"]));
        Assert.Equal(["a2"], _emulator.GetStoredAllowlists("c2").Select(a => (string?)a["id"]));
        Assert.Empty(_emulator.GetStoredTasks("c2"));
    }

    [Fact]
    public async Task SameIdempotencyKey_ReplaysTheStoredResult_WithoutANewRecord()
    {
        var key = Guid.NewGuid().ToString();

        var first = await PostEntryAsync("u1", key);
        var replay = await PostEntryAsync("u1", key);
        var fresh = await PostEntryAsync("u1", Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, fresh.StatusCode); // a new logical attempt is a duplicate entry
        Assert.Single(_emulator.GetStoredEntries("a1"));
    }

    [Fact]
    public async Task WildcardFault_AppliesToAnyRoute_ForNCalls_WithRetryAfter()
    {
        _emulator.Faults.Add("*", NafflesFault.RateLimited(TimeSpan.FromSeconds(3), times: 2));

        var a = await _http.GetAsync(new Uri("api/communities/c1", UriKind.Relative));
        var b = await _http.GetAsync(new Uri("health", UriKind.Relative));
        var c = await _http.GetAsync(new Uri("api/communities/c1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), a.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, b.StatusCode);
        Assert.Equal(HttpStatusCode.OK, c.StatusCode);
    }

    [Fact]
    public async Task DelayFault_AddsRealLatency()
    {
        _emulator.Faults.Add(NafflesEmulatorRoutes.Health, NafflesFault.Delay(TimeSpan.FromMilliseconds(300)));

        var watch = Stopwatch.StartNew();
        var response = await _http.GetAsync(new Uri("health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"answered after {watch.Elapsed}"); // a lower bound only: never flaky on a slow machine
    }

    [Fact]
    public async Task DropFault_ClosesTheConnection()
    {
        _emulator.Faults.Add(NafflesEmulatorRoutes.Health, NafflesFault.Drop());

        await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync(new Uri("health", UriKind.Relative)));
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri("health", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task MissingOrWrongKey_Is401()
    {
        using var anonymous = new HttpClient { BaseAddress = _emulator.BaseUrl };
        using var wrong = new HttpClient { BaseAddress = _emulator.BaseUrl };
        wrong.DefaultRequestHeaders.Add("x-api-key", "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("health", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(new Uri("health", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task InvalidPaging_Is422WithFieldDetails()
    {
        var response = await _http.GetAsync(new Uri("api/allowlists/a1/entries?page=0&limit=500", UriKind.Relative));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        Assert.Equal(["page", "limit"], body["errors"]!.AsArray().Select(e => (string?)e!["field"]));
    }

    [Fact]
    public async Task ClosedAllowlist_RefusesEntries()
    {
        _emulator.SetAllowlistStatus("a1", "completed");

        var response = await PostEntryAsync("u1", Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("allowlist_closed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongFieldType_Is422_NotACrash()
    {
        var response = await _http.PostAsync(
            new Uri("api/communities/c1/social-tasks", UriKind.Relative),
            new StringContent("""{"title":"t","type":"quiz","rewards":{"points":"ten"}}""", Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
    }

    [Theory]
    [InlineData(NafflesDialect.Seed, HttpStatusCode.Created)]
    [InlineData(NafflesDialect.PublishedBackend, (HttpStatusCode)422)]
    public async Task CustomTaskType_OnlyInTheSeedDialect(NafflesDialect dialect, HttpStatusCode expected)
    {
        await using var emulator = await NafflesEmulator.StartAsync(new NafflesEmulatorOptions { Dialect = dialect });
        emulator.AddCommunity("c1", "Alpha");
        using var http = new HttpClient { BaseAddress = emulator.BaseUrl };
        http.DefaultRequestHeaders.Add("x-api-key", emulator.ApiKey);

        var response = await http.PostAsync(
            new Uri("api/communities/c1/social-tasks", UriKind.Relative),
            new StringContent("""{"title":"t","type":"custom"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public void AddMembership_RejectsUnknownRoles()
    {
        Assert.Throws<ArgumentException>(() => _emulator.AddMembership("c1", "u1", "superuser"));
        _emulator.AddMembership("c1", "u1", "manager");
    }

    private Task<HttpResponseMessage> PostEntryAsync(string userId, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/allowlists/a1/entries", UriKind.Relative))
        {
            Content = new StringContent($$"""{"userId":"{{userId}}","source":"discord-bot"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return _http.SendAsync(request);
    }
}
