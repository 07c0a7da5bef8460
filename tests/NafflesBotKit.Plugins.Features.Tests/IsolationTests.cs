using System.Runtime.CompilerServices;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Plugins.Features.Tests.Support;
using static NafflesBotKit.Plugins.Features.Tests.Support.TestInteractions;

namespace NafflesBotKit.Plugins.Features.Tests;

/// <summary>The three plugins as a host runs them: each from its own folder, in its own collectible load context.</summary>
public sealed class IsolationTests
{
    private static string Folder(string name) => Path.Combine(FeatureHarness.BotPluginsDir, name);

    [Fact]
    public async Task EachPluginLoadsFromItsFolder_TheyCooperateThroughTheSdkOnly_AndUnload()
    {
        await using var h = await FeatureHarness.StartAsync([]);
        foreach (var name in new[] { "NafflesBotKit.Plugins.Communities", "NafflesBotKit.Plugins.SocialTasks", "NafflesBotKit.Plugins.Allowlists" })
        {
            Assert.NotNull(await h.Plugins.LoadAsync(Folder(name), CancellationToken.None));
        }

        var help = await h.DispatchAsync(Command("naffles-help", Member, Permissions.None));
        var topics = help.LastMessage.Components.SelectMany(c => c.Components).OfType<SelectMenu>().Single().Options.Select(o => o.Value);
        Assert.Equal(["linking", "tasks", "allowlists", "troubleshooting"], topics);

        var alive = await UnloadAsync(h, "naffles.allowlists");
        for (var i = 0; i < 20 && alive.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Yield();
        }

        Assert.False(alive.IsAlive, "the allowlists plugin's load context was not collected");
        var after = await h.DispatchAsync(Command("naffles-help", Member, Permissions.None));
        Assert.DoesNotContain("allowlists", after.LastMessage.Components.SelectMany(c => c.Components).OfType<SelectMenu>().Single().Options.Select(o => o.Value));
        var connect = await h.DispatchAsync(Command("naffles-connect-allowlist", Admin, Permissions.ManageGuild, Str("allowlist_id", "a1")));
        Assert.StartsWith("❌", connect.LastEmbed.Title); // unknown command now, answered gracefully
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> UnloadAsync(FeatureHarness h, string id) =>
        (await h.Plugins.UnloadAsync(id, CancellationToken.None))!;
}
