using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NafflesBotKit.Naffles.Internal;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Naffles.Tests;

public sealed class RequestLogTests
{
    private const string ApiKey = "sk_live_ABCDEF0123456789";
    private const string WebhookSecret = "whsec_TOPSECRET_42";
    private const string Password = "hunter2-PASSWORD";
    private const string Token = "tok_SECRET_TOKEN_99";

    [Theory]
    [InlineData("Authorization")]
    [InlineData("x-api-key")]
    public async Task Exports_NeverContainSecrets(string keyHeader)
    {
        await using var emulator = await NafflesEmulator.StartAsync(new NafflesEmulatorOptions { ApiKey = ApiKey });
        emulator.AddCommunity("c1", "Alpha");
        await using var host = ClientHost.Create(emulator, new() { ["Naffles:ApiKeyHeader"] = keyHeader });

        await host.Api.Webhooks.RegisterWebhookAsync(new Uri("https://bot.example/hooks"), ["task-completed"], WebhookSecret);
        await host.Api.SocialTasks.CreateSocialTaskAsync("c1", new CreateSocialTaskRequest
        {
            Title = "Quiz",
            Type = "quiz",
            Configuration = new Dictionary<string, string> { ["password"] = Password, ["Access_Token"] = Token, ["APIKEY"] = ApiKey, ["question"] = "two plus two" },
        });
        await Assert.ThrowsAsync<NafflesApiException>(() => host.Api.Communities.GetCommunityAsync("missing"));

        var log = host.Services.GetRequiredService<INafflesRequestLog>();
        var json = log.ExportJson();
        var csv = log.ExportCsv();

        Assert.Equal(3, log.GetEntries().Count);
        foreach (var export in new[] { json, csv })
        {
            Assert.DoesNotContain(ApiKey, export, StringComparison.Ordinal);
            Assert.DoesNotContain(WebhookSecret, export, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, export, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, export, StringComparison.Ordinal);
            Assert.Contains("[REDACTED]", export, StringComparison.Ordinal);
            Assert.Contains("two plus two", export, StringComparison.Ordinal); // non-secret data is kept
        }

        // The secrets really were on the wire: the redaction, not the client, removed them.
        Assert.Contains(emulator.Requests, r => r.Body.Contains(WebhookSecret, StringComparison.Ordinal));
        Assert.Contains(emulator.Requests, r => r.Headers.Values.Any(v => v.Contains(ApiKey, StringComparison.Ordinal)));
        var entry = log.GetEntries()[0];
        Assert.Equal("[REDACTED]", entry.RequestHeaders[keyHeader]);
        Assert.Equal("NafflesBotKit/1.0", entry.RequestHeaders["User-Agent"]);
        using var parsed = JsonDocument.Parse(json);
        Assert.Equal(3, parsed.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task AccountLookup_EmailAddress_NeverInTheLog()
    {
        await using var emulator = await NafflesEmulator.StartAsync(new NafflesEmulatorOptions { ApiKey = ApiKey });
        emulator.AddUser("u-mail", "mailer", email: "mailer@example.com");
        await using var host = ClientHost.Create(emulator, []);

        Assert.Equal("u-mail", (await host.Api.Users.FindUserByEmailAsync("mailer@example.com"))!.Id);

        var log = host.Services.GetRequiredService<INafflesRequestLog>();
        var entry = Assert.Single(log.GetEntries());
        Assert.Contains("[REDACTED]", entry.RequestBody, StringComparison.Ordinal);
        Assert.DoesNotContain("mailer@example.com", log.ExportJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("mailer@example.com", log.ExportCsv(), StringComparison.Ordinal);
        Assert.Contains(emulator.Requests, r => r.Body.Contains("mailer@example.com", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://x/api?token=abc123&page=2", "https://x/api?token=[REDACTED]&page=2")]
    [InlineData("https://x/api?page=2&api_key=abc123", "https://x/api?page=2&api_key=[REDACTED]")]
    [InlineData("https://x/api?Secret=abc123", "https://x/api?Secret=[REDACTED]")]
    [InlineData("https://x/api?sort=token", "https://x/api?sort=token")]
    public void Url_SecretQueryValues_AreRedacted(string url, string expected)
    {
        Assert.Equal(expected, Redactor.Url(new Uri(url), apiKey: null));
    }

    [Fact]
    public void Body_NestedAndCaseInsensitiveKeys_AreRedacted_AtAnyDepth()
    {
        var body = """{"user":{"Password":"p1","profile":{"apiKey":"k1","SECRETS":["a","b"]}},"items":[{"refresh_token":"r1","name":"keep"}],"x-api-key":"k2"}""";

        var redacted = Redactor.Body(body, apiKey: null)!;

        foreach (var secret in new[] { "p1", "k1", "\"a\"", "r1", "k2" })
        {
            Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        }

        Assert.Contains("keep", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_NotJson_FormAndJsonLikePairsAreRedacted_AndLiteralKeyRemoved()
    {
        var redacted = Redactor.Body("password=pw1&user=bob \"token\": \"t1\" also sk_live_ABCDEF0123456789", ApiKey)!;

        Assert.DoesNotContain("pw1", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("t1", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, redacted, StringComparison.Ordinal);
        Assert.Contains("user=bob", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_RoundTripsCommasQuotesAndNewlines()
    {
        var log = CreateLog(capacity: 10);
        var tricky = "a,b \"quoted\"\r\nnext line\nand\rcr";
        log.Add(new NafflesRequestLogEntry
        {
            Timestamp = DateTimeOffset.UnixEpoch,
            Method = "POST",
            Url = "https://x/api?a=1,2",
            Status = 422,
            Error = tricky,
            RequestBody = "{\"title\":\"x, \\\"y\\\"\"}",
            RequestHeaders = new Dictionary<string, string> { ["A"] = "1", ["B"] = "2,3" },
        });
        log.Add(new NafflesRequestLogEntry { Timestamp = DateTimeOffset.UnixEpoch, Method = "GET", Url = "plain" });

        var rows = ParseCsv(log.ExportCsv());

        Assert.Equal(3, rows.Count);
        Assert.Equal("sequence", rows[0][0]);
        var header = rows[0];
        var first = rows[1];
        Assert.Equal(header.Count, first.Count);
        Assert.Equal(tricky, first[header.IndexOf("error")]);
        Assert.Equal("https://x/api?a=1,2", first[header.IndexOf("url")]);
        Assert.Equal("{\"title\":\"x, \\\"y\\\"\"}", first[header.IndexOf("requestBody")]);
        Assert.Equal("A: 1\nB: 2,3", first[header.IndexOf("requestHeaders")]);
        Assert.Equal("422", first[header.IndexOf("status")]);
        Assert.Equal("plain", rows[2][header.IndexOf("url")]);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData("cr\rhere", "\"cr\rhere\"")]
    public void CsvField_QuotesPerRfc4180(string field, string expected)
    {
        Assert.Equal(expected, NafflesRequestLog.CsvField(field));
    }

    [Fact]
    public void RingBuffer_KeepsTheNewestCapacityEntries()
    {
        var log = CreateLog(capacity: 3);
        for (var i = 1; i <= 5; i++)
        {
            log.Add(new NafflesRequestLogEntry { Method = "GET", Url = $"u{i}" });
        }

        Assert.Equal(["u3", "u4", "u5"], log.GetEntries().Select(e => e.Url));
        Assert.Equal([3L, 4L, 5L], log.GetEntries().Select(e => e.Sequence));
        log.Clear();
        Assert.Empty(log.GetEntries());
    }

    [Fact]
    public void DefaultCapacity_IsTheSeedsThousand()
    {
        Assert.Equal(1000, new NafflesApiOptions().DebugLog.Capacity);
        var log = CreateLog(capacity: 1000);
        for (var i = 0; i < 1001; i++)
        {
            log.Add(new NafflesRequestLogEntry { Method = "GET", Url = $"u{i}" });
        }

        Assert.Equal(1000, log.GetEntries().Count);
        Assert.Equal("u1", log.GetEntries()[0].Url);
    }

    [Fact]
    public void Filters_ByMethodStatusErrorAndSince()
    {
        var log = CreateLog(capacity: 10);
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        log.Add(new NafflesRequestLogEntry { Timestamp = t0, Method = "GET", Url = "1", Status = 200 });
        log.Add(new NafflesRequestLogEntry { Timestamp = t0.AddMinutes(1), Method = "POST", Url = "2", Status = 422, Error = "HTTP 422" });
        log.Add(new NafflesRequestLogEntry { Timestamp = t0.AddMinutes(2), Method = "GET", Url = "3", Error = "HttpRequestException" });

        Assert.Equal(["1", "3"], log.GetEntries(new NafflesRequestLogFilter { Method = "get" }).Select(e => e.Url));
        Assert.Equal(["2"], log.GetEntries(new NafflesRequestLogFilter { Status = 422 }).Select(e => e.Url));
        Assert.Equal(["2", "3"], log.GetEntries(new NafflesRequestLogFilter { HasError = true }).Select(e => e.Url));
        Assert.Equal(["1"], log.GetEntries(new NafflesRequestLogFilter { HasError = false }).Select(e => e.Url));
        Assert.Equal(["2", "3"], log.GetEntries(new NafflesRequestLogFilter { Since = t0.AddMinutes(1) }).Select(e => e.Url));
        Assert.Single(ParseCsv(log.ExportCsv(new NafflesRequestLogFilter { Status = 200 })).Skip(1));
    }

    [Fact]
    public void LongBodies_AreTruncated()
    {
        var text = Redactor.Truncate(new string('x', 5000), 4096)!;

        Assert.StartsWith(new string('x', 4096) + "…[truncated 904 chars]", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "Development", true)]
    [InlineData(null, "Production", false)]
    [InlineData(true, "Production", true)]
    [InlineData(false, "Development", false)]
    public void Enabled_ByDefaultOnlyInDevelopment(bool? configured, string environment, bool expected)
    {
        var options = new NafflesApiOptions { DebugLog = { Enabled = configured } };
        var log = new NafflesRequestLog(new StaticOptionsMonitor(options), new TestEnvironment(environment));

        Assert.Equal(expected, log.IsEnabled);
    }

    [Fact]
    public async Task Disabled_RecordsNothing()
    {
        await using var emulator = await NafflesEmulator.StartAsync();
        emulator.AddCommunity("c1", "Alpha");
        await using var host = ClientHost.Create(emulator, new() { ["Naffles:DebugLog:Enabled"] = "false" });

        await host.Api.Communities.GetCommunityAsync("c1");

        Assert.Empty(host.Log.GetEntries());
    }

    internal static List<List<string>> ParseCsv(string csv) => NafflesBotKit.Testing.Text.Rfc4180.Parse(csv, strict: true);

    private static NafflesRequestLog CreateLog(int capacity) =>
        new(new StaticOptionsMonitor(new NafflesApiOptions { DebugLog = { Capacity = capacity, Enabled = true } }));

    private sealed class StaticOptionsMonitor(NafflesApiOptions value) : IOptionsMonitor<NafflesApiOptions>
    {
        public NafflesApiOptions CurrentValue => value;

        public NafflesApiOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<NafflesApiOptions, string?> listener) => null;
    }

    private sealed class TestEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "tests";

        public string ContentRootPath { get; set; } = "";

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
