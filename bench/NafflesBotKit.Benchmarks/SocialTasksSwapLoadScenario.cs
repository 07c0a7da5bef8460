using System.Globalization;
using System.Reflection;
using NafflesBotKit.LoadTesting;

namespace NafflesBotKit.Benchmarks;

/// <summary>
/// The F7 load test at full size: signed HTTP interactions through the Discord emulator at a steady rate (default 250/s)
/// while the real SocialTasks plugin is swapped 1.0.0 -> 2.0.0 -> 1.0.0 ten times. Prints the Markdown table for
/// docs/performance.md; exit code 1 when an interaction failed or went unanswered, a version answered after it was
/// replaced, a swap failed or an old load context leaked. Run:
/// <c>dotnet run -c Release --project bench/NafflesBotKit.Benchmarks -- swap-load-socialtasks [rate] [swaps] [seconds-between] [seconds-idle-before-the-last-memory-reading]</c>.
/// </summary>
internal static class SocialTasksSwapLoadScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rate = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 250;
        var swaps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var between = TimeSpan.FromSeconds(args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 2);
        var settle = TimeSpan.FromSeconds(args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 45);
        var attributes = typeof(SocialTasksSwapLoadScenario).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToList();
        var plugins = attributes.Single(a => a.Key == "BotPluginsDir").Value!;
        var versions = attributes.Single(a => a.Key == "TestPluginVersionsDir").Value!;
        var report = await SocialTasksSwapLoad.RunAsync(new SwapLoadSettings(
            Path.Combine(plugins, "NafflesBotKit.Plugins.SocialTasks"),
            Path.Combine(versions, "social-tasks-v2", "NafflesBotKit.Plugins.SocialTasks"),
            rate,
            swaps,
            between,
            settle));
        Console.WriteLine(report.ToMarkdown());
        foreach (var failure in report.FailureSamples)
        {
            Console.Error.WriteLine(failure);
        }

        Console.WriteLine(report.Passed ? "PASSED" : "FAILED");
        return report.Passed ? 0 : 1;
    }
}
