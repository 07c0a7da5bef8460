using System.Diagnostics;
using System.Text;
using NafflesBotKit.Testing.Discord;

namespace NafflesBotKit.Discord.Tests.Gateway;

/// <summary>
/// Proof against a peer nobody here wrote: discord.js's WebSocketManager (@discordjs/ws, node:zlib zlib-stream)
/// connects to the emulator, gets READY, GUILD_CREATE and an INTERACTION_CREATE, resumes after op 7 and keeps
/// receiving. Runs the real thing: installs tests/compat with npm ci when node_modules is missing.
/// </summary>
public sealed class DiscordJsCompatTests
{
    private static string CompatDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NafflesBotKit.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Repository root not found."), "tests", "compat");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string arguments, string workingDirectory, IDictionary<string, string>? env, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = new StringBuilder();
        var lockObj = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (lockObj) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (lockObj) { output.AppendLine("stderr: " + e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish in {timeout}: {output}");
        }

        process.WaitForExit(); // flush the output handlers
        lock (lockObj)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private static async Task EnsureNodeModulesAsync(string compat)
    {
        if (File.Exists(Path.Combine(compat, "node_modules", "@discordjs", "ws", "package.json")))
        {
            return;
        }

        var (code, output) = await RunAsync("npm", "ci --no-audit --no-fund", compat, null, TimeSpan.FromMinutes(5));
        Assert.True(code == 0, "npm ci failed: " + output);
    }

    [Fact]
    public async Task DiscordJsWebSocketManager_ConnectsIdentifiesReceivesAndResumes()
    {
        var compat = CompatDirectory();
        await EnsureNodeModulesAsync(compat);
        var options = new DiscordGatewayEmulatorOptions();
        options.Guilds.Add(new GatewayGuild(81384788765712384, "Naffles HQ"));
        options.Guilds.Add(new GatewayGuild(175928847299117063, "Raffle Room"));
        await using var emulator = new DiscordGatewayEmulator(options);
        await emulator.StartAsync();

        var node = RunAsync(
            "node",
            "gateway-compat.mjs",
            compat,
            new Dictionary<string, string>
            {
                ["EMU_API"] = emulator.ApiRootUrl.ToString().TrimEnd('/'),
                ["EMU_TOKEN"] = options.Token,
                ["EMU_GUILDS"] = "2",
                ["EMU_TIMEOUT_MS"] = "60000",
            },
            TimeSpan.FromSeconds(90));

        async Task WaitAsync(Func<bool> condition, string what)
        {
            for (var i = 0; i < 1200 && !condition(); i++)
            {
                if (node.IsCompleted)
                {
                    var (code, output) = await node;
                    Assert.Fail($"node exited ({code}) while waiting for {what}: {output}");
                }

                await Task.Delay(50);
            }

            Assert.True(condition(), "timed out waiting for " + what + "; violations: " + string.Join("; ", emulator.Violations));
        }

        await WaitAsync(() => emulator.IsLive(0) && emulator.LastSequence(0) >= 3, "discord.js identified");
        await emulator.DispatchAsync(0, "INTERACTION_CREATE", """{"id":"1300000000000000001","application_id":"1100000000000000001","type":2,"token":"interaction-token","version":1,"guild_id":"81384788765712384","channel_id":"81384788765712385","member":{"user":{"id":"42","username":"ann"},"roles":[],"permissions":"8"},"data":{"id":"9","name":"ping","type":1},"app_permissions":"8","locale":"en-US","entitlements":[],"authorizing_integration_owners":{"0":"81384788765712384"},"context":0,"attachment_size_limit":8388608}""");
        await Task.Delay(200);
        await emulator.SendReconnectAsync(0);
        await WaitAsync(() => emulator.Connections.Count >= 2 && emulator.Connections[^1].Resumed && emulator.IsLive(0), "discord.js resumed");
        await emulator.DispatchAsync(0, "MESSAGE_CREATE", """{"id":"1300000000000000002","channel_id":"81384788765712385","content":"after resume","author":{"id":"42","username":"ann"}}""");

        var (exitCode, output) = await node;
        Assert.True(exitCode == 0, $"discord.js compat failed ({exitCode}): {output}\nviolations: {string.Join("; ", emulator.Violations)}");
        Assert.Contains("INTERACTION_CREATE shard=0 id=1300000000000000001 name=ping", output, StringComparison.Ordinal);
        Assert.Contains("GUILD_CREATE shard=0 id=175928847299117063", output, StringComparison.Ordinal);
        Assert.Contains("RESULT OK", output, StringComparison.Ordinal);
        Assert.Empty(emulator.Violations);

        // What discord.js did is what our client does: identify once, resume at /resume with the same query, close
        // the first socket with a code that keeps the session.
        var connections = emulator.Connections;
        Assert.Equal("?v=10&encoding=json&compress=zlib-stream", connections[0].Query);
        Assert.Equal("/resume", connections[1].Path);
        Assert.StartsWith("?v=10&encoding=json&compress=zlib-stream", connections[1].Query, StringComparison.Ordinal);
        Assert.NotNull(connections[0].ClientCloseCode);
        Assert.NotEqual(1000, connections[0].ClientCloseCode);
        Assert.Single(emulator.Received, m => m.Op == 2);
        Assert.Single(emulator.Received, m => m.Op == 6);
    }

    /// <summary>
    /// discord.js receives a slash command over the gateway (the simulator's gateway delivery) and answers it with
    /// @discordjs/rest: the interaction callback, an edit of the original response and an edit of a channel message.
    /// The REST emulator must have accepted all three, exactly as Discord would store them.
    /// </summary>
    [Fact]
    public async Task DiscordJs_RepliesToGatewayInteraction_AndEditsMessages_ThroughTheRestEmulator()
    {
        var compat = CompatDirectory();
        await EnsureNodeModulesAsync(compat);
        await using var discord = new DiscordEmulator();
        var urls = await discord.StartAsync();
        var (guild, channel) = discord.AddGuild();
        var options = new DiscordGatewayEmulatorOptions { Token = discord.BotToken, ApplicationId = discord.ApplicationId, BotUserId = discord.ApplicationId };
        options.Guilds.Add(new GatewayGuild(guild.Id, "Naffles HQ"));
        await using var gateway = new DiscordGatewayEmulator(options);
        await gateway.StartAsync();
        discord.GatewayUrl = gateway.GatewayUrl.ToString();
        discord.Interactions.UseGateway(gateway);
        using (var http = new HttpClient())
        {
            using var put = new HttpRequestMessage(HttpMethod.Put, $"{urls.RestBaseUrl.ToString().TrimEnd('/')}/applications/{discord.ApplicationId}/commands")
            {
                Content = new StringContent("""[{"name":"ping","description":"Ping","type":1}]""", Encoding.UTF8, "application/json"),
            };
            put.Headers.TryAddWithoutValidation("Authorization", "Bot " + discord.BotToken);
            (await http.SendAsync(put)).EnsureSuccessStatusCode();
        }

        var seeded = discord.SeedMessage(channel, content: "before");
        var node = RunAsync(
            "node",
            "gateway-compat.mjs",
            compat,
            new Dictionary<string, string>
            {
                ["EMU_API"] = urls.ApiRoot.ToString().TrimEnd('/'),
                ["EMU_TOKEN"] = discord.BotToken,
                ["EMU_MODE"] = "reply",
                ["EMU_EDIT_CHANNEL"] = channel.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["EMU_EDIT_MESSAGE"] = seeded.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["EMU_TIMEOUT_MS"] = "60000",
            },
            TimeSpan.FromSeconds(90));
        await WaitForAsync(gateway, node, () => gateway.IsLive(0), "discord.js identified");

        var sent = await discord.Interactions.RunCommandAsync(discord.AddUser("ann"), guild.Id, channel, "ping");

        var (exitCode, output) = await node;
        Assert.True(exitCode == 0, $"discord.js compat failed ({exitCode}): {output}\nviolations: {string.Join("; ", gateway.Violations)}");
        Assert.Contains($"INTERACTION_CREATE shard=0 id={sent.Interaction.Id} name=ping", output, StringComparison.Ordinal);
        Assert.Equal(0, sent.Delivery.GatewayShardId);

        // The emulator received the callback over REST, not inline, and stored the reply as the original response.
        var response = Assert.Single(sent.Interaction.Callbacks);
        Assert.False(response.Inline);
        Assert.True(response.Accepted);
        Assert.Equal(4, response.Type);
        Assert.Equal("pong from discord.js", response.Data?["content"]?.GetValue<string>());
        var original = discord.ResponseMessage(sent.Interaction.Id);
        Assert.NotNull(original);
        Assert.Equal("edited by discord.js", original.Content);
        Assert.Equal(64, original.Flags & 64);
        Assert.Equal("channel message edited by discord.js", discord.Message(seeded.Id)!.Content);
        Assert.Contains(discord.Requests, r => r.Method == "PATCH" && r.Template == "/webhooks/{webhook_id}/{webhook_token}/messages/@original" && r.Status == 200);
        Assert.Contains(discord.Requests, r => r.Method == "PATCH" && r.Template == "/channels/{channel_id}/messages/{message_id}" && r.Status == 200);
        Assert.Empty(gateway.Violations);
    }

    private static async Task<(DiscordGatewayEmulator Emulator, Task<(int ExitCode, string Output)> Node)> StartNodeAsync(string mode, Action<DiscordGatewayEmulatorOptions>? configure = null)
    {
        var compat = CompatDirectory();
        await EnsureNodeModulesAsync(compat);
        var options = new DiscordGatewayEmulatorOptions();
        options.Guilds.Add(new GatewayGuild(81384788765712384, "Naffles HQ"));
        configure?.Invoke(options);
        var emulator = new DiscordGatewayEmulator(options);
        await emulator.StartAsync();
        var node = RunAsync(
            "node",
            "gateway-compat.mjs",
            compat,
            new Dictionary<string, string>
            {
                ["EMU_API"] = emulator.ApiRootUrl.ToString().TrimEnd('/'),
                ["EMU_TOKEN"] = options.Token,
                ["EMU_MODE"] = mode,
                ["EMU_TIMEOUT_MS"] = "60000",
            },
            TimeSpan.FromSeconds(90));
        return (emulator, node);
    }

    private static async Task WaitForAsync(DiscordGatewayEmulator emulator, Task<(int ExitCode, string Output)> node, Func<bool> condition, string what)
    {
        for (var i = 0; i < 1200 && !condition(); i++)
        {
            if (node.IsCompleted)
            {
                var (code, output) = await node;
                Assert.Fail($"node exited ({code}) while waiting for {what}: {output}");
            }

            await Task.Delay(50);
        }

        Assert.True(condition(), "timed out waiting for " + what + "; violations: " + string.Join("; ", emulator.Violations));
    }

    /// <summary>Differential: discord.js, like our client (FatalCloseCode_StopsShardWithoutReconnecting), stops on 4004.</summary>
    [Theory]
    [InlineData(4004)]
    [InlineData(4014)]
    public async Task DiscordJs_FatalCloseCode_StopsWithoutReconnecting_LikeOurClient(int code)
    {
        var (emulator, node) = await StartNodeAsync("fatal");
        await using (emulator)
        {
            await WaitForAsync(emulator, node, () => emulator.IsLive(0), "discord.js identified");
            await emulator.CloseAsync(0, code);
            var (exitCode, output) = await node;
            Assert.True(exitCode == 0, output);
            Assert.Contains($"CLOSED shard=0 code={code}", output, StringComparison.Ordinal);
            Assert.Single(emulator.Connections);
        }
    }

    /// <summary>Differential: discord.js, like our client (Zombie_NoAckBeforeNextBeat_...), closes a zombie with a non-1000 code and resumes.</summary>
    [Fact]
    public async Task DiscordJs_ZombieConnection_ClosesWithNon1000AndResumes_LikeOurClient()
    {
        var (emulator, node) = await StartNodeAsync("resume", o => o.HeartbeatIntervalMs = 1000);
        await using (emulator)
        {
            await WaitForAsync(emulator, node, () => emulator.IsLive(0) && emulator.Received.Any(m => m.Op == 1), "discord.js identified and beating");
            emulator.MakeZombie(0);
            await WaitForAsync(emulator, node, () => emulator.Connections.Count >= 2 && emulator.Connections[^1].Resumed && emulator.IsLive(0), "discord.js resumed");
            await emulator.DispatchAsync(0, "MESSAGE_CREATE", """{"id":"1","channel_id":"2","content":"after resume"}""");
            var (exitCode, output) = await node;
            Assert.True(exitCode == 0, output);
            var first = emulator.Connections[0];
            Assert.NotNull(first.ClientCloseCode);
            Assert.NotEqual(1000, first.ClientCloseCode);
            Assert.NotEqual(1001, first.ClientCloseCode);
            Assert.Equal("/resume", emulator.Connections[1].Path);
            Assert.Single(emulator.Received, m => m.Op == 2);
            Assert.Empty(emulator.Violations);
        }
    }

    /// <summary>
    /// Differential: on op 9 d:true discord.js resumes on the same socket, our client on a new socket at
    /// resume_gateway_url (as discord-protocol.md §1 says); the emulator accepts both and loses no event either way.
    /// </summary>
    [Fact]
    public async Task DiscordJs_InvalidSessionResumable_ResumesWithoutIdentifying()
    {
        var (emulator, node) = await StartNodeAsync("resume");
        await using (emulator)
        {
            await WaitForAsync(emulator, node, () => emulator.IsLive(0), "discord.js identified");
            await emulator.SendInvalidSessionAsync(0, resumable: true);
            await WaitForAsync(emulator, node, () => emulator.Received.Any(m => m.Op == 6) && emulator.IsLive(0) && emulator.Connections.Any(c => c.Resumed), "discord.js resumed");
            await emulator.DispatchAsync(0, "MESSAGE_CREATE", """{"id":"1","channel_id":"2","content":"after resume"}""");
            var (exitCode, output) = await node;
            Assert.True(exitCode == 0, output);
            Assert.Single(emulator.Received, m => m.Op == 2);
            Assert.Empty(emulator.Violations);
        }
    }
}
