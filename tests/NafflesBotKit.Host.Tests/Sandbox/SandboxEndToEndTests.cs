using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using NafflesBotKit.Host.Tests.EndToEnd;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Host.Tests.Sandbox;

/// <summary>The real host process without credentials (sandbox) and with them (never sandbox).</summary>
public sealed class SandboxEndToEndTests
{
    [Fact]
    public async Task NoCredentials_Auto_RunsTheBotAgainstEmulators_WithBannerPlaygroundAndWebhooks()
    {
        var data = Directory.CreateTempSubdirectory("nbk-sandbox-e2e-").FullName;
        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["Sandbox__Mode"] = "Auto",
            ["Storage__Path"] = Path.Combine(data, "store.db"),
        });
        var address = await host.WaitUntilListeningAsync();
        using var http = new HttpClient { BaseAddress = address };
        var state = await WaitUntilReadyAsync(http, host);

        // The banner names the mode and where the playground is, at warning level.
        Assert.Single(host.Output.Split('\n'), l => l.Contains(" WRN] NafflesBotKit.Host.Sandbox.SandboxSeeder", StringComparison.Ordinal));
        Assert.Contains("SANDBOX MODE: no Discord or Naffles credentials are configured (Sandbox:Mode is Auto)", host.Output, StringComparison.Ordinal);
        Assert.Contains($"Playground: {new Uri(address, "/playground/")}", host.Output, StringComparison.Ordinal);
        Assert.Null(state["problem"]);

        // Every first-party plugin runs, the ones needing Discord and Naffles included.
        using (var status = await http.GetFromJsonAsync<JsonDocument>("/"))
        {
            var plugins = status!.RootElement.GetProperty("plugins").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!, p => p.GetProperty("state").GetString());
            foreach (var id in new[] { "naffles.diagnostics", "naffles.communities", "naffles.social-tasks", "naffles.allowlists", "naffles.webhooks", "naffles.health-monitor" })
            {
                Assert.True(plugins.TryGetValue(id, out var pluginState) && pluginState == "Active", $"{id}: {pluginState}\n{host.Output}");
            }
        }

        // The page and its assets are served.
        var page = await http.GetStringAsync("/playground/");
        Assert.Contains("<script src=\"playground.js\"></script>", page, StringComparison.Ordinal);
        Assert.Contains("function renderEmbed", await http.GetStringAsync("/playground/playground.js"), StringComparison.Ordinal);

        // The demo channel holds the allowlist the sandbox posted through the real command.
        var post = (await MessagesAsync(http, "member")).Single(m => Title(m) == "🎫 VIP Mint Allowlist");
        Assert.Equal("0/50", Field(post, "👥 Entries"));

        // A command as the member: the ephemeral reply is the member's only.
        using (var ping = await http.PostAsJsonAsync("/playground/api/command", new { @as = "member", command = "naffles-ping" }))
        {
            Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        }

        var pong = (await MessagesAsync(http, "member")).Single(m => ((string?)m["content"])?.StartsWith("🏓 Pong", StringComparison.Ordinal) == true);
        Assert.True((bool)pong["ephemeral"]!);
        Assert.Equal("Mia (member)", (string?)pong["interaction"]!["user"]);
        Assert.DoesNotContain(await MessagesAsync(http, "admin"), m => ((string?)m["content"])?.StartsWith("🏓 Pong", StringComparison.Ordinal) == true);

        // The playground's admin is a bot operator: the operator-only command answers with the plugin list.
        using (var list = await http.PostAsJsonAsync("/playground/api/command", new { @as = "admin", command = "naffles-admin plugins list" }))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        }

        await WaitForAsync(async () => (await MessagesAsync(http, "admin")).Any(m => Title(m)?.Contains("Plugins", StringComparison.Ordinal) == true && ((string?)m["embeds"]![0]!["description"])?.Contains("naffles.social-tasks", StringComparison.Ordinal) == true), "the operator's plugin list", host);

        // A simulated Naffles entry arrives as a signed webhook and the post is updated.
        using (var entry = await http.PostAsJsonAsync("/playground/api/simulate", new { @event = "allowlist-entry", allowlistId = "al-vip" }))
        {
            Assert.Equal(HttpStatusCode.OK, entry.StatusCode);
        }

        var delivered = (await StateAsync(http))["webhooks"]!.AsArray().Single()!;
        Assert.Equal("allowlist-updated", (string?)delivered["event"]);
        Assert.Equal(200, (int?)delivered["status"]);
        await WaitForAsync(async () => Field((await MessagesAsync(http, "member")).Single(m => Title(m) == "🎫 VIP Mint Allowlist"), "👥 Entries") == "1/50", "the post to show 1/50 entries", host);

        Assert.Equal(0, await host.StopAsync());
        Assert.Contains("Plugin naffles.allowlists unloaded", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NafflesCredentials_Auto_NeverSandbox()
    {
        await using var naffles = await NafflesEmulator.StartAsync();
        var data = Directory.CreateTempSubdirectory("nbk-sandbox-e2e-").FullName;
        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["Sandbox__Mode"] = "Auto",
            ["NAFFLES_API_BASE_URL"] = naffles.BaseUrl.AbsoluteUri,
            ["NAFFLES_API_KEY"] = naffles.ApiKey,
            ["Storage__Path"] = Path.Combine(data, "store.db"),
        });
        var address = await host.WaitUntilListeningAsync();
        using var http = new HttpClient { BaseAddress = address };

        using var playground = await http.GetAsync("/playground/api/state");

        Assert.Equal(HttpStatusCode.NotFound, playground.StatusCode);
        await host.StopAsync();
        Assert.DoesNotContain("SANDBOX MODE", host.Output, StringComparison.Ordinal);
        Assert.Contains("no Discord credentials configured; running on embedded defaults", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SandboxOn_WithCredentials_RefusesToStart()
    {
        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["Sandbox__Mode"] = "On",
            ["DISCORD_BOT_TOKEN"] = "real-looking-token-for-sandbox-test",
            ["DISCORD_CLIENT_ID"] = "123456789012345678",
        });

        var exitCode = await host.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains("Invalid configuration: Sandbox:Mode is On but Discord:BotToken (DISCORD_BOT_TOKEN) is configured", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("real-looking-token-for-sandbox-test", host.Output, StringComparison.Ordinal);
    }

    private static async Task<JsonNode> WaitUntilReadyAsync(HttpClient http, NafflesBotKit.Testing.Hosting.BotHostProcess host)
    {
        JsonNode? state = null;
        await WaitForAsync(async () => (bool?)(state = await StateAsync(http))["ready"] == true, "the sandbox to be ready", host);
        return state!;
    }

    private static async Task<JsonNode> StateAsync(HttpClient http) =>
        JsonNode.Parse(await http.GetStringAsync("/playground/api/state"))!;

    private static async Task<List<JsonNode>> MessagesAsync(HttpClient http, string role) =>
        [.. JsonNode.Parse(await http.GetStringAsync("/playground/api/messages?as=" + role))!["messages"]!.AsArray().Select(m => m!)];

    private static string? Title(JsonNode message) => (string?)message["embeds"]!.AsArray().FirstOrDefault()?["title"];

    private static string? Field(JsonNode message, string name) =>
        (string?)message["embeds"]![0]!["fields"]!.AsArray().FirstOrDefault(f => (string?)f!["name"] == name)?["value"];

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, NafflesBotKit.Testing.Hosting.BotHostProcess host)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Timed out waiting for {what}. Host output:\n{host.Output}");
    }
}
