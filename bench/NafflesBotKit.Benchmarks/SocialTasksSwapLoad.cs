using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Runtime.Plugins;
using NafflesBotKit.Runtime.Services.Store;
using NafflesBotKit.Services;
using NafflesBotKit.Testing.Discord;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.LoadTesting;

/// <summary>Settings of one <see cref="SocialTasksSwapLoad"/> run.</summary>
/// <param name="V1Folder">The shipped SocialTasks plugin folder (1.0.0).</param>
/// <param name="V2Folder">The 2.0.0 build's folder (tests/Fixtures/SocialTasks.V2).</param>
/// <param name="Rate">Interactions per second, steady.</param>
/// <param name="Swaps">Swaps v1 -> v2 -> v1 ...</param>
/// <param name="Between">Time under load before each swap (and after the last).</param>
/// <param name="Settle">Idle time after the run before memory is measured again.</param>
/// <param name="InFlightSlack">
/// How long before a swap began an interaction may have been sent and still reach the router after the switch (time on
/// the wire and in queues); such answers may come from either version. Default 500 ms.
/// </param>
internal sealed record SwapLoadSettings(string V1Folder, string V2Folder, int Rate, int Swaps, TimeSpan Between, TimeSpan Settle, TimeSpan? InFlightSlack = null);

/// <summary>One swap as measured.</summary>
internal sealed record SwapLoadSwap(PluginSwapResult Result, long StartedAt, long ReturnedAt);

/// <summary>What a run measured. <see cref="Passed"/> is the pass/fail verdict.</summary>
internal sealed record SwapLoadReport(
    long Sent,
    double AchievedRate,
    long Failed,
    long Unanswered,
    long WrongVersionAfterSwap,
    long AnsweredByV1,
    long AnsweredByV2,
    IReadOnlyList<SwapLoadSwap> Swaps,
    long ManagedBaselineBytes,
    long ManagedRightAfterBytes,
    long ManagedAfterBytes,
    long WorkingSetBaselineBytes,
    long WorkingSetAfterBytes,
    IReadOnlyList<string> FailureSamples)
{
    public bool Passed =>
        Failed == 0 && Unanswered == 0 && WrongVersionAfterSwap == 0 && AnsweredByV1 > 0 && AnsweredByV2 > 0
        && Swaps.All(s => s.Result.Succeeded && s.Result.OldContextCollected);

    /// <summary>The report as a Markdown table (docs/performance.md).</summary>
    public string ToMarkdown()
    {
        var switchMs = Swaps.Select(s => s.Result.SwitchedAfter.TotalMilliseconds).Order().ToArray();
        var totalMs = Swaps.Select(s => s.Result.Duration.TotalMilliseconds).Order().ToArray();
        var lines = new List<string>
        {
            "| Metric | Value |",
            "|---|---:|",
            Row("Interactions sent during the swaps (signed HTTP through the Discord emulator, after a 3 s warm-up at the same rate)", Sent.ToString(CultureInfo.InvariantCulture)),
            Row("Achieved rate (interactions/s)", AchievedRate.ToString("F0", CultureInfo.InvariantCulture)),
            Row("Failed / unanswered", $"{Failed} / {Unanswered}"),
            Row("Answered by the wrong version after a swap returned", WrongVersionAfterSwap.ToString(CultureInfo.InvariantCulture)),
            Row("Answered by 1.0.0 / 2.0.0", $"{AnsweredByV1} / {AnsweredByV2}"),
            Row("Swaps succeeded", $"{Swaps.Count(s => s.Result.Succeeded)} / {Swaps.Count}"),
            Row("Old load contexts collected", $"{Swaps.Count(s => s.Result.OldContextCollected)} / {Swaps.Count}"),
            Row("Time to switch p50 / p99 (ms)", $"{Percentile(switchMs, 0.5):F1} / {Percentile(switchMs, 0.99):F1}"),
            Row("Swap incl. drain, stop, unload and collection p50 / p99 (ms)", $"{Percentile(totalMs, 0.5):F1} / {Percentile(totalMs, 0.99):F1}"),
            Row("In-flight at switch (drained by the old version), max / total", $"{Swaps.Select(s => s.Result.InFlightAtSwitch).DefaultIfEmpty().Max()} / {Swaps.Sum(s => s.Result.InFlightAtSwitch)}"),
            Row("Managed heap after full GC: baseline -> right after the run -> after idling (MiB)", $"{ManagedBaselineBytes / 1048576.0:F1} -> {ManagedRightAfterBytes / 1048576.0:F1} -> {ManagedAfterBytes / 1048576.0:F1}"),
            Row("Process working set: baseline -> after idling (MiB)", $"{WorkingSetBaselineBytes / 1048576.0:F1} -> {WorkingSetAfterBytes / 1048576.0:F1}"),
        };
        return string.Join(Environment.NewLine, lines);

        static string Row(string name, string value) => $"| {name} | {value} |";
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>
/// Hot swap of the real SocialTasks plugin under load, end to end: a Kestrel host with the runtime, the Discord REST
/// layer and the signed HTTP interactions endpoint (<c>MapDiscordInteractions</c>) into the real router; the Discord
/// emulator's <see cref="InteractionSimulator"/> sends a steady stream of signed interactions (half
/// <c>/naffles-list-tasks</c>, half clicks on a task post's Details button) while SocialTasks is swapped 1.0.0 -> 2.0.0 ->
/// 1.0.0 ...; the Naffles emulator serves the tasks. Every interaction's answer is read back from the emulator: failed
/// (non-200, error embed, nothing), and which version produced it (2.0.0 adds a field). Shared by the CI test (a few
/// swaps) and the <c>swap-load-socialtasks</c> bench scenario (ten swaps, numbers in docs/performance.md).
/// </summary>
internal static class SocialTasksSwapLoad
{
    private const string PluginId = "naffles.social-tasks";
    private const string V2Field = "🆕 Social Tasks 2.0";

    /// <summary>How long after its acknowledgement each interaction's (deferred) answer may take to show.</summary>
    private static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(15);

    public static async Task<SwapLoadReport> RunAsync(SwapLoadSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var naffles = await NafflesEmulator.StartAsync(new NafflesEmulatorOptions(), cancellationToken).ConfigureAwait(false);
        await using var discord = new DiscordEmulator(new DiscordEmulatorOptions { GlobalLimitPerSecond = 1_000_000, DefaultRouteLimit = 1_000_000 });
        var urls = await discord.StartAsync(cancellationToken).ConfigureAwait(false);
        var data = Directory.CreateTempSubdirectory("nbk-swap-load-").FullName;
        try
        {
            var values = new Dictionary<string, string?>
            {
                ["Discord:Token"] = discord.BotToken,
                ["Discord:ApiBaseUrl"] = urls.RestBaseUrl.ToString(),
                ["Discord:ClientId"] = discord.ApplicationId.ToString(CultureInfo.InvariantCulture),
                ["Discord:PublicKey"] = discord.PublicKeyHex,
                ["Discord:CommandSync:Mode"] = "Global",
                ["Discord:CommandSync:Debounce"] = "00:00:00.050",
                ["Plugins:Path"] = Directory.CreateDirectory(Path.Combine(data, "plugins")).FullName,
                ["Plugins:WatchForNewVersions"] = "false",
                ["Plugins:DrainTimeout"] = "00:00:10",
                ["Storage:Path"] = Path.Combine(data, "store.db"),
                ["Storage:Shares:naffles.communities:0"] = PluginId,
                ["RateLimits:Enabled"] = "false",
                ["Naffles:BaseUrl"] = naffles.BaseUrl.ToString(),
                ["Naffles:ApiKey"] = naffles.ApiKey,
                ["Plugins:Settings:naffles.social-tasks:SyncIntervalSeconds"] = "3600",
            };
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(values);
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Services.AddDiscordRest(builder.Configuration);
            builder.Services.AddNafflesBotRuntime(builder.Configuration);
            builder.Services.AddNafflesBotServices(builder.Configuration);
            builder.Services.AddNafflesApi(builder.Configuration);
            builder.Services.AddPluginExport<NafflesBotKit.Naffles.INafflesApi>();
            builder.Services.AddDiscordRuntimeBridge();
            await using var app = builder.Build();
            app.MapDiscordInteractions();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                discord.Interactions.UseHttp(new Uri(address.TrimEnd('/') + "/interactions"));
                var world = await SeedAsync(discord, naffles, app.Services, cancellationToken).ConfigureAwait(false);
                var plugins = app.Services.GetRequiredService<PluginManager>();
                _ = await plugins.LoadAsync(settings.V1Folder, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("SocialTasks 1.0.0 did not load: " + string.Join("; ", plugins.Statuses.Select(s => s.Error)));
                await WaitForCommandAsync(discord, cancellationToken).ConfigureAwait(false);

                // Warm up at the same rate without swapping (JIT, connection pools, caches sized for the load), then take
                // the memory baseline with the process idle.
                var clock = Stopwatch.StartNew();
                var warmup = new ConcurrentQueue<Sample>();
                using (var warm = new CancellationTokenSource(TimeSpan.FromSeconds(3)))
                {
                    await StreamAsync(discord, world, settings.Rate, warmup, clock, warm.Token).ConfigureAwait(false);
                }

                var warmVerdicts = await JudgeAsync(discord, clock, [.. warmup], [], TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                warmup.Clear();
                var (managedBaseline, workingSetBaseline) = Memory(discord, naffles);
                var samples = new ConcurrentQueue<Sample>();
                using var stop = new CancellationTokenSource();
                var stream = Task.Run(() => StreamAsync(discord, world, settings.Rate, samples, clock, stop.Token), CancellationToken.None);
                var swaps = new List<SwapLoadSwap>();
                for (var i = 0; i < settings.Swaps; i++)
                {
                    await Task.Delay(settings.Between, cancellationToken).ConfigureAwait(false);
                    var started = clock.ElapsedTicks;
                    var result = await plugins.SwapAsync(PluginId, i % 2 == 0 ? settings.V2Folder : settings.V1Folder, cancellationToken).ConfigureAwait(false);
                    swaps.Add(new SwapLoadSwap(result, started, clock.ElapsedTicks));
                }

                await Task.Delay(settings.Between, cancellationToken).ConfigureAwait(false);
                await stop.CancelAsync().ConfigureAwait(false);
                var elapsed = await stream.ConfigureAwait(false);
                var verdicts = await JudgeAsync(discord, clock, [.. samples], swaps, settings.InFlightSlack ?? TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
                var sent = samples.Count;
                samples.Clear();
                var (managedRightAfter, _) = Memory(discord, naffles);

                // Time-bound state (pooled buffers, cache entries, timers) ages out while the process idles.
                await Task.Delay(settings.Settle, cancellationToken).ConfigureAwait(false);
                var (managedAfter, workingSetAfter) = Memory(discord, naffles);
                return new SwapLoadReport(
                    sent,
                    sent / elapsed.TotalSeconds,
                    verdicts.Failed + warmVerdicts.Failed,
                    verdicts.Unanswered + warmVerdicts.Unanswered,
                    verdicts.WrongVersion + warmVerdicts.WrongVersion,
                    verdicts.V1,
                    verdicts.V2,
                    swaps,
                    managedBaseline,
                    managedRightAfter,
                    managedAfter,
                    workingSetBaseline,
                    workingSetAfter,
                    [.. warmVerdicts.FailureSamples, .. verdicts.FailureSamples]);
            }
            finally
            {
                await app.Services.GetRequiredService<PluginManager>().UnloadAllAsync(CancellationToken.None).ConfigureAwait(false);
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static async Task<World> SeedAsync(DiscordEmulator discord, NafflesEmulator naffles, IServiceProvider services, CancellationToken cancellationToken)
    {
        var (guild, channel) = discord.AddGuild();
        var community = naffles.AddCommunity("c-load", "Load Community");
        for (var i = 1; i <= 5; i++)
        {
            naffles.AddSocialTask("t-load-" + i.ToString(CultureInfo.InvariantCulture), community, "Follow us #" + i.ToString(CultureInfo.InvariantCulture), points: 10 * i);
        }

        await services.GetRequiredService<PluginStoreFactory>().For(GuildCommunityLinks.OwnerPluginId).ForGuild(guild.Id)
            .SetAsync(GuildCommunityLinks.Key, new GuildCommunityLink(community, "Load Community", 1, DateTimeOffset.UtcNow), GuildCommunityLinks.TypeInfo, cancellationToken: cancellationToken)
            .ConfigureAwait(false);

        // A task post as SocialTasks 1.0.0 would have left it: its Details button must keep working across versions.
        var post = discord.SeedMessage(channel, new JsonArray(new JsonObject
        {
            ["type"] = 1,
            ["components"] = new JsonArray(new JsonObject { ["type"] = 2, ["style"] = 2, ["label"] = "View Details", ["custom_id"] = "task:view:t-load-1" }),
        }));
        var users = new EmulatedUser[1000];
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = discord.AddUser("load" + i.ToString(CultureInfo.InvariantCulture));
            discord.AddMember(guild.Id, users[i].Id);
        }

        return new World(guild.Id, channel, post.Id, users);
    }

    private static async Task WaitForCommandAsync(DiscordEmulator discord, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 1000; i++)
        {
            if (discord.Commands().OfType<JsonObject>().Any(c => (string?)c["name"] == "naffles-list-tasks"))
            {
                return;
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException("/naffles-list-tasks was never synced to the Discord emulator");
    }

    private static Task<SimulatedInteraction> SendOneAsync(DiscordEmulator discord, World world, long n, CancellationToken cancellationToken)
    {
        var user = world.Users[n % world.Users.Length];
        return n % 2 == 0
            ? discord.Interactions.RunCommandAsync(user, world.GuildId, world.ChannelId, "naffles-list-tasks", cancellationToken: cancellationToken)
            : discord.Interactions.ClickAsync(user, world.GuildId, world.PostId, "task:view:t-load-1", cancellationToken: cancellationToken);
    }

    /// <summary>Releases interactions on schedule (catching up after a late tick), never waiting for earlier ones.</summary>
    private static async Task<TimeSpan> StreamAsync(DiscordEmulator discord, World world, int rate, ConcurrentQueue<Sample> samples, Stopwatch clock, CancellationToken stop)
    {
        var began = clock.Elapsed;
        long sent = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var due = (long)((clock.Elapsed - began).TotalSeconds * rate);
                for (; sent < due; sent++)
                {
                    var at = clock.ElapsedTicks;
                    samples.Enqueue(new Sample(at, AcknowledgedAsync(SendOneAsync(discord, world, sent, CancellationToken.None), clock)));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        var elapsed = clock.Elapsed - began;
        await Task.WhenAll(samples.Select(s => s.Acknowledged.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default))).ConfigureAwait(false);
        return elapsed;
    }

    /// <summary>The delivery with the moment its HTTP answer (the acknowledgement) came back, on the run's clock.</summary>
    private static async Task<(SimulatedInteraction Sent, long AcknowledgedAt)> AcknowledgedAsync(Task<SimulatedInteraction> delivery, Stopwatch clock)
    {
        var sent = await delivery.ConfigureAwait(false);
        return (sent, clock.ElapsedTicks);
    }

    private static async Task<Verdicts> JudgeAsync(DiscordEmulator discord, Stopwatch clock, IReadOnlyList<Sample> samples, IReadOnlyList<SwapLoadSwap> swaps, TimeSpan inFlightSlack, CancellationToken cancellationToken)
    {
        long failed = 0, unanswered = 0, wrong = 0, v1 = 0, v2 = 0;
        var failures = new List<string>();
        foreach (var sample in samples)
        {
            SimulatedInteraction sent;
            long acknowledgedAt;
            try
            {
                (sent, acknowledgedAt) = await sample.Acknowledged.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                failed++;
                Note(failures, "delivery failed: " + ex.Message);
                continue;
            }

            if (sent.Delivery.HttpStatus != 200)
            {
                failed++;
                Note(failures, $"HTTP {sent.Delivery.HttpStatus}");
                continue;
            }

            // A deferred answer arrives later as an edit of @original: give each straggler (real time) a generous moment
            // of its own, counted from its acknowledgement, so waiting for one never eats another's time.
            var deadline = acknowledgedAt + (long)(AnswerWait.TotalSeconds * Stopwatch.Frequency);
            var version = Classify(discord.ResponseMessage(sent.Interaction.Id));
            while (version is null && clock.ElapsedTicks < deadline)
            {
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
                version = Classify(discord.ResponseMessage(sent.Interaction.Id));
            }

            switch (version)
            {
                case null:
                    unanswered++;
                    Note(failures, $"interaction {sent.Interaction.Id} unanswered {AnswerWait.TotalSeconds:F0} s after its acknowledgement: {Trace(discord, sent.Interaction.Id)}");
                    continue;
                case "error":
                    failed++;
                    Note(failures, $"interaction {sent.Interaction.Id} answered with an error: {Describe(discord.ResponseMessage(sent.Interaction.Id))}");
                    continue;
                case "2.0.0":
                    v2++;
                    break;
                default:
                    v1++;
                    break;
            }

            // Sent after a swap returned: only the new version may answer. Sent well before a swap began (more than the
            // slack an HTTP request may spend on its way): only the old one. In between, either.
            var slack = (long)(inFlightSlack.TotalSeconds * Stopwatch.Frequency);
            var ambiguous = swaps.Any(s => s.StartedAt - slack <= sample.SentAt && sample.SentAt < s.ReturnedAt);
            var expected = swaps.LastOrDefault(s => s.ReturnedAt <= sample.SentAt)?.Result.NewVersion ?? "1.0.0";
            if (!ambiguous && version != expected)
            {
                wrong++;
                Note(failures, $"interaction {sent.Interaction.Id} answered by {version}, expected {expected}");
            }
        }

        return new Verdicts(failed, unanswered, wrong, v1, v2, failures);
    }

    /// <summary>"1.0.0" or "2.0.0" for a proper SocialTasks answer, "error" for an error embed, null for none yet.</summary>
    private static string? Classify(EmulatedMessage? message)
    {
        if (message?.Embeds.FirstOrDefault() is not JsonObject embed)
        {
            return null;
        }

        var title = (string?)embed["title"] ?? string.Empty;
        if (!title.StartsWith("📋 Social Tasks", StringComparison.Ordinal) && !title.StartsWith("🎯 ", StringComparison.Ordinal))
        {
            return "error";
        }

        var fields = embed["fields"] as JsonArray ?? [];
        return fields.OfType<JsonObject>().Any(f => (string?)f["name"] == V2Field) ? "2.0.0" : "1.0.0";
    }

    private static string Describe(EmulatedMessage? message) =>
        message?.Embeds.FirstOrDefault() is JsonObject embed ? $"{(string?)embed["title"]}: {(string?)embed["description"]}" : message?.Content ?? "nothing";

    /// <summary>What the emulator saw of an interaction: its callbacks and the webhook requests made with its token.</summary>
    private static string Trace(DiscordEmulator discord, ulong interactionId)
    {
        var interaction = discord.Interaction(interactionId);
        var callbacks = string.Join(",", interaction.Callbacks.Select(c => $"type {c.Type} inline {c.Inline} accepted {c.Accepted}"));
        var requests = string.Join(",", discord.Requests.Where(r => r.Path.Contains(interaction.Token, StringComparison.Ordinal)).Select(r => $"{r.Method} {r.Template} {r.Status}"));
        return $"callbacks [{callbacks}] webhook requests [{requests}]";
    }

    private static void Note(List<string> failures, string text)
    {
        if (failures.Count < 20)
        {
            failures.Add(text);
        }
    }

    /// <summary>The process's memory after a full collection, without what the emulators keep of the traffic.</summary>
    private static (long Managed, long WorkingSet) Memory(DiscordEmulator discord, NafflesEmulator naffles)
    {
        discord.ForgetHistory();
        naffles.ForgetRequests();
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        var managed = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return (managed, process.WorkingSet64);
    }

    private sealed record World(ulong GuildId, ulong ChannelId, ulong PostId, EmulatedUser[] Users);

    private sealed record Sample(long SentAt, Task<(SimulatedInteraction Sent, long AcknowledgedAt)> Acknowledged);

    private sealed record Verdicts(long Failed, long Unanswered, long WrongVersion, long V1, long V2, IReadOnlyList<string> FailureSamples);
}
