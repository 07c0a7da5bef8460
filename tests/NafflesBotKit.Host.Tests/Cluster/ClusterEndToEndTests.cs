using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NafflesBotKit.Testing.Discord;
using NafflesBotKit.Testing.Hosting;
using NafflesBotKit.Testing.Redis;
using NafflesBotKit.Host.Tests.EndToEnd;
using Xunit.Abstractions;

namespace NafflesBotKit.Host.Tests.Cluster;

/// <summary>
/// Three real host processes serving one bot through one real redis-server and the gateway emulator with 12 shards:
/// every shard connected once, interactions on every shard answered, and a process killed with SIGKILL whose shards
/// are resumed by the others after its leases expire, with the interactions sent meanwhile replayed and answered.
/// </summary>
public sealed class ClusterEndToEndTests(ITestOutputHelper output)
{
    private const int ShardCount = 12;
    private const int MaxConcurrency = 4;
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(3);
    private const string AdminToken = "cluster-admin-token-0123456789";

    [Fact]
    public async Task ThreeProcesses_TwelveShards_EachConnectedOnce_KillNine_ShardsResumeElsewhere()
    {
        await using var redis = await RedisTestServer.StartAsync();
        // Interactions sent while a process is dead reach the bot after the takeover, later than Discord's 3 s answer
        // window; the emulator's deadline is off so the test sees that they were delivered and handled (once).
        await using var discord = new DiscordEmulator(new DiscordEmulatorOptions { EnforceInteractionDeadline = false });
        var urls = await discord.StartAsync();
        await using var gateway = new DiscordGatewayEmulator(new DiscordGatewayEmulatorOptions
        {
            Token = discord.BotToken,
            RecommendedShards = ShardCount,
            MaxConcurrency = MaxConcurrency,
            // The 5 s window is judged when the identify arrives; the processes judge it when they send.
            IdentifyWindowSlack = TimeSpan.FromMilliseconds(250),
        });
        await gateway.StartAsync();
        discord.GatewayUrl = gateway.GatewayUrl.ToString();

        var prefix = RedisTestServer.UniquePrefix();
        var hosts = new Dictionary<string, BotHostProcess>();
        try
        {
            foreach (var name in new[] { "p1", "p2", "p3" })
            {
                hosts[name] = HostProcess.Start(new Dictionary<string, string>
                {
                    ["DISCORD_BOT_TOKEN"] = discord.BotToken,
                    ["DISCORD_CLIENT_ID"] = discord.ApplicationId.ToString(CultureInfo.InvariantCulture),
                    ["DISCORD_PUBLIC_KEY"] = discord.PublicKeyHex,
                    ["DISCORD_API_BASE_URL"] = urls.RestBaseUrl.ToString(),
                    ["Discord__Gateway__ApiBaseUrl"] = gateway.ApiBaseUrl.ToString(),
                    ["Discord__Gateway__ShardCount"] = ShardCount.ToString(CultureInfo.InvariantCulture),
                    ["Redis__Configuration"] = redis.Configuration,
                    ["Redis__KeyPrefix"] = prefix,
                    ["Cluster__ProcessId"] = name,
                    ["Admin__Token"] = AdminToken,
                    ["Cluster__LeaseDuration"] = "00:00:03",
                    ["Cluster__RenewInterval"] = "00:00:00.500",
                    ["Cluster__JoinDelay"] = "00:00:05",
                    ["Storage__Path"] = Path.Combine(Directory.CreateTempSubdirectory("nbk-cluster-").FullName, "store.db"),
                });
            }

            var addresses = new Dictionary<string, Uri>();
            foreach (var (name, host) in hosts)
            {
                addresses[name] = await host.WaitUntilListeningAsync();
            }

            using var http = new HttpClient();

            // 1. Every shard connected, exactly once, the shards split 4/4/4 and nothing identified too fast.
            await WaitUntilAsync(() => Enumerable.Range(0, ShardCount).All(gateway.IsLive), TimeSpan.FromSeconds(60), "all 12 shards live", hosts);
            var owners = await WaitForOwnersAsync(http, addresses, o => o.Values.GroupBy(v => v).All(g => g.Count() == 4) && o.Count == ShardCount, hosts);
            Assert.Empty(gateway.Violations);
            Assert.Empty(gateway.ConcurrentConnections);
            for (var shard = 0; shard < ShardCount; shard++)
            {
                Assert.Equal(1, gateway.Connections.Count(c => c.ShardId == shard && c.Identified));
            }

            // /metrics of each process shows the shards it owns.
            foreach (var (name, address) in addresses)
            {
                var metrics = await http.GetStringAsync(new Uri(address, "/metrics"));
                foreach (var shard in owners.Where(o => o.Value == name).Select(o => o.Key))
                {
                    Assert.Contains($"shard=\"{shard}\"", metrics, StringComparison.Ordinal);
                }
            }

            // 2. Interactions on every shard are answered by whichever process owns it.
            await WaitUntilAsync(() => discord.Commands().Any(c => c?["name"]?.GetValue<string>() == "naffles-ping"), TimeSpan.FromSeconds(30), "commands synced", hosts);
            discord.Interactions.Transport = new GatewayInteractionTransport(gateway);
            // One user per interaction: the per-user limits and cooldowns are shared by the processes (Redis).
            var users = 0;
            var guilds = new Dictionary<int, (ulong Guild, ulong Channel)>();
            while (guilds.Count < ShardCount)
            {
                var (guild, channel) = discord.AddGuild();
                guilds.TryAdd(ShardOf(guild.Id), (guild.Id, channel));
                await Task.Delay(3);
            }

            var first = new List<EmulatedInteraction>();
            foreach (var (_, (guild, channel)) in guilds.OrderBy(g => g.Key))
            {
                first.Add((await discord.Interactions.RunCommandAsync(discord.AddUser("member" + users++), guild, channel, "naffles-ping")).Interaction);
            }

            await WaitUntilAsync(() => first.All(i => i.Response is not null), TimeSpan.FromSeconds(30), "every shard's interaction answered", hosts);
            Assert.All(first, i => Assert.StartsWith("🏓 Pong", i.Response!.Data?["content"]?.GetValue<string>(), StringComparison.Ordinal));

            // 3. A plugin command sent to one process reaches every process (Redis pub/sub).
            await AdminAsync(http, addresses["p1"], "naffles.diagnostics", "disable");
            await WaitUntilAsync(() => addresses.Values.All(a => PluginState(http, a, "naffles.diagnostics") == "Disabled"), TimeSpan.FromSeconds(20), "diagnostics disabled everywhere", hosts);
            await AdminAsync(http, addresses["p2"], "naffles.diagnostics", "enable");
            await WaitUntilAsync(() => addresses.Values.All(a => PluginState(http, a, "naffles.diagnostics") == "Active"), TimeSpan.FromSeconds(20), "diagnostics enabled everywhere", hosts);

            await Task.Delay(TimeSpan.FromSeconds(1.5)); // a few renew rounds: the processed sequence is saved

            // 4. kill -9 one process: its shards come back elsewhere, resumed, and what was sent meanwhile is answered.
            var victim = "p3";
            var orphaned = owners.Where(o => o.Value == victim).Select(o => o.Key).Order().ToArray();
            var identifiesBefore = gateway.Connections.Count(c => c.Identified);
            await hosts[victim].KillAsync();
            var killedAt = DateTimeOffset.UtcNow;
            var during = new List<EmulatedInteraction>();
            foreach (var shard in orphaned)
            {
                var (guild, channel) = guilds[shard];
                during.Add((await discord.Interactions.RunCommandAsync(discord.AddUser("member" + users++), guild, channel, "naffles-ping")).Interaction);
            }

            // Lease expiry + one renew round + the resume itself; resuming needs no identify slot.
            var budget = LeaseDuration + TimeSpan.FromSeconds(1) + TimeSpan.FromSeconds(5);
            await WaitUntilAsync(() => orphaned.All(gateway.IsLive), budget + TimeSpan.FromSeconds(10), "orphaned shards live again", hosts);
            var recovered = DateTimeOffset.UtcNow - killedAt;
            output.WriteLine($"shards {string.Join(',', orphaned)} of {victim} back after {recovered.TotalSeconds:0.0} s");
            Assert.True(recovered < budget, $"took {recovered} (budget {budget})");
            Assert.Equal(identifiesBefore, gateway.Connections.Count(c => c.Identified)); // resumed, not re-identified
            Assert.All(orphaned, shard => Assert.Contains(gateway.Connections, c => c.ShardId == shard && c.Resumed));

            addresses.Remove(victim);
            var after = await WaitForOwnersAsync(
                http,
                addresses.Where(a => a.Key != victim).ToDictionary(),
                o => o.Count == ShardCount && o.Values.All(v => v != victim),
                hosts);
            Assert.Equal(6, after.Values.Count(v => v == "p1"));
            Assert.Equal(6, after.Values.Count(v => v == "p2"));

            await WaitUntilAsync(() => during.All(i => i.Response is not null), TimeSpan.FromSeconds(20), "interactions sent during the outage answered", hosts);
            Assert.All(first.Concat(during), i => Assert.Equal(0, i.RejectedCallbacks)); // none handled twice
            Assert.Empty(gateway.Violations);
            Assert.Empty(gateway.ConcurrentConnections);
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

    private static async Task AdminAsync(HttpClient http, Uri address, string plugin, string action)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, $"/admin/plugins/{plugin}/{action}"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{action} {plugin}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static string? PluginState(HttpClient http, Uri address, string plugin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, "/admin/plugins"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = http.Send(request);
        using var reader = new StreamReader(response.Content.ReadAsStream());
        var list = JsonNode.Parse(reader.ReadToEnd())!.AsArray();
        return list.FirstOrDefault(p => p?["id"]?.GetValue<string>() == plugin)?["state"]?.GetValue<string>();
    }

    private static int ShardOf(ulong guildId) => (int)((guildId >> 22) % ShardCount);

    /// <summary>Reads the shard owners from each process's status page until <paramref name="done"/> holds.</summary>
    private static async Task<Dictionary<int, string>> WaitForOwnersAsync(HttpClient http, Dictionary<string, Uri> addresses, Func<Dictionary<int, string>, bool> done, Dictionary<string, BotHostProcess> hosts)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        var owners = new Dictionary<int, string>();
        while (true)
        {
            owners.Clear();
            foreach (var (name, address) in addresses)
            {
                var status = await http.GetFromJsonAsync<JsonObject>(address);
                var gatewayStatus = status!["gateway"]!;
                Assert.Equal(name, gatewayStatus["process"]!.GetValue<string>());
                Assert.True(gatewayStatus["clustered"]!.GetValue<bool>());
                foreach (var shard in gatewayStatus["ownedShards"]!.AsArray())
                {
                    var id = shard!["id"]!.GetValue<int>();
                    Assert.False(owners.ContainsKey(id), $"shard {id} is run by {owners.GetValueOrDefault(id)} and {name}");
                    owners[id] = name;
                }

                // Every process also lists every shard's holder (from Redis).
                Assert.Equal(ShardCount, gatewayStatus["owners"]!.AsArray().Count);
            }

            if (done(owners))
            {
                return new Dictionary<int, string>(owners);
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException("shard owners did not settle: " + string.Join(", ", owners.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}")) + Dump(hosts));
            }

            await Task.Delay(200);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what, Dictionary<string, BotHostProcess> hosts)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"timed out waiting for: {what}" + Dump(hosts));
            }

            await Task.Delay(100);
        }
    }

    private static string Dump(Dictionary<string, BotHostProcess> hosts) =>
        string.Concat(hosts.Select(h => $"\n==== {h.Key} ====\n" + (h.Value.Output.Length > 6000 ? h.Value.Output[^6000..] : h.Value.Output)));

    /// <summary>Delivers interactions as INTERACTION_CREATE on the shard of their guild, as Discord does for gateway bots.</summary>
    private sealed class GatewayInteractionTransport(DiscordGatewayEmulator gateway) : IInteractionTransport
    {
        public async Task<InteractionDeliveryResult> DeliverAsync(JsonObject payload, CancellationToken cancellationToken)
        {
            var guild = ulong.Parse(payload["guild_id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            await gateway.DispatchAsync(ShardOf(guild), "INTERACTION_CREATE", payload.ToJsonString());
            return new InteractionDeliveryResult(null, null, []);
        }
    }
}
