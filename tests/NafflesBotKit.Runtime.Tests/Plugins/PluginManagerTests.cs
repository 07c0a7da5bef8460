using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Events;
using NafflesBotKit.Interactions;
using NafflesBotKit.Runtime.Plugins;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Runtime.Tests.Support;
using static NafflesBotKit.Runtime.Tests.Support.TestInteractions;

namespace NafflesBotKit.Runtime.Tests.Plugins;

public sealed class PluginManagerTests
{
    [Fact]
    public async Task LoadAsync_TwoPluginsWithDifferentLibraryVersions_EachSeesItsOwn()
    {
        await using var harness = new RuntimeHarness();
        Assert.NotNull(await harness.Plugins.LoadAsync(RuntimeHarness.PluginFolder("Alpha"), CancellationToken.None));
        Assert.NotNull(await harness.Plugins.LoadAsync(RuntimeHarness.PluginFolder("Beta"), CancellationToken.None));

        var alpha = await AskAsync(harness, "alpha-json");
        var beta = await AskAsync(harness, "beta-json");

        Assert.Equal("alpha", alpha.GetProperty("plugin").GetString());
        Assert.StartsWith("12.0.3", alpha.GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("13.0.4", beta.GetProperty("version").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAllAsync_LoadsEveryFixtureThatIsValid_AndReportsTheRest()
    {
        await using var harness = new RuntimeHarness();

        await harness.Plugins.LoadAllAsync(CancellationToken.None);

        var statuses = harness.Plugins.Statuses.ToDictionary(s => s.Id);
        Assert.Equal(PluginState.Active, statuses["test.alpha"].State);
        Assert.Equal(PluginState.Active, statuses["test.beta"].State);
        Assert.Equal(PluginState.Active, statuses["test.faulty"].State);
        Assert.Equal(PluginState.Failed, statuses["test.future"].State);
        Assert.Contains("supports SDK [2.0,3.0) but this host provides SDK 1.0.0", statuses["test.future"].Error, StringComparison.Ordinal);
        Assert.Equal(PluginState.Failed, statuses["test.clash"].State);
    }

    [Fact]
    public async Task LoadAsync_SdkRangeExcludesHost_IsRefusedWithClearReason()
    {
        await using var harness = new RuntimeHarness();

        var plugin = await harness.Plugins.LoadAsync(RuntimeHarness.PluginFolder("Future"), CancellationToken.None);

        Assert.Null(plugin);
        var status = Assert.Single(harness.Plugins.Statuses);
        Assert.Equal(("test.future", PluginState.Failed), (status.Id, status.State));
        Assert.Contains(harness.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("test.future", StringComparison.Ordinal));
        Assert.Empty(harness.Routes.Commands);
    }

    [Fact]
    public async Task LoadAsync_ClaimingAnotherPluginsCommandAndPrefix_IsRefusedNamingBoth()
    {
        await using var harness = new RuntimeHarness();
        await harness.Plugins.LoadAsync(RuntimeHarness.PluginFolder("Alpha"), CancellationToken.None);

        var clash = await harness.Plugins.LoadAsync(RuntimeHarness.PluginFolder("Clash"), CancellationToken.None);

        Assert.Null(clash);
        var error = harness.Plugins.Statuses.Single(s => s.Id == "test.clash").Error!;
        Assert.Contains("command '/alpha-json' is claimed by both 'test.alpha' and 'test.clash'", error, StringComparison.Ordinal);
        Assert.Contains("prefix 'alpha:' of 'test.clash'", error, StringComparison.Ordinal);
        Assert.Contains("of 'test.alpha' (alpha:echo:{value})", error, StringComparison.Ordinal);
        Assert.Contains("HTTP endpoint GET /alpha/hello/{who} of 'test.clash' is already served by 'test.alpha' (/alpha/hello/{name})", error, StringComparison.Ordinal);
        Assert.All(harness.Routes.Commands, c => Assert.Equal("test.alpha", c.PluginId));
    }

    [Fact]
    public async Task LoadAsync_SamePluginIdTwice_SecondIsRefused()
    {
        await using var harness = new RuntimeHarness();
        var copy = CopyFolder(RuntimeHarness.PluginFolder("Alpha"));
        await harness.Plugins.LoadAsync(RuntimeHarness.PluginFolder("Alpha"), CancellationToken.None);

        var second = await harness.Plugins.LoadAsync(copy, CancellationToken.None);

        Assert.Null(second);
        Assert.Contains(harness.Plugins.Statuses, s => s.State == PluginState.Failed && s.Error!.Contains("plugin id 'test.alpha' is already loaded", StringComparison.Ordinal));
        Assert.Single(harness.Plugins.Loaded);
    }

    [Fact]
    public async Task LoadAsync_FolderWithoutAssembly_ReportsIt()
    {
        await using var harness = new RuntimeHarness();
        var empty = Directory.CreateTempSubdirectory("nbk-empty-").FullName;

        Assert.Null(await harness.Plugins.LoadAsync(empty, CancellationToken.None));

        Assert.Contains("has no", Assert.Single(harness.Plugins.Statuses).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("load", "faulty plugin refuses to load")]
    [InlineData("start", "faulty plugin refuses to start")]
    public async Task LoadAsync_PluginThrowsOnLoadOrStart_IsSkippedAndOthersServe(string failOn, string reason)
    {
        await using var harness = new RuntimeHarness(new Dictionary<string, string?> { ["Plugins:Settings:test.faulty:FailOn"] = failOn });

        await harness.Plugins.LoadAllAsync(CancellationToken.None);

        var faulty = harness.Plugins.Statuses.Single(s => s.Id == "test.faulty");
        Assert.Equal(PluginState.Failed, faulty.State);
        Assert.Contains(reason, faulty.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Routes.Commands, c => c.Name == "faulty-boom");
        Assert.Equal("alpha", (await AskAsync(harness, "alpha-json")).GetProperty("plugin").GetString());
    }

    [Fact]
    public async Task Dispatch_PluginHandlerThrows_UserGetsErrorAndOtherPluginsKeepServing()
    {
        await using var harness = new RuntimeHarness();
        await harness.Plugins.LoadAllAsync(CancellationToken.None);
        var responder = new RecordingResponder();

        var outcome = await harness.Router.DispatchAsync(Command("faulty-boom"), responder, CancellationToken.None);

        Assert.Equal(DispatchOutcome.Failed, outcome);
        Assert.StartsWith("❌", responder.Single().Message!.Embeds[0].Title, StringComparison.Ordinal);
        Assert.Equal("beta", (await AskAsync(harness, "beta-json")).GetProperty("plugin").GetString());
    }

    [Fact]
    public async Task LoadAllAsync_EnableList_LoadsOnlyListedPlugins()
    {
        await using var harness = new RuntimeHarness(new Dictionary<string, string?> { ["Plugins:Enabled:0"] = "test.beta" });

        await harness.Plugins.LoadAllAsync(CancellationToken.None);

        Assert.Equal(["test.beta"], harness.Plugins.Loaded.Select(p => p.Manifest.Id));
        Assert.Equal(["beta-json"], harness.Routes.Commands.Select(c => c.Name));
    }

    [Fact]
    public async Task LoadAllAsync_DisabledList_SkipsPlugin()
    {
        await using var harness = new RuntimeHarness(new Dictionary<string, string?>
        {
            ["Plugins:Disabled:0"] = "test.alpha",
            ["Plugins:Disabled:1"] = "NafflesBotKit.TestPlugins.Clash",
        });

        await harness.Plugins.LoadAllAsync(CancellationToken.None);

        Assert.DoesNotContain(harness.Plugins.Statuses, s => s.Id is "test.alpha" or "test.clash");
        Assert.Contains(harness.Plugins.Loaded, p => p.Manifest.Id == "test.beta");
    }

    [Fact]
    public async Task UnloadAsync_FreesTheLoadContext()
    {
        await using var harness = new RuntimeHarness();
        var context = await LoadUseAndUnloadAsync(harness);

        for (var i = 0; i < 20 && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(25);
        }

        Assert.False(context.IsAlive, "the plugin's load context was not collected after unload");
        Assert.Empty(harness.Routes.Commands);
        Assert.Equal(0, harness.Bus.SubscriberCount<GuildJoined>());
    }

    [Fact]
    public async Task Unload_RemovesRoutesAndEventSubscriptions()
    {
        await using var harness = new RuntimeHarness();
        await harness.Plugins.LoadAsync(RuntimeHarness.PluginFolder("Alpha"), CancellationToken.None);
        Assert.Equal(1, harness.Bus.SubscriberCount<GuildJoined>());

        await harness.Plugins.UnloadAsync("test.alpha", CancellationToken.None);

        Assert.Equal(0, harness.Bus.SubscriberCount<GuildJoined>());
        var responder = new RecordingResponder();
        Assert.Equal(DispatchOutcome.Unknown, await harness.Router.DispatchAsync(Command("alpha-json"), responder, CancellationToken.None));
        Assert.Equal(DispatchOutcome.Unknown, await harness.Router.DispatchAsync(Button("alpha:echo:x"), responder, CancellationToken.None));
    }

    [Fact]
    public async Task IsolatedPlugin_ButtonCaptureReachesHandler()
    {
        await using var harness = new RuntimeHarness();
        await harness.Plugins.LoadAsync(RuntimeHarness.PluginFolder("Alpha"), CancellationToken.None);
        var responder = new RecordingResponder();

        await harness.Router.DispatchAsync(Button("alpha:echo:hello"), responder, CancellationToken.None);

        Assert.Equal("echo hello", responder.Single().Message!.Content);
    }

    [Fact]
    public async Task HttpEndpoint_AppearsWithPluginAndDisappearsOnUnload()
    {
        await using var harness = new RuntimeHarness();
        var dispatcher = harness.Services.GetRequiredService<PluginHttpDispatcher>();
        Assert.Null(dispatcher.Match("GET", "/alpha/hello/world"));
        await harness.Plugins.LoadAsync(RuntimeHarness.PluginFolder("Alpha"), CancellationToken.None);

        var match = dispatcher.Match("GET", "/alpha/hello/w%C3%B6rld");
        Assert.NotNull(match);
        var response = await dispatcher.InvokeAsync(match, new NafflesBotKit.Http.PluginHttpRequest { Method = "GET", Path = "/alpha/hello/w%C3%B6rld", RouteValues = match.RouteValues }, CancellationToken.None);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("hello wörld", System.Text.Encoding.UTF8.GetString(response.Body.Span));
        Assert.Null(dispatcher.Match("POST", "/alpha/hello/world"));
        Assert.True(dispatcher.PathExists("/alpha/hello/world"));

        await harness.Plugins.UnloadAsync("test.alpha", CancellationToken.None);

        Assert.Null(dispatcher.Match("GET", "/alpha/hello/world"));
        Assert.False(dispatcher.PathExists("/alpha/hello/world"));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> LoadUseAndUnloadAsync(RuntimeHarness harness)
    {
        var plugin = await harness.Plugins.LoadAsync(RuntimeHarness.PluginFolder("Alpha"), CancellationToken.None);
        Assert.NotNull(plugin);
        Assert.True(plugin.IsIsolated);
        await AskAsync(harness, "alpha-json");
        await harness.Router.DispatchAsync(Button("alpha:echo:x"), new RecordingResponder(), CancellationToken.None);
        var sum = new RecordingResponder();
        await harness.Router.DispatchAsync(Command("alpha-add", [Opt("a", CommandOptionType.Integer, 2L), Opt("b", CommandOptionType.Integer, 3L)]), sum, CancellationToken.None);
        Assert.Equal("sum 5", sum.Single().Message!.Content);
        await harness.Bus.PublishAsync(new GuildJoined(new DiscordGuild(1, "g", 2)));
        var context = await harness.Plugins.UnloadAsync("test.alpha", CancellationToken.None);
        Assert.Equal(PluginState.Unloaded, plugin.State);
        return context!;
    }

    private static async Task<JsonElement> AskAsync(RuntimeHarness harness, string command)
    {
        var responder = new RecordingResponder();
        var outcome = await harness.Router.DispatchAsync(Command(command), responder, CancellationToken.None);
        Assert.Equal(DispatchOutcome.Handled, outcome);
        return JsonDocument.Parse(responder.Single().Message!.Content!).RootElement.Clone();
    }

    private static string CopyFolder(string source)
    {
        var target = Path.Combine(Directory.CreateTempSubdirectory("nbk-copy-").FullName, Path.GetFileName(source));
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }
}
