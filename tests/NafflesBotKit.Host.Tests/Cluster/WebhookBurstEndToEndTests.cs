using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using NafflesBotKit.Host.Tests.EndToEnd;
using NafflesBotKit.Naffles;
using NafflesBotKit.Runtime.Services;
using NafflesBotKit.Runtime.Services.Store;
using NafflesBotKit.Testing.Discord;
using NafflesBotKit.Testing.Hosting;
using NafflesBotKit.Testing.Naffles;
using NafflesBotKit.Testing.Redis;
using Xunit.Abstractions;

namespace NafflesBotKit.Host.Tests.Cluster;

/// <summary>
/// A burst of 1,000 Naffles webhooks spread round-robin over three host processes sharing one redis-server, some of
/// them delivered twice to different processes: each delivery is processed exactly once, and each task post is edited at
/// most once per edit interval (one shared slot per post for all processes), the last edit coming after the post's last
/// delivery.
/// </summary>
public sealed partial class WebhookBurstEndToEndTests(ITestOutputHelper output)
{
    private const string Secret = "burst-webhook-secret-0123456789abcdef";
    private const int Deliveries = 1000;
    private const int Posts = 4;
    private static readonly TimeSpan EditInterval = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task ThousandWebhooks_OverThreeProcesses_EachProcessedOnce_PostsEditedWithinTheCoalescingBudget()
    {
        await using var redis = await RedisTestServer.StartAsync();
        await using var discord = new DiscordEmulator();
        var urls = await discord.StartAsync();
        await using var naffles = await NafflesEmulator.StartAsync();
        var prefix = RedisTestServer.UniquePrefix();

        // Task posts, as /naffles-create-task leaves them: a Discord message and its mapping in the plugin's store.
        // One channel per post: Discord's per-channel edit limit (5 per 5 s) is not what this test is about.
        using var http = new HttpClient();
        var messages = new Dictionary<string, (ulong Guild, ulong Channel, ulong Message)>();
        for (var i = 0; i < Posts; i++)
        {
            var (guild, channel) = discord.AddGuild();
            messages["task-" + i] = (guild.Id, channel, await CreateMessageAsync(http, urls.RestBaseUrl, discord.BotToken, channel));
        }

        await using (var connection = new RedisConnection(Options.Create(new RedisOptions { Configuration = redis.Configuration, KeyPrefix = prefix })))
        {
            var store = new PluginStore(new RedisKeyValueBackend(connection, TimeProvider.System), TimeProvider.System, "naffles.social-tasks");
            foreach (var (task, (guild, channel, message)) in messages)
            {
                await store.SetAsync("posts/" + task, new JsonObject
                {
                    ["TaskId"] = task,
                    ["GuildId"] = guild,
                    ["ChannelId"] = channel,
                    ["MessageId"] = message,
                    ["Title"] = "Follow us " + task,
                    ["Type"] = "twitter_follow",
                    ["Points"] = 10,
                    ["Status"] = "active",
                    ["Completions"] = 0,
                    ["Configuration"] = new JsonObject { ["twitterUsername"] = "naffles" },
                }, BurstJson.Default.JsonObject);
            }
        }

        var edits = new List<(ulong Message, DateTimeOffset At)>();
        discord.RequestObserver = r =>
        {
            // Edits Discord applied (a 429 answered by the emulator's rate limits is retried, not an edit).
            if (r.Method == "PATCH" && r.Status is >= 200 and < 300 && MessagePath().Match(r.Path) is { Success: true } m)
            {
                lock (edits)
                {
                    edits.Add((ulong.Parse(m.Groups["message"].Value, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow));
                }
            }
        };

        var hosts = new List<BotHostProcess>();
        try
        {
            for (var p = 1; p <= 3; p++)
            {
                hosts.Add(HostProcess.Start(new Dictionary<string, string>
                {
                    ["DISCORD_BOT_TOKEN"] = discord.BotToken,
                    ["DISCORD_CLIENT_ID"] = discord.ApplicationId.ToString(CultureInfo.InvariantCulture),
                    ["DISCORD_PUBLIC_KEY"] = discord.PublicKeyHex,
                    ["DISCORD_API_BASE_URL"] = urls.RestBaseUrl.ToString(),
                    ["Discord__Interactions"] = "Http",
                    ["Discord__CommandSync__Mode"] = "Off",
                    ["NAFFLES_API_BASE_URL"] = naffles.BaseUrl.AbsoluteUri,
                    ["NAFFLES_API_KEY"] = naffles.ApiKey,
                    ["WEBHOOK_SECRET"] = Secret,
                    ["Redis__Configuration"] = redis.Configuration,
                    ["Redis__KeyPrefix"] = prefix,
                    ["Cluster__ProcessId"] = "p" + p,
                    ["Storage__Path"] = Path.Combine(Directory.CreateTempSubdirectory("nbk-burst-").FullName, "store.db"),
                    ["Plugins__Enabled__0"] = "naffles.webhooks",
                    ["Plugins__Enabled__1"] = "naffles.social-tasks",
                    ["Plugins__Enabled__2"] = "naffles.communities",
                    ["Plugins__Settings__naffles.social-tasks__EditIntervalSeconds"] = EditInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                    // The periodic re-sync renders on its own (in every process); this test is about webhook-driven edits.
                    ["Plugins__Settings__naffles.social-tasks__SyncIntervalSeconds"] = "3600",
                    ["Serilog__MinimumLevel__Override__Serilog.AspNetCore.RequestLoggingMiddleware"] = "Warning",
                }));
            }

            var addresses = new List<Uri>();
            foreach (var host in hosts)
            {
                addresses.Add(await host.WaitUntilListeningAsync());
            }

            // The burst: delivery i goes to process i % 3; every 10th is delivered again to the next process.
            var started = DateTimeOffset.UtcNow;
            var sent = 0;
            var resent = 0;
            var statuses = new List<int>();
            var lastAnswered = new Dictionary<string, DateTimeOffset>();
            using var gate = new SemaphoreSlim(24);
            var sends = new List<Task>();
            for (var i = 0; i < Deliveries; i++)
            {
                var delivery = i;
                var task = "task-" + (i % Posts);
                var body = Encoding.UTF8.GetBytes(new JsonObject
                {
                    ["taskId"] = task,
                    ["userId"] = "user-" + i,
                    ["completionData"] = new JsonObject { ["completedBy"] = (i / Posts) + 1 },
                }.ToJsonString());
                var id = Guid.NewGuid().ToString();
                var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                sends.Add(SendAsync(addresses[delivery % 3]));
                sent++;
                if (delivery % 10 == 0)
                {
                    sends.Add(SendAsync(addresses[(delivery + 1) % 3]));
                    resent++;
                }

                async Task SendAsync(Uri address)
                {
                    await gate.WaitAsync();
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/webhooks/naffles/task-completed")) { Content = new ByteArrayContent(body) };
                        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                        request.Headers.TryAddWithoutValidation(NafflesWebhookHeaders.Signature, NafflesWebhookSigner.Sign(Secret, ts, body));
                        request.Headers.TryAddWithoutValidation(NafflesWebhookHeaders.Timestamp, ts.ToString(CultureInfo.InvariantCulture));
                        request.Headers.TryAddWithoutValidation(NafflesWebhookHeaders.DeliveryId, id);
                        using var response = await http.SendAsync(request);
                        lock (statuses)
                        {
                            statuses.Add((int)response.StatusCode);
                            lastAnswered[task] = DateTimeOffset.UtcNow;
                        }
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
            }

            await Task.WhenAll(sends);
            var burst = DateTimeOffset.UtcNow - started;
            output.WriteLine($"{sent} deliveries + {resent} repeats in {burst.TotalSeconds:0.0} s");
            Assert.All(statuses, s => Assert.Equal(200, s));

            // Each delivery processed once across the processes (metrics of every process summed).
            double accepted = 0, duplicate = 0;
            foreach (var address in addresses)
            {
                var metrics = await http.GetStringAsync(new Uri(address, "/metrics"));
                accepted += Sum(metrics, "accepted");
                duplicate += Sum(metrics, "duplicate");
            }

            Assert.Equal(Deliveries, accepted);
            Assert.Equal(resent, duplicate);

            // Each post: edits at least the interval apart over all processes, and one after its last delivery (nothing
            // dropped). Let the last coalesced edits run.
            await Task.Delay(EditInterval * 2 + TimeSpan.FromSeconds(2));

            List<(ulong Message, DateTimeOffset At)> all;
            lock (edits)
            {
                all = [.. edits];
            }

            foreach (var (task, (_, _, message)) in messages)
            {
                var times = all.Where(e => e.Message == message).Select(e => e.At).Order().ToList();
                output.WriteLine($"{task}: {times.Count} edits");
                var budget = (int)Math.Ceiling((burst + TimeSpan.FromSeconds(1)) / EditInterval) + 2;
                Assert.InRange(times.Count, 1, budget);
                Assert.True(times[^1] >= lastAnswered[task] - TimeSpan.FromMilliseconds(500), $"{task}: last edit {times[^1]:HH:mm:ss.fff} before its last delivery {lastAnswered[task]:HH:mm:ss.fff}");
                // The slots are taken at least an interval apart; an edit held in the REST client's per-route queue can
                // still reach Discord just before the next one, so no interval ever sees more than two.
                Assert.All(times.Zip(times.Skip(2)), p => Assert.True(p.Second - p.First >= EditInterval - TimeSpan.FromMilliseconds(400), $"{task}: three edits within {(p.Second - p.First).TotalMilliseconds:0} ms"));
            }
        }
        finally
        {
            for (var i = 0; i < hosts.Count; i++)
            {
                output.WriteLine($"==== p{i + 1} ====");
                var text = hosts[i].Output;
                output.WriteLine(text.Length > 8000 ? text[^8000..] : text);
                await hosts[i].DisposeAsync();
            }
        }
    }

    private static double Sum(string metrics, string result) =>
        metrics.Split('\n')
            .Where(l => l.StartsWith("nafflesbotkit_webhook_deliveries", StringComparison.Ordinal) && l.Contains($"result=\"{result}\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    private static async Task<ulong> CreateMessageAsync(HttpClient http, Uri restBase, string token, ulong channel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(restBase.AbsoluteUri.TrimEnd('/') + $"/channels/{channel}/messages"))
        {
            Content = new StringContent("""{"content":"task post"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bot " + token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return ulong.Parse(json["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"/channels/(?<channel>\d+)/messages/(?<message>\d+)$")]
    private static partial Regex MessagePath();
}

[JsonSerializable(typeof(JsonObject))]
internal sealed partial class BurstJson : JsonSerializerContext;
