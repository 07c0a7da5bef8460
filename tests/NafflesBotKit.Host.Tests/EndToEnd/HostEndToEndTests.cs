using System.Net.Http.Json;
using System.Text.Json;

namespace NafflesBotKit.Host.Tests.EndToEnd;

public sealed class HostEndToEndTests
{
    private const string ValidClientId = "123456789012345678";

    [Fact]
    public async Task Status_FromBuildOutput_ListsDiagnosticsPluginActive_AndSigtermUnloadsIt()
    {
        await using var host = HostProcess.Start();
        var address = await host.WaitUntilListeningAsync();

        using var http = new HttpClient { BaseAddress = address };
        using var status = await http.GetFromJsonAsync<JsonDocument>("/");
        var root = status!.RootElement;
        Assert.Equal("NafflesBotKit", root.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
        var plugin = Assert.Single(root.GetProperty("plugins").EnumerateArray(), p => p.GetProperty("id").GetString() == "naffles.diagnostics");
        Assert.Equal("1.0.0", plugin.GetProperty("version").GetString());
        Assert.Equal("Active", plugin.GetProperty("state").GetString());

        var exitCode = await host.StopAsync();

        Assert.Equal(0, exitCode);
        Assert.Contains("Plugin naffles.diagnostics unloaded", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PluginEndpoint_ServedByRunningHost_RawBodyReachesPlugin_LimitsAndMethodsEnforced()
    {
        await using var host = HostProcess.Start();
        var address = await host.WaitUntilListeningAsync();
        using var http = new HttpClient { BaseAddress = address };
        var body = "{\"a\": 1,  \"b\":\"ünïcödé\"}\n"u8.ToArray();

        using var echo = await http.PostAsync("/diagnostics/echo", new ByteArrayContent(body));
        using var tooBig = await http.PostAsync("/diagnostics/echo", new ByteArrayContent(new byte[4097]));
        using var wrongMethod = await http.GetAsync("/diagnostics/echo");
        using var unknown = await http.PostAsync("/diagnostics/nothing-here", new ByteArrayContent(body));

        Assert.Equal(System.Net.HttpStatusCode.OK, echo.StatusCode);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));
        Assert.Equal($"naffles.diagnostics 1.0.0 received {body.Length} bytes sha256={expected}", await echo.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_WithoutDiscordCredentials_RunsAndWarnsOnce()
    {
        await using var host = HostProcess.Start();
        await host.WaitUntilListeningAsync();
        await host.StopAsync();

        var warnings = host.Output.Split('\n').Count(l => l.Contains("no Discord credentials configured; running on embedded defaults", StringComparison.Ordinal));
        Assert.Equal(1, warnings);
    }

    [Fact]
    public async Task Start_SeedClientIdNotASnowflake_FailsWithClearError()
    {
        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["DISCORD_BOT_TOKEN"] = "seed-token-for-validation-test",
            ["DISCORD_CLIENT_ID"] = "my-bot",
        });

        var exitCode = await host.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains("Discord:ClientId (DISCORD_CLIENT_ID) must be the application id, a Discord snowflake (digits only), got 'my-bot'", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("seed-token-for-validation-test", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SeedNamesAndStructuredKeys_StructuredKeyWins()
    {
        // The bad seed value is overridden by the structured key, so the host starts.
        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["DISCORD_BOT_TOKEN"] = "seed-token-for-precedence-test",
            ["DISCORD_CLIENT_ID"] = "not-a-snowflake",
            ["Discord__ClientId"] = ValidClientId,
        });

        await host.WaitUntilListeningAsync();
        await host.StopAsync();

        Assert.Contains($"Discord application {ValidClientId} configured", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_SecretsFromSeedVariablesAndStructuredKeys_NeverAppear()
    {
        string[] secrets =
        [
            "MTE5OTk5.discord-bot-token-e2e",
            "discord-client-secret-e2e",
            "naffles-api-key-e2e",
            "webhook-secret-e2e",
            "admin-token-e2e",
        ];
        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["DISCORD_BOT_TOKEN"] = secrets[0],
            ["DISCORD_CLIENT_ID"] = ValidClientId,
            ["DISCORD_CLIENT_SECRET"] = secrets[1],
            ["NAFFLES_API_KEY"] = secrets[2],
            ["Webhooks__Secret"] = secrets[3],
            ["Admin__Token"] = secrets[4],
        });
        var address = await host.WaitUntilListeningAsync();
        using (var http = new HttpClient { BaseAddress = address })
        {
            using var _ = await http.GetAsync(new Uri("/?token=" + secrets[0], UriKind.Relative));
        }

        await host.StopAsync();

        var output = host.Output;
        Assert.Contains("\"BotToken\": \"***\"", output, StringComparison.Ordinal); // the options were logged, masked
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        }
    }
}
