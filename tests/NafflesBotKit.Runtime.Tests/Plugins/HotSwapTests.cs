using NafflesBotKit.Interactions;
using NafflesBotKit.Runtime.Plugins;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Runtime.Tests.Support;
using static NafflesBotKit.Runtime.Tests.Support.TestInteractions;

namespace NafflesBotKit.Runtime.Tests.Plugins;

public sealed class HotSwapTests
{
    [Fact]
    public async Task SwapAsync_V1ToV2_NewVersionAnswersOldButtonsKeepWorkingOldContextCollected()
    {
        await using var harness = new RuntimeHarness();
        Assert.NotNull(await harness.Plugins.LoadAsync(RuntimeHarness.SwappyFolder("v1"), CancellationToken.None));
        Assert.Equal("swappy 1.0.0", await AskAsync(harness, Command("swappy")));

        var result = await harness.Plugins.SwapAsync("test.swappy", RuntimeHarness.SwappyFolder("v2"), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(("1.0.0", "2.0.0"), (result.OldVersion, result.NewVersion));
        Assert.True(result.OldContextCollected, "the old version's load context leaked");
        Assert.Equal("swappy 2.0.0", await AskAsync(harness, Command("swappy")));
        Assert.Equal("button 7 by 2.0.0", await AskAsync(harness, Button("swappy:btn:7")));
        Assert.Equal("new in 2.0.0", await AskAsync(harness, Command("swappy-new")));
        var status = Assert.Single(harness.Plugins.Statuses);
        Assert.Equal(("2.0.0", PluginState.Active), (status.Version, status.State));
        Assert.Equal(RuntimeHarness.SwappyFolder("v1"), harness.Plugins.PreviousFolder("test.swappy"));
    }

    [Fact]
    public async Task RollbackAsync_AfterSwap_ReturnsToPreviousVersion_AndBackAgain()
    {
        await using var harness = new RuntimeHarness();
        await harness.Plugins.LoadAsync(RuntimeHarness.SwappyFolder("v1"), CancellationToken.None);
        await harness.Plugins.SwapAsync("test.swappy", RuntimeHarness.SwappyFolder("v2"), CancellationToken.None);

        var back = await harness.Plugins.RollbackAsync("test.swappy", CancellationToken.None);

        Assert.True(back.Succeeded, back.Error);
        Assert.Equal("swappy 1.0.0", await AskAsync(harness, Command("swappy")));
        Assert.Equal(DispatchOutcome.Unknown, await harness.Router.DispatchAsync(Command("swappy-new"), new RecordingResponder(), CancellationToken.None));
        var forward = await harness.Plugins.RollbackAsync("test.swappy", CancellationToken.None);
        Assert.True(forward.Succeeded, forward.Error);
        Assert.Equal("swappy 2.0.0", await AskAsync(harness, Command("swappy")));
    }

    [Theory]
    [InlineData("v2throws", "this version refuses to start")]
    [InlineData("v2nosdk", "no SDK version range")]
    [InlineData("v2dropsbutton", "drops custom id 'swappy:btn:{n}'")]
    public async Task SwapAsync_BrokenVersion_NeverReplacesRunningOne(string variant, string reason)
    {
        await using var harness = new RuntimeHarness();
        await harness.Plugins.LoadAsync(RuntimeHarness.SwappyFolder("v1"), CancellationToken.None);

        var result = await harness.Plugins.SwapAsync("test.swappy", RuntimeHarness.SwappyFolder(variant), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Equal("swappy 1.0.0", await AskAsync(harness, Command("swappy")));
        Assert.Equal("button 1 by 1.0.0", await AskAsync(harness, Button("swappy:btn:1")));
        var status = Assert.Single(harness.Plugins.Statuses);
        Assert.Equal(("1.0.0", PluginState.Active), (status.Version, status.State));
        Assert.Null(harness.Plugins.PreviousFolder("test.swappy"));
    }

    [Fact]
    public async Task SwapAsync_FolderHoldsAnotherPlugin_IsRefused()
    {
        await using var harness = new RuntimeHarness();
        await harness.Plugins.LoadAsync(RuntimeHarness.SwappyFolder("v1"), CancellationToken.None);

        var result = await harness.Plugins.SwapAsync("test.swappy", RuntimeHarness.PluginFolder("Beta"), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("holds plugin 'test.beta', not 'test.swappy'", result.Error, StringComparison.Ordinal);
        Assert.Equal("swappy 1.0.0", await AskAsync(harness, Command("swappy")));
    }

    [Fact]
    public async Task SwapAsync_UnderConcurrentTraffic_EveryInteractionIsAnswered()
    {
        await using var harness = new RuntimeHarness();
        await harness.Plugins.LoadAsync(RuntimeHarness.SwappyFolder("v1"), CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var answers = new System.Collections.Concurrent.ConcurrentBag<string>();
        var failures = 0;
        var traffic = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested && i < 100_000)
            {
                var responder = new RecordingResponder();
                var interaction = i++ % 2 == 0 ? Command("swappy") : Button($"swappy:btn:{worker}");
                var outcome = await harness.Router.DispatchAsync(interaction, responder, CancellationToken.None);
                if (outcome != DispatchOutcome.Handled || responder.Sent.Count != 1)
                {
                    Interlocked.Increment(ref failures);
                }
                else
                {
                    answers.Add(responder.Sent[0].Message!.Content!);
                }
            }
        })).ToList();

        for (var swap = 0; swap < 6; swap++)
        {
            var result = await harness.Plugins.SwapAsync("test.swappy", RuntimeHarness.SwappyFolder(swap % 2 == 0 ? "v2" : "v1"), CancellationToken.None);
            Assert.True(result.Succeeded, result.Error);
            Assert.True(result.OldContextCollected, $"swap {swap}: old load context leaked");
        }

        await stop.CancelAsync();
        await Task.WhenAll(traffic);
        Assert.Equal(0, failures);
        Assert.Contains(answers, a => a.Contains("2.0.0", StringComparison.Ordinal));
        Assert.Equal("swappy 1.0.0", await AskAsync(harness, Command("swappy")));
    }

    private static async Task<string> AskAsync(RuntimeHarness harness, Interaction interaction)
    {
        var responder = new RecordingResponder();
        Assert.Equal(DispatchOutcome.Handled, await harness.Router.DispatchAsync(interaction, responder, CancellationToken.None));
        return responder.Single().Message!.Content!;
    }
}
