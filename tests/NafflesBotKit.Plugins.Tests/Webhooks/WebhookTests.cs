using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Events;
using NafflesBotKit.Naffles;
using NafflesBotKit.Plugins.Tests.Support;
using NafflesBotKit.Plugins.Webhooks;
using NafflesBotKit.Services;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Plugins.Tests.Webhooks;

/// <summary>
/// The Webhooks plugin behind a real Kestrel host, receiving deliveries signed by the Naffles emulator's own sender
/// (or by its signer for hand-made requests).
/// </summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private const string Secret = "whsec-current";
    private const string OldSecret = "whsec-previous";

    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<string> StringInfo = TestJsonContext.Default.String;

    private readonly HttpClient _http = new();
    private PluginTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await StartHostAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task EmulatorStatusChange_Signed_PublishesTypedEventAndInvalidatesAllowlistTag()
    {
        await using var emulator = await StartEmulatorAsync(Secret);
        emulator.AddCommunity("c1", "Community");
        emulator.AddAllowlist("a1", "c1", "Drop");
        var factoryRuns = 0;
        await ReadTaggedAsync("allowlist-a1", "allowlist:a1", () => factoryRuns++);
        await ReadTaggedAsync("allowlist-a1", "allowlist:a1", () => factoryRuns++);
        Assert.Equal(1, factoryRuns);

        emulator.SetAllowlistStatus("a1", "closed");
        await emulator.DrainWebhooksAsync();

        var delivery = Assert.Single(emulator.WebhookDeliveries);
        Assert.Equal(200, delivery.StatusCode);
        var e = Assert.Single(_host.EventsOf<NafflesAllowlistStatusChanged>());
        Assert.Equal("a1", e.AllowlistId);
        Assert.Equal("closed", e.NewStatus);
        Assert.Equal(delivery.Headers[NafflesWebhookHeaders.DeliveryId], e.DeliveryId);
        await ReadTaggedAsync("allowlist-a1", "allowlist:a1", () => factoryRuns++);
        Assert.Equal(2, factoryRuns);
    }

    [Fact]
    public async Task EmulatorWinnersAndCommunityUpdate_PublishTheirTypedEvents()
    {
        await using var emulator = await StartEmulatorAsync(Secret);
        emulator.AddCommunity("c1", "Community");
        emulator.AddAllowlist("a1", "c1", "Drop");
        emulator.SelectWinners("a1", []);
        emulator.UpdateCommunity("c1", new Dictionary<string, string> { ["name"] = "Renamed" });
        await emulator.DrainWebhooksAsync();

        Assert.All(emulator.WebhookDeliveries, d => Assert.Equal(200, d.StatusCode));
        var winners = Assert.Single(_host.EventsOf<NafflesAllowlistWinnersSelected>());
        Assert.Equal("a1", winners.AllowlistId);
        var community = Assert.Single(_host.EventsOf<NafflesCommunityUpdated>());
        Assert.Equal("c1", community.CommunityId);
        Assert.Equal("Renamed", community.Changes["name"]);
    }

    [Fact]
    public async Task TaskCompleted_SignedBody_PublishesEventWithCompletionData()
    {
        var body = """{"taskId":"t1","userId":"u1","completionData":{"completedBy":3,"completionRate":0.25},"timestamp":"2026-01-02T03:04:05.000Z"}""";
        using var response = await PostAsync("task-completed", body, Secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var e = Assert.Single(_host.EventsOf<NafflesTaskCompleted>());
        Assert.Equal(("t1", "u1", 3, 0.25), (e.TaskId, e.UserId, e.CompletedBy, e.CompletionRate));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), e.OccurredAt);
    }

    [Fact]
    public async Task WrongSecret_IsRejected401WithSeedBody_AndReportedAsWebhookRejected()
    {
        await using var emulator = await StartEmulatorAsync("not-our-secret");
        emulator.AddCommunity("c1", "Community");
        emulator.UpdateCommunity("c1", new Dictionary<string, string> { ["name"] = "x" });
        await emulator.DrainWebhooksAsync();

        Assert.Equal(401, Assert.Single(emulator.WebhookDeliveries).StatusCode);
        Assert.Empty(_host.EventsOf<NafflesCommunityUpdated>());
        var rejected = Assert.Single(_host.EventsOf<WebhookRejected>());
        Assert.Equal(("invalid_signature", 401, "/webhooks/naffles/community-updated"), (rejected.Reason, rejected.StatusCode, rejected.Path));

        using var response = await PostAsync("community-updated", """{"communityId":"c1"}""", "not-our-secret");
        Assert.Equal("""{"error":"Invalid signature"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StaleTimestamp_IsRejected401()
    {
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10));
        await using var emulator = await StartEmulatorAsync(Secret, past);
        emulator.AddCommunity("c1", "Community");
        emulator.UpdateCommunity("c1", new Dictionary<string, string> { ["name"] = "x" });
        await emulator.DrainWebhooksAsync();

        Assert.Equal(401, Assert.Single(emulator.WebhookDeliveries).StatusCode);
        Assert.Empty(_host.EventsOf<NafflesCommunityUpdated>());
        Assert.Equal("stale_timestamp", Assert.Single(_host.EventsOf<WebhookRejected>()).Reason);

        using var response = await PostAsync("community-updated", """{"communityId":"c1"}""", Secret, timestamp: DateTimeOffset.UtcNow.AddSeconds(400).ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"error":"Request timestamp too old"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MissingHeaders_AreRejected401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url("task-completed")) { Content = new StringContent("""{"taskId":"t1"}""") };
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"error":"Missing signature or timestamp"}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("zz0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123")]
    public async Task SignatureOfAnotherLength_IsInvalidNotAnError(string signature)
    {
        using var response = await PostAsync("task-completed", """{"taskId":"t1"}""", Secret, signatureOverride: signature);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_host.EventsOf<NafflesTaskCompleted>());
    }

    [Fact]
    public async Task ReSerialisedBody_FailsBecauseTheSignatureCoversTheRawBytes()
    {
        var signedBody = """{"taskId":"t1"}""";
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = NafflesWebhookSigner.Sign(Secret, ts, Encoding.UTF8.GetBytes(signedBody));
        using var response = await SendAsync("task-completed", Encoding.UTF8.GetBytes("{ \"taskId\": \"t1\" }"), signature, ts, null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        // Whitespace and key order of the original bytes are fine when they are what was signed.
        using var exact = await PostAsync("task-completed", "{ \"taskId\" : \"t1\" ,\n \"userId\": \"u\" }", Secret);
        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
    }

    [Fact]
    public async Task ReplayedDelivery_IsAcknowledgedAndDropped()
    {
        await using var emulator = await StartEmulatorAsync(Secret);
        emulator.AddCommunity("c1", "Community");
        emulator.UpdateCommunity("c1", new Dictionary<string, string> { ["name"] = "x" });
        await emulator.DrainWebhooksAsync();
        var delivery = Assert.Single(emulator.WebhookDeliveries);

        using var replay = await ResendAsync(delivery);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Contains("\"duplicate\":true", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(_host.EventsOf<NafflesCommunityUpdated>());
    }

    [Fact]
    public async Task SameDeliveryId_ResignedLater_IsADuplicate_AndSameSignatureWithNewId_IsToo()
    {
        var body = """{"taskId":"t9"}""";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using (var first = await PostAsync("task-completed", body, Secret, timestamp: now, deliveryId: "d-1"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var resigned = await PostAsync("task-completed", body, Secret, timestamp: now + 5, deliveryId: "d-1"))
        {
            Assert.Contains("duplicate", await resigned.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var sameSignature = await PostAsync("task-completed", body, Secret, timestamp: now, deliveryId: "d-2"))
        {
            Assert.Contains("duplicate", await sameSignature.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var fresh = await PostAsync("task-completed", body, Secret, timestamp: now + 6, deliveryId: "d-3"))
        {
            Assert.DoesNotContain("duplicate", await fresh.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(2, _host.EventsOf<NafflesTaskCompleted>().Count);
    }

    [Fact]
    public async Task Dedupe_HoldsAcrossAHostRestart()
    {
        var body = """{"communityId":"c7"}""";
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using (var first = await PostAsync("community-updated", body, Secret, timestamp: ts, deliveryId: "restart-1"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var dataDirectory = _host.DataDirectory;
        await _host.DisposeAsync();
        _host = await StartHostAsync(dataDirectory);

        using var again = await PostAsync("community-updated", body, Secret, timestamp: ts, deliveryId: "restart-1");
        Assert.Contains("duplicate", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_host.EventsOf<NafflesCommunityUpdated>());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("""{"userId":"no task id"}""")]
    public async Task MalformedOrShapelessBody_IsRejected400(string body)
    {
        using var response = await PostAsync("task-completed", body, Secret);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.EventsOf<NafflesTaskCompleted>());
        Assert.Equal(400, Assert.Single(_host.EventsOf<WebhookRejected>()).StatusCode);
    }

    [Fact]
    public async Task BodyOverOneMebibyte_IsRejected413ByTheHost()
    {
        var padding = new string('x', 1024 * 1024);
        using var response = await PostAsync("task-completed", $$"""{"taskId":"t1","pad":"{{padding}}"}""", Secret);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_host.EventsOf<NafflesTaskCompleted>());

        using var justUnder = await PostAsync("task-completed", $$"""{"taskId":"t1","pad":"{{padding[..(1024 * 1024 - 40)]}}"}""", Secret);
        Assert.Equal(HttpStatusCode.OK, justUnder.StatusCode);
    }

    [Fact]
    public async Task RotatedSecrets_CurrentAndPreviousAccepted_OthersRejected()
    {
        using (var current = await PostAsync("task-completed", """{"taskId":"r1"}""", Secret))
        {
            Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        }

        using (var previous = await PostAsync("task-completed", """{"taskId":"r2"}""", OldSecret))
        {
            Assert.Equal(HttpStatusCode.OK, previous.StatusCode);
        }

        using (var host = await PostAsync("task-completed", """{"taskId":"r3"}""", "whsec-host"))
        {
            Assert.Equal(HttpStatusCode.OK, host.StatusCode);
        }

        using (var other = await PostAsync("task-completed", """{"taskId":"r4"}""", "whsec-someone-else"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        }

        Assert.Equal(["r1", "r2", "r3"], _host.EventsOf<NafflesTaskCompleted>().Select(e => e.TaskId).Order());
    }

    [Fact]
    public async Task UnknownUpdateType_IsAccepted202WithoutEvent()
    {
        using var response = await PostAsync("allowlist-updated", """{"allowlistId":"a1","updateType":"renamed","data":{}}""", Secret);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(_host.Events.OfType<NafflesWebhookEvent>());
    }

    [Fact]
    public async Task EntryAdded_PublishesCount()
    {
        using var response = await PostAsync("allowlist-updated", """{"allowlistId":"a2","updateType":"entry_added","data":{"newEntryCount":42}}""", Secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(42, Assert.Single(_host.EventsOf<NafflesAllowlistEntryAdded>()).NewEntryCount);
    }

    [Fact]
    public async Task NoSecretConfigured_Answers503()
    {
        await using var bare = await PluginTestHost.StartAsync();
        await bare.AddAsync(new WebhooksPlugin());
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = Encoding.UTF8.GetBytes("""{"taskId":"t1"}""");
        using var request = Request(new Uri(bare.BaseUrl, "webhooks/naffles/task-completed"), body, NafflesWebhookSigner.Sign("x", ts, body), ts, null);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task RegisterOnStart_RegistersWithNaffles_ThenNafflesDeliversThere()
    {
        await using var emulator = await NafflesEmulator.StartAsync();
        emulator.AddCommunity("c1", "Community");
        var settings = new Dictionary<string, string?>
        {
            ["Naffles:BaseUrl"] = emulator.BaseUrl.AbsoluteUri,
            ["Naffles:ApiKey"] = emulator.ApiKey,
            ["Plugins:Settings:naffles.webhooks:Secret"] = "registered-secret",
            ["Plugins:Settings:naffles.webhooks:RegisterOnStart"] = "true",
        };
        PluginTestHost? host = null;
        host = await PluginTestHost.StartAsync(settings, configure: services =>
        {
            services.AddNafflesApi(new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(settings).Build());
            services.AddPluginExport<INafflesApi>();
        });
        await using (host)
        {
            // The public URL is only known once Kestrel listens, as in a real deployment behind a fixed address.
            var plugin = new WebhooksPlugin();
            host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Plugins:Settings:naffles.webhooks:PublicUrl"] = host.BaseUrl.AbsoluteUri;
            host.Record<NafflesCommunityUpdated>();
            var loaded = await host.AddAsync(plugin);

            // The emulator logs a request when it arrives, before it stores the registration: wait until Naffles has
            // answered the registration (the plugin has it), not merely until the request arrived.
            var registrar = loaded.Services!.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<WebhookRegistrationService>().Single();
            await PluginTestHost.WaitUntilAsync(() => registrar.Registration is not null, "the registration");
            var registration = Assert.Single(emulator.RequestsTo(NafflesEmulatorRoutes.RegisterWebhook)).Json!;
            Assert.Equal(host.BaseUrl.AbsoluteUri + "webhooks/naffles", registration["url"]!.GetValue<string>());
            Assert.Equal("registered-secret", registration["secret"]!.GetValue<string>());

            emulator.UpdateCommunity("c1", new Dictionary<string, string> { ["name"] = "x" });
            await emulator.DrainWebhooksAsync();
            Assert.Equal(200, Assert.Single(emulator.WebhookDeliveries).StatusCode);
            Assert.Single(host.EventsOf<NafflesCommunityUpdated>());
        }
    }

    [Fact]
    public async Task RegistrationFailure_IsLoggedNotFatal()
    {
        await using var emulator = await NafflesEmulator.StartAsync();
        emulator.Faults.Add(NafflesEmulatorRoutes.RegisterWebhook, NafflesFault.Status(500, times: 10));
        var settings = new Dictionary<string, string?>
        {
            ["Naffles:BaseUrl"] = emulator.BaseUrl.AbsoluteUri,
            ["Naffles:ApiKey"] = emulator.ApiKey,
            ["Plugins:Settings:naffles.webhooks:Secret"] = Secret,
            ["Plugins:Settings:naffles.webhooks:RegisterOnStart"] = "true",
            ["Plugins:Settings:naffles.webhooks:PublicUrl"] = "https://bot.example.test",
        };
        await using var host = await PluginTestHost.StartAsync(settings, configure: services =>
        {
            services.AddNafflesApi(new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(settings).Build());
            services.AddPluginExport<INafflesApi>();
        });
        var loaded = await host.AddAsync(new WebhooksPlugin());
        await PluginTestHost.WaitUntilAsync(() => emulator.RequestsTo(NafflesEmulatorRoutes.RegisterWebhook).Count >= 1, "the registration attempt");
        Assert.Equal(NafflesBotKit.Runtime.Plugins.PluginState.Active, loaded.State);
        using var response = await _http.SendAsync(Request(new Uri(host.BaseUrl, "webhooks/naffles/task-completed"), Array.Empty<byte>(), "x", 1, null));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<PluginTestHost> StartHostAsync(string? dataDirectory = null)
    {
        var host = await PluginTestHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Plugins:Settings:naffles.webhooks:Secret"] = Secret,
                ["Plugins:Settings:naffles.webhooks:Secrets:0"] = OldSecret,
                ["Plugins:Settings:naffles.webhooks:HostSecret"] = "whsec-host",
            },
            dataDirectory: dataDirectory);
        host.Record<NafflesTaskCompleted>();
        host.Record<NafflesAllowlistEntryAdded>();
        host.Record<NafflesAllowlistStatusChanged>();
        host.Record<NafflesAllowlistWinnersSelected>();
        host.Record<NafflesCommunityUpdated>();
        host.Record<WebhookRejected>();
        await host.AddAsync(new WebhooksPlugin());
        return host;
    }

    private Task<NafflesEmulator> StartEmulatorAsync(string secret, TimeProvider? time = null) =>
        NafflesEmulator.StartAsync(new NafflesEmulatorOptions
        {
            WebhookUrl = new Uri(_host.BaseUrl, "webhooks/naffles"),
            WebhookSecret = secret,
            TimeProvider = time ?? TimeProvider.System,
        });

    private async Task ReadTaggedAsync(string key, string tag, Action onFactory) =>
        await _host.Cache.GetOrCreateAsync(key, StringInfo, _ =>
        {
            onFactory();
            return ValueTask.FromResult("value");
        }, CacheEntryKind.Allowlists, [tag]);

    private Uri Url(string eventName) => new(_host.BaseUrl, "webhooks/naffles/" + eventName);

    private Task<HttpResponseMessage> PostAsync(string eventName, string body, string secret, long? timestamp = null, string? deliveryId = null, string? signatureOverride = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var ts = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return SendAsync(eventName, bytes, signatureOverride ?? NafflesWebhookSigner.Sign(secret, ts, bytes), ts, deliveryId);
    }

    private async Task<HttpResponseMessage> SendAsync(string eventName, byte[] body, string signature, long timestamp, string? deliveryId)
    {
        using var request = Request(Url(eventName), body, signature, timestamp, deliveryId);
        return await _http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> ResendAsync(NafflesWebhookDelivery delivery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(delivery.Body)) };
        foreach (var (name, value) in delivery.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await _http.SendAsync(request);
    }

    private static HttpRequestMessage Request(Uri url, byte[] body, string signature, long timestamp, string? deliveryId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(NafflesWebhookHeaders.Signature, signature);
        request.Headers.TryAddWithoutValidation(NafflesWebhookHeaders.Timestamp, timestamp.ToString(CultureInfo.InvariantCulture));
        if (deliveryId is not null)
        {
            request.Headers.TryAddWithoutValidation(NafflesWebhookHeaders.DeliveryId, deliveryId);
        }

        return request;
    }
}
