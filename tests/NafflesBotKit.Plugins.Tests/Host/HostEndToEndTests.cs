using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using NafflesBotKit.Naffles;
using NafflesBotKit.Plugins.Tests.Support;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Plugins.Tests.Host;

/// <summary>
/// The real host process, as built (with Diagnostics, Webhooks and HealthMonitor in its plugins/ folder): health,
/// metrics, the admin request-log export and the seed's WEBHOOK_SECRET reaching the Webhooks plugin.
/// </summary>
public sealed class HostEndToEndTests
{
    private const string WebhookSecret = "seed-webhook-secret";
    private const string AdminToken = "admin-token-0123456789";

    [Fact]
    public async Task Host_ServesHealthMetricsWebhooksAndTheAdminExport()
    {
        await using var emulator = await NafflesEmulator.StartAsync();
        var data = TestTemp.CreateDirectory("host-e2e-");
        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["Storage__Path"] = Path.Combine(data, "store.db"),
            ["WEBHOOK_SECRET"] = WebhookSecret,
            ["Admin__Token"] = AdminToken,
            ["NAFFLES_API_BASE_URL"] = emulator.BaseUrl.AbsoluteUri,
            ["NAFFLES_API_KEY"] = emulator.ApiKey,
            ["Naffles__DebugLog__Enabled"] = "true",
            ["Plugins__Settings__naffles.health-monitor__DiscordProbeUrl"] = new Uri(emulator.BaseUrl, "health").AbsoluteUri,

            // The plugins this test is about; the feature plugins need a Discord connection and are covered elsewhere.
            ["Plugins__Enabled__0"] = "naffles.webhooks",
            ["Plugins__Enabled__1"] = "naffles.health-monitor",
            ["Plugins__Enabled__2"] = "naffles.diagnostics",
        });
        var baseUrl = await host.WaitUntilListeningAsync();
        using var http = new HttpClient { BaseAddress = baseUrl };

        using (var live = await http.GetAsync("/health/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal("Healthy", JsonDocument.Parse(await live.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        }

        using (var ready = await http.GetAsync("/health/ready"))
        {
            var body = await ready.Content.ReadAsStringAsync();
            Assert.True(ready.StatusCode == HttpStatusCode.OK, body + host.Output);
            var checks = JsonDocument.Parse(body).RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c);
            Assert.Equal("Healthy", checks["store"].GetProperty("status").GetString());
            Assert.Equal("Healthy", checks["plugins"].GetProperty("status").GetString());
            Assert.Contains("3 plugin(s) active", checks["plugins"].GetProperty("description").GetString(), StringComparison.Ordinal);
        }

        // The seed's WEBHOOK_SECRET reaches the plugin (Webhooks:Secret → its HostSecret).
        using (var accepted = await PostWebhookAsync(http, """{"taskId":"t1","userId":"u1"}""", WebhookSecret))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using (var rejected = await PostWebhookAsync(http, """{"taskId":"t1"}""", "wrong"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        }

        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("nafflesbotkit_webhook_deliveries", metrics, StringComparison.Ordinal);
        Assert.Contains("result=\"accepted\"", metrics, StringComparison.Ordinal);
        Assert.Contains("result=\"rejected\"", metrics, StringComparison.Ordinal);

        // The health monitor probes Naffles at start, so the request log has an entry for owners to export.
        await PluginTestHost.WaitUntilAsync(() => emulator.RequestsTo(NafflesEmulatorRoutes.Health).Count > 0, "the Naffles health probe");

        // The emulator logs a request when it arrives; the host logs it once the answer is read. Wait for the latter.
        for (var attempt = 0; ; attempt++)
        {
            using var poll = await GetAdminAsync(http, "json", AdminToken);
            if ((await poll.Content.ReadAsStringAsync()).Contains("/health", StringComparison.Ordinal))
            {
                break;
            }

            Assert.True(attempt < 200, "the host's Naffles request log never showed the health probe");
            await Task.Delay(50);
        }

        using (var anonymous = await http.GetAsync("/admin/naffles/requests"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var wrong = await GetAdminAsync(http, "json", "not-the-token"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var json = await GetAdminAsync(http, "json", AdminToken))
        {
            Assert.Equal(HttpStatusCode.OK, json.StatusCode);
            var entries = JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(JsonValueKind.Array, entries.ValueKind);
            Assert.Contains(entries.EnumerateArray(), e => e.GetRawText().Contains("/health", StringComparison.Ordinal));
            Assert.DoesNotContain(emulator.ApiKey, entries.GetRawText(), StringComparison.Ordinal);
        }

        using (var csv = await GetAdminAsync(http, "csv", AdminToken))
        {
            Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
            var text = await csv.Content.ReadAsStringAsync();
            Assert.Contains("/health", text, StringComparison.Ordinal);
            Assert.True(text.Split("\r\n").Length >= 2);
        }

        using (var bad = await GetAdminAsync(http, "xml", AdminToken))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }
    }

    [Fact]
    public async Task AdminEndpoint_IsDisabledWithALogLine_WhenNoTokenIsConfigured()
    {
        var data = TestTemp.CreateDirectory("host-e2e-");
        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["Storage__Path"] = Path.Combine(data, "store.db"),
            ["Plugins__Settings__naffles.health-monitor__DiscordProbeUrl"] = "http://127.0.0.1:9/",
        });
        var baseUrl = await host.WaitUntilListeningAsync();
        using var http = new HttpClient { BaseAddress = baseUrl };
        using var response = await GetAdminAsync(http, "json", "anything");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Admin endpoint /admin/naffles/requests disabled", host.Output, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> GetAdminAsync(HttpClient http, string format, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/naffles/requests?format=" + format);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> PostWebhookAsync(HttpClient http, string body, string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/naffles/task-completed") { Content = new ByteArrayContent(bytes) };
        request.Headers.TryAddWithoutValidation(NafflesWebhookHeaders.Signature, NafflesWebhookSigner.Sign(secret, ts, bytes));
        request.Headers.TryAddWithoutValidation(NafflesWebhookHeaders.Timestamp, ts.ToString(CultureInfo.InvariantCulture));
        return await http.SendAsync(request);
    }
}
