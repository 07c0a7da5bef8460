using System.Globalization;
using System.Text.Json.Nodes;
using NafflesBotKit.Interactions;
using NafflesBotKit.Testing.Discord;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Host.Tests.FeatureFlows;

/// <summary>
/// Guild join and leave through the real host on the gateway (GUILD_CREATE / GUILD_DELETE from the gateway emulator;
/// interactions as INTERACTION_CREATE, answered through the REST callback).
/// </summary>
[Collection(Name)]
public sealed class GuildLifecycleFlowTests(GuildLifecycleFlowTests.Fixture fixture)
{
    public const string Name = "gateway-host";

    private readonly FeatureHost _host = fixture.Host;

    [Fact]
    public async Task GuildJoined_PostsSetupMessageInSystemChannel()
    {
        var guild = _host.UnlinkedGuild();

        await JoinAsync(guild, guild.ChannelId, [guild.ChannelId]);

        await FeatureHost.EventuallyAsync(() => _host.Discord.LastMessage(guild.ChannelId) is not null, "setup message");
        var setup = _host.Discord.LastMessage(guild.ChannelId)!;
        Assert.Contains("Welcome to Naffles", (string?)setup.Embeds[0]?["title"], StringComparison.Ordinal);
        Assert.Contains("/naffles-link-community", setup.Embeds.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GuildJoined_SystemChannelClosedToBot_PostsInFirstWritableChannel()
    {
        var guild = _host.UnlinkedGuild();
        var general = _host.Discord.AddChannel(guild.Id);
        _host.Discord.Guild(guild.Id).BotPermissions = Permissions.ViewChannel | Permissions.SendMessages | Permissions.EmbedLinks;
        _host.Discord.DenyBotInChannel(guild.ChannelId, Permissions.SendMessages);

        await JoinAsync(guild, guild.ChannelId, [guild.ChannelId, general]);

        await FeatureHost.EventuallyAsync(() => _host.Discord.LastMessage(general) is not null, "setup message in the writable channel");
        Assert.Null(_host.Discord.LastMessage(guild.ChannelId));
    }

    [Fact]
    public async Task GuildLeft_UnlinksOnNafflesAndForgetsTheGuild()
    {
        var guild = _host.UnlinkedGuild();
        await JoinAsync(guild, guild.ChannelId, [guild.ChannelId]);
        var linked = await _host.RunAsync(guild.Admin, guild, "naffles-link-community", new() { ["community_id"] = guild.CommunityId });
        Assert.Contains("Community Linked Successfully", linked.Title, StringComparison.Ordinal);
        await AllowlistFlowTests.ConnectAsync(_host, guild);

        // An outage (unavailable) is not a leave.
        await _host.Gateway!.DispatchAsync(0, "GUILD_DELETE", new JsonObject { ["id"] = Id(guild.Id), ["unavailable"] = true });
        await _host.Gateway.DispatchAsync(0, "GUILD_CREATE", GuildJson(guild, guild.ChannelId, [guild.ChannelId]));
        var stillLinked = await _host.RunAsync(guild.Admin, guild, "naffles-help");
        Assert.Contains("linked to **Community", stillLinked.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(_host.Naffles.RequestsTo(NafflesEmulatorRoutes.UnlinkDiscordServer), r => r.Path.Contains(guild.CommunityId, StringComparison.Ordinal));

        await _host.Gateway.DispatchAsync(0, "GUILD_DELETE", new JsonObject { ["id"] = Id(guild.Id) });

        await FeatureHost.EventuallyAsync(() => _host.Naffles.RequestsTo(NafflesEmulatorRoutes.UnlinkDiscordServer).Any(r => r.Path.Contains(guild.CommunityId, StringComparison.Ordinal)), "unlink on Naffles");

        // Added back later, the server starts over: not linked (once the leave has been processed), and linkable again.
        await JoinAsync(guild, guild.ChannelId, [guild.ChannelId]);
        var help = await _host.RunAsync(guild.Admin, guild, "naffles-help");
        for (var i = 0; i < 40 && !help.Description.Contains("not linked", StringComparison.Ordinal); i++)
        {
            await Task.Delay(250);
            help = await _host.RunAsync(guild.Admin, guild, "naffles-help");
        }

        Assert.Contains("not linked", help.Description, StringComparison.Ordinal);
        var relinked = await _host.RunAsync(guild.Admin, guild, "naffles-link-community", new() { ["community_id"] = guild.CommunityId });
        Assert.Contains("Community Linked Successfully", relinked.Title, StringComparison.Ordinal);
        var analytics = await _host.RunAsync(guild.Admin, guild, "naffles-allowlist-analytics");
        Assert.Contains("No allowlists are connected", analytics.Description, StringComparison.Ordinal);
    }

    private async Task JoinAsync(TestGuild guild, ulong systemChannel, IReadOnlyList<ulong> channels)
    {
        var before = _host.Gateway!.LastSequence(0);
        await _host.Gateway.DispatchAsync(0, "GUILD_CREATE", GuildJson(guild, systemChannel, channels));
        Assert.True(_host.Gateway.LastSequence(0) > before);
    }

    private static JsonObject GuildJson(TestGuild guild, ulong systemChannel, IReadOnlyList<ulong> channels) =>
        DiscordGatewayEmulator.BuildGuild(new GatewayGuild(guild.Id, $"Guild {guild.Id % 10_000}", guild.Admin.Id)
        {
            Extra = new JsonObject
            {
                ["system_channel_id"] = Id(systemChannel),
                ["channels"] = new JsonArray([.. channels.Select((c, i) => (JsonNode)new JsonObject { ["id"] = Id(c), ["name"] = $"channel-{i}", ["type"] = 0, ["position"] = i, ["guild_id"] = Id(guild.Id) })]),
            },
        });

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A host on the gateway (no interactions endpoint).</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public FeatureHost Host { get; private set; } = null!;

        public async Task InitializeAsync() => Host = await FeatureHost.StartAsync(useGateway: true);

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    /// <summary>Runs alone, like the other feature-flow hosts.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class Collection : ICollectionFixture<Fixture>;
}
