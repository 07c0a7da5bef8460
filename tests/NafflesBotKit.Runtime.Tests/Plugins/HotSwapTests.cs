using Microsoft.Extensions.DependencyInjection;
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

public sealed class VersionFolderTests
{
    [Fact]
    public async Task LoadAll_VersionedLayout_RunsNewestVersion()
    {
        var root = NewPluginsRoot();
        CopyVersion(root, "v1", "1.0.0");
        CopyVersion(root, "v2", "2.0.0");
        await using var harness = new RuntimeHarness(new Dictionary<string, string?> { ["Plugins:Path"] = root });

        await harness.Plugins.LoadAllAsync(CancellationToken.None);

        Assert.Equal("2.0.0", Assert.Single(harness.Plugins.Loaded).Manifest.Version);
    }

    [Fact]
    public async Task RescanAsync_NewerVersionDropped_SwapsToIt_BrokenOneIsRefusedOnce()
    {
        var root = NewPluginsRoot();
        CopyVersion(root, "v1", "1.0.0");
        await using var harness = new RuntimeHarness(new Dictionary<string, string?> { ["Plugins:Path"] = root });
        await harness.Plugins.LoadAllAsync(CancellationToken.None);
        Assert.Empty(await harness.Plugins.RescanAsync(CancellationToken.None));

        CopyVersion(root, "v2", "2.0.0");
        var swapped = Assert.Single(await harness.Plugins.RescanAsync(CancellationToken.None));
        Assert.True(swapped.Succeeded, swapped.Error);
        Assert.Equal("2.0.0", Assert.Single(harness.Plugins.Loaded).Manifest.Version);

        CopyVersion(root, "v2throws", "3.0.0");
        var refused = Assert.Single(await harness.Plugins.RescanAsync(CancellationToken.None));
        Assert.False(refused.Succeeded);
        Assert.Equal("2.0.0", Assert.Single(harness.Plugins.Loaded).Manifest.Version);
        Assert.Empty(await harness.Plugins.RescanAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Watcher_VersionDroppedIntoFolder_IsSwappedInWithoutRestart()
    {
        var root = NewPluginsRoot();
        CopyVersion(root, "v1", "1.0.0");
        await using var harness = new RuntimeHarness(new Dictionary<string, string?>
        {
            ["Plugins:Path"] = root,
            ["Plugins:WatchDebounce"] = "00:00:00.300",
            ["Plugins:RescanInterval"] = "00:10:00", // so only a change notification can trigger the swap in time
        });
        var hosted = harness.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        try
        {
            Assert.Equal("1.0.0", Assert.Single(harness.Plugins.Loaded).Manifest.Version);
            for (var i = 0; i < 200 && !harness.Logs.Entries.Any(e => e.Message.StartsWith("Watching", StringComparison.Ordinal)); i++)
            {
                await Task.Delay(50);
            }

            CopyVersion(root, "v2", "2.0.0");

            for (var i = 0; i < 200 && harness.Plugins.Loaded.FirstOrDefault()?.Manifest.Version != "2.0.0"; i++)
            {
                await Task.Delay(100);
            }

            Assert.True(harness.Plugins.Loaded.FirstOrDefault()?.Manifest.Version == "2.0.0", string.Join("\n", harness.Logs.Entries.Select(e => e.Category + ": " + e.Message)));
            Assert.Equal("2.0.0", Assert.Single(harness.Plugins.Loaded).Manifest.Version);
        }
        finally
        {
            foreach (var service in hosted.AsEnumerable().Reverse())
            {
                await service.StopAsync(CancellationToken.None);
            }
        }
    }

    private static string NewPluginsRoot() => Directory.CreateTempSubdirectory("nbk-plugins-").FullName;

    private static void CopyVersion(string root, string variant, string version)
    {
        var source = RuntimeHarness.SwappyFolder(variant);
        var staging = Path.Combine(root, ".staging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
        }

        // Appear atomically, as an operator's deploy script would do it (copy aside, then rename).
        var target = Path.Combine(root, "NafflesBotKit.TestPlugins.Swappy", version);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        Directory.Move(staging, target);
    }
}
