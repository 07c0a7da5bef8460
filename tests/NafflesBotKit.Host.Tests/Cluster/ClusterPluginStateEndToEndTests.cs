using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using NafflesBotKit.Host.Tests.EndToEnd;
using NafflesBotKit.Testing.Hosting;
using NafflesBotKit.Testing.Redis;
using Xunit.Abstractions;

namespace NafflesBotKit.Host.Tests.Cluster;

/// <summary>
/// Plugin commands reach the processes that are listening over pub/sub; one that was down when a command was given
/// catches up from the state the commands left in Redis when it starts again (F10: delivery that survives a restart).
/// </summary>
public sealed class ClusterPluginStateEndToEndTests(ITestOutputHelper output)
{
    private const string AdminToken = "cluster-plugin-state-token-42";
    private const string Plugin = "test.swappy";

    private static readonly string VersionsDir = typeof(ClusterPluginStateEndToEndTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestPluginVersionsDir").Value!;

    [Fact]
    public async Task ProcessDownDuringCommands_CatchesUpWhenItStarts_VersionAndOnOff()
    {
        await using var redis = await RedisTestServer.StartAsync();
        var prefix = RedisTestServer.UniquePrefix();
        var roots = new Dictionary<string, string>();
        var hosts = new Dictionary<string, BotHostProcess>();
        BotHostProcess Start(string name)
        {
            if (!roots.TryGetValue(name, out var root))
            {
                root = roots[name] = Directory.CreateTempSubdirectory("nbk-cluster-plugins-").FullName;
                CopyVersion(root, "v1", "1.0.0");
            }

            return hosts[name] = HostProcess.Start(new Dictionary<string, string>
            {
                ["Plugins__Path"] = root,
                ["Plugins__WatchForNewVersions"] = "false",
                ["Admin__Token"] = AdminToken,
                ["Redis__Configuration"] = redis.Configuration,
                ["Redis__KeyPrefix"] = prefix,
                ["Cluster__ProcessId"] = name,
                ["Storage__Path"] = Path.Combine(root, "store.db"),
            });
        }

        try
        {
            using var p1 = Client(await Start("p1").WaitUntilListeningAsync());
            using var p2 = Client(await Start("p2").WaitUntilListeningAsync());
            Assert.Equal(("Active", "1.0.0"), await StateAsync(p2));

            // Both listening: a reload on p1 reaches p2 (each swaps to 2.0.0 from its own folder).
            foreach (var root in roots.Values)
            {
                CopyVersion(root, "v2", "2.0.0");
            }

            await PostAsync(p1, $"/admin/plugins/{Plugin}/reload");
            await WaitAsync(p2, ("Active", "2.0.0"), "p2 follows the reload", hosts);

            // p2 is down while p1 rolls back: when p2 starts it loads its newest version, then catches up to 1.0.0.
            await hosts["p2"].StopAsync();
            await PostAsync(p1, $"/admin/plugins/{Plugin}/rollback");
            Assert.Equal(("Active", "1.0.0"), await StateAsync(p1));
            using (var restarted = Client(await Start("p2").WaitUntilListeningAsync()))
            {
                await WaitAsync(restarted, ("Active", "1.0.0"), "restarted p2 caught up with the rollback", hosts);
                Assert.Contains("Caught up with the cluster's plugin commands", hosts["p2"].Output, StringComparison.Ordinal);
            }

            // p2 is down while p1 disables the plugin: p2 starts with it off.
            await hosts["p2"].StopAsync();
            await PostAsync(p1, $"/admin/plugins/{Plugin}/disable");
            using var again = Client(await Start("p2").WaitUntilListeningAsync());
            await WaitAsync(again, ("Disabled", null), "restarted p2 caught up with the disable", hosts);

            // Listening again: an enable on p1 reaches it, at the version p1 runs (p2's own folder would give 2.0.0).
            await PostAsync(p1, $"/admin/plugins/{Plugin}/enable");
            var enabled = await StateAsync(p1);
            Assert.Equal("Active", enabled.State);
            await WaitAsync(again, enabled, "p2 follows the enable at p1's version", hosts);
        }
        finally
        {
            foreach (var (name, host) in hosts)
            {
                output.WriteLine($"==== {name} ====");
                output.WriteLine(host.Output.Length > 20000 ? host.Output[^20000..] : host.Output);
                await host.DisposeAsync();
            }
        }
    }

    private static HttpClient Client(Uri address)
    {
        var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return http;
    }

    private static async Task PostAsync(HttpClient http, string path)
    {
        using var response = await http.PostAsync(path, null);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<(string? State, string? Version)> StateAsync(HttpClient http)
    {
        var plugins = await http.GetFromJsonAsync<JsonElement>("/admin/plugins");
        if (plugins.EnumerateArray().Where(p => p.GetProperty("id").GetString() == Plugin).ToList() is not [var plugin])
        {
            return (null, null); // between unloading and loading during a catch-up
        }

        var state = plugin.GetProperty("state").GetString();
        return (state, state == "Disabled" ? null : plugin.GetProperty("version").GetString());
    }

    private static async Task WaitAsync(HttpClient http, (string? State, string? Version) expected, string what, Dictionary<string, BotHostProcess> hosts)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var last = default((string?, string?));
        while (DateTime.UtcNow < deadline)
        {
            last = await StateAsync(http);
            if (last == expected)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Gave up waiting for: {what} (last seen {last}); hosts: {string.Join(", ", hosts.Keys)}");
    }

    private static void CopyVersion(string root, string variant, string version)
    {
        var source = Path.Combine(VersionsDir, "swappy-" + variant, "NafflesBotKit.TestPlugins.Swappy");
        var target = Path.Combine(root, "NafflesBotKit.TestPlugins.Swappy", version);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
    }
}
