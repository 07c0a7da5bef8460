using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Runtime.Plugins;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Benchmarks;

/// <summary>
/// Load harness for hot swap: a steady stream of interactions (default 400/s, commands and buttons) runs through the
/// router while a plugin is swapped v1 -> v2 -> v1 ten times. Reports failed/unanswered interactions (must be 0),
/// swap times (p50/p99), in-flight drained, whether every old load context was collected, and memory against the
/// baseline. Run: <c>dotnet run -c Release --project bench/NafflesBotKit.Benchmarks -- swap-load [rate] [swaps]</c>.
/// </summary>
internal static class SwapLoadHarness
{
    private static readonly string VersionsDir = typeof(SwapLoadHarness).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestPluginVersionsDir").Value!;

    public static async Task<int> RunAsync(string[] args)
    {
        var rate = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
        var swaps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Plugins:Path"] = Path.GetTempPath() }).Build();
        await using var services = new ServiceCollection().AddNafflesBotRuntime(configuration).BuildServiceProvider();
        var plugins = services.GetRequiredService<PluginManager>();
        var router = services.GetRequiredService<InteractionRouter>();
        var v1 = Path.Combine(VersionsDir, "swappy-v1", "NafflesBotKit.TestPlugins.Swappy");
        var v2 = Path.Combine(VersionsDir, "swappy-v2", "NafflesBotKit.TestPlugins.Swappy");
        _ = await plugins.LoadAsync(v1, CancellationToken.None) ?? throw new InvalidOperationException("v1 did not load");

        // Warm up, then take the memory baseline.
        await SendAsync(router, 0, 2000);
        var baseline = FullGcMemory();

        var counters = new Counters();
        using var stop = new CancellationTokenSource();
        var stream = Task.Run(() => StreamAsync(router, rate, counters, stop.Token));
        await Task.Delay(1000);
        var results = new List<PluginSwapResult>();
        for (var i = 0; i < swaps; i++)
        {
            var result = await plugins.SwapAsync("test.swappy", i % 2 == 0 ? v2 : v1, CancellationToken.None);
            results.Add(result);
            if (!result.Succeeded)
            {
                Console.Error.WriteLine($"swap {i} failed: {result.Error}");
            }

            await Task.Delay(500);
        }

        await stop.CancelAsync();
        await stream;
        var after = FullGcMemory();
        var switchMs = results.Select(r => r.SwitchedAfter.TotalMilliseconds).Order().ToArray();
        var totalMs = results.Select(r => r.Duration.TotalMilliseconds).Order().ToArray();
        var elapsed = counters.Elapsed.Elapsed.TotalSeconds;

        Console.WriteLine("| Metric | Value |");
        Console.WriteLine("|---|---:|");
        Row("Interactions sent", counters.Sent.ToString(CultureInfo.InvariantCulture));
        Row("Achieved rate (interactions/s)", (counters.Sent / elapsed).ToString("F0", CultureInfo.InvariantCulture));
        Row("Failed or unanswered", (counters.Failed + (counters.Sent - counters.Answered)).ToString(CultureInfo.InvariantCulture));
        Row("Answered by v1 / v2", $"{counters.ByVersion.GetValueOrDefault("1.0.0")} / {counters.ByVersion.GetValueOrDefault("2.0.0")}");
        Row("Swaps succeeded", $"{results.Count(r => r.Succeeded)} / {results.Count}");
        Row("Old load contexts collected", $"{results.Count(r => r.OldContextCollected)} / {results.Count}");
        Row("Time to switch p50 / p99 (ms)", $"{Percentile(switchMs, 0.5):F1} / {Percentile(switchMs, 0.99):F1}");
        Row("Swap incl. drain + unload p50 / p99 (ms)", $"{Percentile(totalMs, 0.5):F1} / {Percentile(totalMs, 0.99):F1}");
        Row("In-flight at switch (drained), max / total", $"{results.Max(r => r.InFlightAtSwitch)} / {results.Sum(r => r.InFlightAtSwitch)}");
        Row("Managed memory baseline -> after (MiB)", $"{baseline / 1048576.0:F1} -> {after / 1048576.0:F1}");
        return counters.Failed == 0 && counters.Sent == counters.Answered && results.All(r => r.Succeeded && r.OldContextCollected) ? 0 : 1;

        static void Row(string name, string value) => Console.WriteLine($"| {name} | {value} |");
    }

    private static async Task StreamAsync(InteractionRouter router, int rate, Counters counters, CancellationToken stop)
    {
        // Ticks of 10 ms, each releasing rate/100 interactions without waiting for earlier ones.
        var perTick = Math.Max(1, rate / 100);
        var inFlight = new List<Task>();
        counters.Elapsed.Start();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                for (var i = 0; i < perTick; i++)
                {
                    var n = Interlocked.Increment(ref counters.Sent);
                    inFlight.Add(DispatchOneAsync(router, n, counters));
                }

                inFlight.RemoveAll(t => t.IsCompleted);
            }
        }
        catch (OperationCanceledException)
        {
        }

        counters.Elapsed.Stop();
        await Task.WhenAll(inFlight);
    }

    private static async Task DispatchOneAsync(InteractionRouter router, long n, Counters counters)
    {
        var responder = new CountingResponder();
        var outcome = await router.DispatchAsync(Interaction(n), responder, CancellationToken.None).ConfigureAwait(false);
        if (outcome != DispatchOutcome.Handled)
        {
            Interlocked.Increment(ref counters.Failed);
        }

        if (responder.Content is { } content)
        {
            Interlocked.Increment(ref counters.Answered);
            counters.ByVersion.AddOrUpdate(content.Contains("2.0.0", StringComparison.Ordinal) ? "2.0.0" : "1.0.0", 1, (_, c) => c + 1);
        }
    }

    private static async Task SendAsync(InteractionRouter router, long from, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await router.DispatchAsync(Interaction(from + i), new CountingResponder(), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static Interaction Interaction(long n)
    {
        var user = new DiscordUser(333333333333333333, "load");
        var baseInteraction = new Interaction { Id = (ulong)n + 1, ApplicationId = 2, Type = InteractionType.ApplicationCommand, Token = "t", User = user, GuildId = 10, ChannelId = 11, Member = new InteractionMember(Permissions.None, []), Command = new CommandInteractionData { Name = "swappy" } };
        return n % 2 == 0
            ? baseInteraction
            : baseInteraction with { Type = InteractionType.MessageComponent, Command = null, Component = new ComponentInteractionData($"swappy:btn:{n}", 2, []) };
    }

    private static long FullGcMemory()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private sealed class Counters
    {
        public long Sent;
        public long Answered;
        public long Failed;
        public readonly ConcurrentDictionary<string, long> ByVersion = new(StringComparer.Ordinal);
        public readonly Stopwatch Elapsed = new();
    }

    private sealed class CountingResponder : IInteractionResponder
    {
        public string? Content { get; private set; }

        public ValueTask RespondAsync(Interaction interaction, InteractionResponse response, CancellationToken cancellationToken)
        {
            Content = response.Message?.Content;
            return ValueTask.CompletedTask;
        }

        public ValueTask EditOriginalAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken)
        {
            Content = message.Content;
            return ValueTask.CompletedTask;
        }

        public ValueTask DeleteOriginalAsync(Interaction interaction, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<ulong> CreateFollowupAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken) => ValueTask.FromResult(1UL);

        public ValueTask EditFollowupAsync(Interaction interaction, ulong messageId, MessagePayload message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
