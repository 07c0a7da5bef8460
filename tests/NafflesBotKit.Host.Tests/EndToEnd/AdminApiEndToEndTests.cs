using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;

namespace NafflesBotKit.Host.Tests.EndToEnd;

public sealed class AdminApiEndToEndTests
{
    private const string AdminToken = "admin-token-for-e2e-7f3a9c";

    private static readonly string VersionsDir = typeof(AdminApiEndToEndTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestPluginVersionsDir").Value!;

    [Fact]
    public async Task AdminApi_ReloadAndRollbackAndGuildSwitch_WhileHostRuns()
    {
        var root = Directory.CreateTempSubdirectory("nbk-host-plugins-").FullName;
        CopyVersion(root, "v1", "1.0.0");
        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["Plugins__Path"] = root,
            ["Plugins__WatchForNewVersions"] = "false",
            ["Admin__Token"] = AdminToken,
            ["Storage__Path"] = Path.Combine(root, "store.db"),
        });
        var address = await host.WaitUntilListeningAsync();
        using var anonymous = new HttpClient { BaseAddress = address };
        using var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);

        using (var denied = await anonymous.GetAsync("/admin/plugins"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        }

        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/admin/plugins") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", AdminToken + "x") } })
        using (var wrongResponse = await anonymous.SendAsync(wrong))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        }

        Assert.Equal("1.0.0", await VersionAsync(http));
        CopyVersion(root, "v2", "2.0.0");

        using (var reload = await http.PostAsync("/admin/plugins/test.swappy/reload", null))
        {
            var body = await reload.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
            Assert.Contains("1.0.0 -> 2.0.0", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal("2.0.0", await VersionAsync(http));
        using (var rollback = await http.PostAsync("/admin/plugins/test.swappy/rollback", null))
        {
            Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        }

        Assert.Equal("1.0.0", await VersionAsync(http));
        using (var noPrevious = await http.PostAsync("/admin/plugins/naffles.nothing/rollback", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, noPrevious.StatusCode);
        }

        using (var off = await http.PostAsync("/admin/guilds/123456789012345678/plugins/test.swappy/disable", null))
        {
            Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        }

        Assert.Equal(["test.swappy"], await http.GetFromJsonAsync<string[]>("/admin/guilds/123456789012345678/plugins") ?? []);

        using (var disable = await http.PostAsync("/admin/plugins/test.swappy/disable", null))
        {
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        }

        Assert.Equal("Disabled", await StateAsync(http));
        using (var enable = await http.PostAsync("/admin/plugins/test.swappy/enable", null))
        {
            Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        }

        Assert.Equal("Active", await StateAsync(http));
        await host.StopAsync();
        Assert.DoesNotContain(AdminToken, host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disable_SurvivesARestart_UntilEnabledAgain()
    {
        var root = Directory.CreateTempSubdirectory("nbk-host-plugins-").FullName;
        CopyVersion(root, "v1", "1.0.0");
        var environment = new Dictionary<string, string>
        {
            ["Plugins__Path"] = root,
            ["Plugins__WatchForNewVersions"] = "false",
            ["Admin__Token"] = AdminToken,
            ["Storage__Path"] = Path.Combine(root, "store.db"),
        };

        async Task<string?> RestartAndReadStateAsync(Func<HttpClient, Task>? before = null)
        {
            await using var host = HostProcess.Start(environment);
            using var http = new HttpClient { BaseAddress = await host.WaitUntilListeningAsync() };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
            var state = await StateAsync(http);
            if (before is not null)
            {
                await before(http);
            }

            await host.StopAsync();
            return state;
        }

        Assert.Equal("Active", await RestartAndReadStateAsync(async http =>
        {
            using var disable = await http.PostAsync("/admin/plugins/test.swappy/disable", null);
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        }));
        Assert.Equal("Disabled", await RestartAndReadStateAsync(async http =>
        {
            using var enable = await http.PostAsync("/admin/plugins/test.swappy/enable", null);
            Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        }));
        Assert.Equal("Active", await RestartAndReadStateAsync());
    }

    private static async Task<string?> VersionAsync(HttpClient http) =>
        (await PluginAsync(http)).GetProperty("version").GetString();

    private static async Task<string?> StateAsync(HttpClient http) =>
        (await PluginAsync(http)).GetProperty("state").GetString();

    private static async Task<JsonElement> PluginAsync(HttpClient http)
    {
        var plugins = await http.GetFromJsonAsync<JsonElement>("/admin/plugins");
        return plugins.EnumerateArray().Single(p => p.GetProperty("id").GetString() == "test.swappy");
    }

    private static void CopyVersion(string root, string variant, string version)
    {
        var source = Path.Combine(VersionsDir, "swappy-" + variant, "NafflesBotKit.TestPlugins.Swappy");
        var target = Path.Combine(root, "NafflesBotKit.TestPlugins.Swappy", version);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}
