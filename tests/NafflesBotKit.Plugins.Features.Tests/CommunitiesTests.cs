using System.Globalization;
using NafflesBotKit.Events;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Naffles;
using NafflesBotKit.Plugins.Allowlists;
using NafflesBotKit.Plugins.Communities;
using NafflesBotKit.Plugins.Features.Tests.Support;
using NafflesBotKit.Plugins.SocialTasks;
using NafflesBotKit.Testing.Naffles;
using NafflesBotKit.Transport;
using static NafflesBotKit.Plugins.Features.Tests.Support.TestInteractions;

namespace NafflesBotKit.Plugins.Features.Tests;

public sealed class CommunitiesTests : IAsyncLifetime
{
    private FeatureHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await FeatureHarness.StartAsync([new CommunitiesPlugin(), new SocialTasksPlugin(), new AllowlistsPlugin()]);
        _h.Naffles.AddCommunity("c1", "Alpha Community");
        _h.Naffles.AddUser("u-admin", "admin", AdminId.ToString(CultureInfo.InvariantCulture));
        _h.Naffles.AddMembership("c1", "u-admin", CommunityRoles.Owner);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task<RecordingResponder> LinkAsync(string communityId = "c1", DiscordUser? user = null) =>
        _h.DispatchAsync(Command("naffles-link-community", user ?? Admin, Permissions.ManageGuild, Str("community_id", communityId)));

    [Fact]
    public async Task Link_AsCommunityOwner_LinksOnNaffles_AndTheOtherPluginsSeeIt()
    {
        var r = await LinkAsync();

        Assert.Equal("✅ Community Linked Successfully!", r.LastEmbed.Title);
        Assert.Single(_h.Naffles.RequestsTo(NafflesEmulatorRoutes.LinkDiscordServer));
        var createTask = await _h.DispatchAsync(Command("naffles-create-task", Admin, Permissions.ManageGuild, Str("type", "twitter_follow"), Str("title", "t"), Str("description", "d"), Int("points", 5)));
        Assert.NotNull(createTask.Modal); // SocialTasks read the link through the shared store
    }

    [Fact]
    public async Task Link_AlreadyLinked_SaysSo_AndTheUnlinkButtonUnlinks()
    {
        await LinkAsync();

        var again = await LinkAsync();
        Assert.Equal("🔗 Server Already Linked", again.LastEmbed.Title);
        var unlink = Assert.Single(again.LastMessage.Components.SelectMany(c => c.Components).OfType<Button>());

        var admin = Button(unlink.CustomId!, Admin) with { Member = new InteractionMember(Permissions.ManageGuild, []) };
        var member = await _h.DispatchAsync(Button(unlink.CustomId!, Member));
        var done = await _h.DispatchAsync(admin);

        Assert.StartsWith("❌", member.LastEmbed.Title);
        Assert.Equal("🔓 Community Unlinked", done.LastEmbed.Title);
        Assert.Equal("✅ Community Linked Successfully!", (await LinkAsync()).LastEmbed.Title);
    }

    [Fact]
    public async Task Link_UnknownCommunity_SaysNotFound()
    {
        var r = await LinkAsync("nope");

        Assert.Equal("❌ Community Not Found", r.LastEmbed.Title);
    }

    [Fact]
    public async Task Link_ByAPlainMember_IsNotPermitted()
    {
        _h.Naffles.AddUser("u-m", "m", MemberId.ToString(CultureInfo.InvariantCulture));
        _h.Naffles.AddMembership("c1", "u-m", CommunityRoles.Moderator);

        var r = await LinkAsync(user: Member);

        Assert.Equal("❌ Not Permitted", r.LastEmbed.Title);
        Assert.Contains("moderator", r.LastEmbed.Description);
        Assert.Empty(_h.Naffles.RequestsTo(NafflesEmulatorRoutes.LinkDiscordServer));
    }

    [Fact]
    public async Task Link_WithoutManageServer_IsRefusedByTheGuard()
    {
        var r = await _h.DispatchAsync(Command("naffles-link-community", Admin, Permissions.None, Str("community_id", "c1")));

        Assert.StartsWith("❌", r.LastEmbed.Title);
        Assert.Empty(_h.Naffles.RequestsTo(NafflesEmulatorRoutes.GetCommunity));
    }

    [Fact]
    public async Task Link_UnlinkedAccount_GetsTheLinkPrompt()
    {
        var r = await LinkAsync(user: new DiscordUser(42, "stranger"));

        Assert.Equal("❌ Account Not Linked", r.LastEmbed.Title);
    }

    [Fact]
    public async Task Link_CommunityLinkedToAnotherServer_IsRefused()
    {
        await using var h = await FeatureHarness.StartAsync([new CommunitiesPlugin()]);
        h.Naffles.AddCommunity("c1", "Alpha Community");
        h.Naffles.AddUser("u-admin", "admin", AdminId.ToString(CultureInfo.InvariantCulture));
        h.Naffles.AddMembership("c1", "u-admin", CommunityRoles.Admin);
        var otherGuild = Command("naffles-link-community", Admin, Permissions.ManageGuild, Str("community_id", "c1")) with { GuildId = 999 };
        Assert.Equal("✅ Community Linked Successfully!", (await h.DispatchAsync(otherGuild)).LastEmbed.Title);

        var r = await h.DispatchAsync(Command("naffles-link-community", Admin, Permissions.ManageGuild, Str("community_id", "c1")));

        Assert.Equal("❌ Community Already Linked", r.LastEmbed.Title);
    }

    [Fact]
    public async Task Link_NafflesDown_GivesAGracefulMessage()
    {
        _h.Naffles.Faults.Add("*", NafflesFault.Status(503, times: 10));

        var r = await LinkAsync();

        Assert.Equal("❌ Naffles Unavailable", r.LastEmbed.Title);
    }

    [Fact]
    public async Task Unlink_NotLinked_SaysSo()
    {
        var r = await _h.DispatchAsync(Command("naffles-unlink-community", Admin, Permissions.ManageGuild));

        Assert.Equal("❌ Server Not Linked", r.LastEmbed.Title);
    }

    [Fact]
    public async Task Unlink_UnlinksOnNaffles_AndTheOtherPluginsSeeItGone()
    {
        await LinkAsync();

        var r = await _h.DispatchAsync(Command("naffles-unlink-community", Admin, Permissions.ManageGuild));
        var createTask = await _h.DispatchAsync(Command("naffles-create-task", Admin, Permissions.ManageGuild, Str("type", "twitter_follow"), Str("title", "t"), Str("description", "d"), Int("points", 5)));

        Assert.Equal("🔓 Community Unlinked", r.LastEmbed.Title);
        Assert.Single(_h.Naffles.RequestsTo(NafflesEmulatorRoutes.UnlinkDiscordServer));
        Assert.Equal("❌ Server Not Linked", createTask.LastEmbed.Title);
    }

    [Fact]
    public async Task GuildJoined_PostsTheSetupMessage_InTheSystemChannel_OrTheFirstWritableTextChannel()
    {
        var channels = new List<GuildChannel> { new(30, "voice", 2, 0), new(20, "general", 0, 1), new(10, "rules", 0, 0) };

        await _h.Bus.PublishAsync(new GuildJoined(new DiscordGuild(1, "Guild One", 5, SystemChannelId: 77, Channels: channels)));
        _h.Discord.ForbiddenChannels[10] = 1;
        await _h.Bus.PublishAsync(new GuildJoined(new DiscordGuild(2, "Guild Two", 5, Channels: channels)));

        Assert.Equal([77ul, 20ul], _h.Discord.Sent.Select(s => s.ChannelId));
        Assert.All(_h.Discord.Sent, s => Assert.Equal("🎉 Welcome to Naffles!", s.Message.Embeds[0].Title));
    }

    [Fact]
    public async Task GuildLeft_UnlinksOnNaffles_AndForgetsTheGuild()
    {
        await LinkAsync();

        await _h.Bus.PublishAsync(new GuildLeft(GuildId));

        Assert.Single(_h.Naffles.RequestsTo(NafflesEmulatorRoutes.UnlinkDiscordServer));
        Assert.Equal("✅ Community Linked Successfully!", (await LinkAsync()).LastEmbed.Title);
    }

    [Fact]
    public async Task GuildLeft_ForgetsTheGuildBeforeWaitingForNaffles()
    {
        await LinkAsync();
        _h.Naffles.Faults.Add(NafflesEmulatorRoutes.UnlinkDiscordServer, NafflesFault.Delay(TimeSpan.FromSeconds(3)));

        var leaving = _h.Bus.PublishAsync(new GuildLeft(GuildId)).AsTask();
        for (var i = 0; i < 200 && _h.Naffles.RequestsTo(NafflesEmulatorRoutes.UnlinkDiscordServer).Count == 0; i++)
        {
            await Task.Delay(10);
        }

        // Naffles is still answering the unlink; the guild is already forgotten here.
        Assert.False(leaving.IsCompleted);
        var help = await _h.DispatchAsync(Command("naffles-help", Member, Permissions.None));
        Assert.Contains("not linked", help.LastEmbed.Description);
        await leaving;
    }

    [Fact]
    public async Task Help_IsBuiltFromTheLoadedPlugins_AndKnowsWhetherTheServerIsLinked()
    {
        var before = await _h.DispatchAsync(Command("naffles-help", Member, Permissions.None));
        await LinkAsync();
        var after = await _h.DispatchAsync(Command("naffles-help", Member, Permissions.None));

        Assert.Contains("not linked", before.LastEmbed.Description);
        Assert.Contains("linked to **Alpha Community**", after.LastEmbed.Description);
        var commands = after.LastEmbed.Fields.Single(f => f.Name == "📋 Commands").Value;
        Assert.Contains("/naffles-create-task", commands);
        Assert.Contains("/naffles-connect-allowlist", commands);
        Assert.Contains("/naffles-link-community", commands);
        var menu = after.LastMessage.Components.SelectMany(c => c.Components).OfType<SelectMenu>().Single();
        Assert.Equal(["linking", "tasks", "allowlists", "troubleshooting"], menu.Options.Select(o => o.Value));

        var topic = await _h.DispatchAsync(Select(menu.CustomId, Member, "tasks"));
        Assert.Equal(InteractionCallbackType.UpdateMessage, topic.Sent[0].CallbackType);
        Assert.Equal("🎯 Social Tasks", topic.LastEmbed.Title);
        var v1 = await _h.DispatchAsync(Select("help_topic", Member, "allowlists"));
        Assert.Equal("🎫 Allowlists", v1.LastEmbed.Title);
    }

    [Fact]
    public async Task Help_WithOnlyCommunitiesLoaded_OffersOnlyItsOwnCommandsAndTopics()
    {
        await using var h = await FeatureHarness.StartAsync([new CommunitiesPlugin()]);

        var r = await h.DispatchAsync(Command("naffles-help", Member, Permissions.None));

        Assert.DoesNotContain("/naffles-create-task", r.LastEmbed.Fields.Single(f => f.Name == "📋 Commands").Value);
        Assert.Equal(["linking", "troubleshooting"], r.LastMessage.Components.SelectMany(c => c.Components).OfType<SelectMenu>().Single().Options.Select(o => o.Value));
    }

    [Fact]
    public async Task CommunityUpdated_InvalidatesTheCachedCommunity()
    {
        await LinkAsync();
        _h.Time.Advance(TimeSpan.FromSeconds(1)); // tag invalidation is by timestamp: entries from the invalidation's instant count as stale
        Assert.Contains("Alpha Community", (await _h.DispatchAsync(Command("naffles-help", Member, Permissions.None))).LastEmbed.Description);
        _h.Naffles.UpdateCommunity("c1", new Dictionary<string, string> { ["name"] = "Beta Community" });
        Assert.Contains("Alpha Community", (await _h.DispatchAsync(Command("naffles-help", Member, Permissions.None))).LastEmbed.Description); // cached

        await _h.Bus.PublishAsync(new NafflesCommunityUpdated { DeliveryId = "u1", OccurredAt = _h.Time.GetUtcNow(), CommunityId = "c1", Changes = new Dictionary<string, string> { ["name"] = "Beta Community" } });

        Assert.Contains("Beta Community", (await _h.DispatchAsync(Command("naffles-help", Member, Permissions.None))).LastEmbed.Description);
    }
}
