using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NafflesBotKit.Interactions;
using NafflesBotKit.Plugins.Diagnostics;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Runtime.Tests.Support;
using static NafflesBotKit.Runtime.Tests.Support.TestInteractions;

namespace NafflesBotKit.Runtime.Tests.Plugins;

public sealed class OperatorCommandTests : IAsyncLifetime
{
    private static readonly DiscordUser OperatorUser = new(444444444444444444, "operator");
    private readonly string _root = Directory.CreateTempSubdirectory("nbk-ops-").FullName;
    private RuntimeHarness _harness = null!;

    public async Task InitializeAsync()
    {
        CopyVersion("v1", "1.0.0");
        _harness = new RuntimeHarness(
            new Dictionary<string, string?>
            {
                ["Plugins:Path"] = _root,
                ["Storage:Path"] = Path.Combine(_root, "store.db"),
                ["Admin:OwnerIds:0"] = OperatorUser.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            configure: s => s.AddNafflesBotServices(s.BuildServiceProvider().GetRequiredService<IConfiguration>()));
        await _harness.Plugins.LoadAllAsync(CancellationToken.None);
        Assert.NotNull(await _harness.Plugins.AddInProcessAsync(new DiagnosticsPlugin(), CancellationToken.None));
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task PluginsList_NotAnOperator_IsRefused()
    {
        var sent = await RunAsync(Command("naffles-admin", [Group("plugins", Sub("list"))]));

        Assert.Equal("❌ Operators only", Assert.Single(sent).Message!.Embeds[0].Title);
    }

    [Fact]
    public async Task PluginsList_Operator_ShowsVersionsAndStates()
    {
        var sent = await RunAsync(AsOperator(Command("naffles-admin", [Group("plugins", Sub("list"))])));

        var description = Assert.Single(sent).Message!.Embeds[0].Description!;
        Assert.Contains("**test.swappy** 1.0.0 — Active", description, StringComparison.Ordinal);
        Assert.Contains("**naffles.diagnostics** 1.0.0 — Active", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PluginsReload_Operator_SwapsToNewestVersionAndReports()
    {
        CopyVersion("v2", "2.0.0");

        var sent = await RunAsync(AsOperator(Command("naffles-admin", [Group("plugins", Sub("reload", Opt("plugin", CommandOptionType.String, "test.swappy")))])));

        Assert.Equal("edit-original", sent[^1].Kind);
        Assert.Contains("1.0.0 -> 2.0.0", sent[^1].Message!.Embeds[0].Description, StringComparison.Ordinal);
        Assert.Equal("swappy 2.0.0", (await RunAsync(Command("swappy")))[0].Message!.Content);
    }

    [Fact]
    public async Task PluginsServer_Off_OnlyThatServerSeesNotEnabled()
    {
        var sent = await RunAsync(AsOperator(Command("naffles-admin", [Group("plugins", Sub("server", Opt("plugin", CommandOptionType.String, "test.swappy"), Opt("enabled", CommandOptionType.Boolean, false)))])));
        Assert.Contains("now off", sent[0].Message!.Embeds[0].Description, StringComparison.Ordinal);

        var here = await RunAsync(Command("swappy"));
        var elsewhere = await RunAsync(Command("swappy") with { GuildId = GuildId + 1 });

        Assert.Equal("❌ Not enabled here", here[0].Message!.Embeds[0].Title);
        Assert.Equal("swappy 1.0.0", elsewhere[0].Message!.Content);
    }

    [Fact]
    public async Task Autocomplete_SuggestsPlugins()
    {
        var sent = await RunAsync(AsOperator(Command("naffles-admin", [Group("plugins", Sub("reload", new CommandOptionValue("plugin", CommandOptionType.String, "swa", Focused: true)))], type: InteractionType.ApplicationCommandAutocomplete)));

        Assert.Equal("test.swappy", Assert.Single(sent[0].Response!.Choices!).Value);
    }

    private static Interaction AsOperator(Interaction interaction) => interaction with { User = OperatorUser };

    private async Task<IReadOnlyList<SentResponse>> RunAsync(Interaction interaction)
    {
        var responder = new RecordingResponder();
        var outcome = await _harness.Router.DispatchAsync(interaction, responder, CancellationToken.None);
        Assert.NotEqual(DispatchOutcome.Failed, outcome);
        return responder.Sent;
    }

    private void CopyVersion(string variant, string version)
    {
        var source = RuntimeHarness.SwappyFolder(variant);
        var target = Path.Combine(_root, "NafflesBotKit.TestPlugins.Swappy", version);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}
