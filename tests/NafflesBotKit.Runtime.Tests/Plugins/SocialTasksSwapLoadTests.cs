using System.Reflection;
using NafflesBotKit.LoadTesting;

namespace NafflesBotKit.Runtime.Tests.Plugins;

/// <summary>
/// The reduced F7 load test for CI: the real SocialTasks plugin swapped 1.0.0 -> 2.0.0 -> 1.0.0 while signed HTTP
/// interactions stream through the Discord emulator into the real router. The full ten-swap run is the bench scenario
/// <c>swap-load-socialtasks</c> (numbers in docs/performance.md); no timing is asserted here.
/// </summary>
public sealed class SocialTasksSwapLoadTests
{
    private static readonly IReadOnlyList<AssemblyMetadataAttribute> Paths =
        [.. typeof(SocialTasksSwapLoadTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()];

    [Fact]
    public async Task SocialTasks_SwappedTwiceUnderLoad_NoInteractionFails_AnswersSwitch_OldContextsCollected()
    {
        var report = await SocialTasksSwapLoad.RunAsync(new SwapLoadSettings(
            Path.Combine(Dir("BotPluginsDir"), "NafflesBotKit.Plugins.SocialTasks"),
            Path.Combine(Dir("TestPluginVersionsDir"), "social-tasks-v2", "NafflesBotKit.Plugins.SocialTasks"),
            Rate: 100,
            Swaps: 2,
            Between: TimeSpan.FromSeconds(1.5),
            Settle: TimeSpan.Zero,
            InFlightSlack: TimeSpan.FromSeconds(1)));

        var detail = report.ToMarkdown() + Environment.NewLine + string.Join(Environment.NewLine, report.FailureSamples);
        Assert.True(report.Sent > 300, detail);
        Assert.True(report.Failed == 0 && report.Unanswered == 0, detail);
        Assert.True(report.WrongVersionAfterSwap == 0, detail);
        Assert.True(report.AnsweredByV1 > 0 && report.AnsweredByV2 > 0, detail);
        Assert.Equal(["2.0.0", "1.0.0"], report.Swaps.Select(s => s.Result.NewVersion));
        Assert.All(report.Swaps, s => Assert.True(s.Result.Succeeded && s.Result.OldContextCollected, detail + Environment.NewLine + s.Result.Error));
    }

    private static string Dir(string key) => Paths.Single(a => a.Key == key).Value!;
}
