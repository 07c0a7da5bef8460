using NafflesBotKit.Naffles;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Host.Tests.FeatureFlows;

/// <summary>Communities through the real host: linking, unlinking and help, as admin and as member.</summary>
[Collection(FeatureHostCollection.Name)]
public sealed class CommunityFlowTests(FeatureHostFixture fixture)
{
    private readonly FeatureHost _host = fixture.Host;

    [Fact]
    public async Task Link_AsCommunityOwner_LinksOnNafflesAndAnsweredPrivatelyInTime()
    {
        var guild = _host.UnlinkedGuild();

        var reply = await _host.RunAsync(guild.Admin, guild, "naffles-link-community", new() { ["community_id"] = guild.CommunityId });

        Assert.Contains("Community Linked Successfully", reply.Title, StringComparison.Ordinal);
        Assert.True(reply.Ephemeral);
        Assert.True(reply.Acknowledged < TimeSpan.FromSeconds(3), $"acknowledged after {reply.Acknowledged}");
        Assert.Equal(0, reply.Interaction.RejectedCallbacks);
        var link = Assert.Single(_host.Naffles.RequestsTo(NafflesEmulatorRoutes.LinkDiscordServer), r => r.Path.Contains(guild.CommunityId, StringComparison.Ordinal));
        Assert.Contains(guild.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), link.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Link_Twice_SaysAlreadyLinkedWithUnlinkButton()
    {
        var guild = await _host.LinkedGuildAsync();

        var reply = await _host.RunAsync(guild.Admin, guild, "naffles-link-community", new() { ["community_id"] = guild.CommunityId });

        Assert.Contains("Server Already Linked", reply.Title, StringComparison.Ordinal);
        Assert.Contains("community:unlink", reply.CustomIds);
    }

    [Fact]
    public async Task Link_UnknownCommunity_SaysNotFound()
    {
        var guild = _host.UnlinkedGuild();

        var reply = await _host.RunAsync(guild.Admin, guild, "naffles-link-community", new() { ["community_id"] = "no-such-community" });

        Assert.Contains("Community Not Found", reply.Title, StringComparison.Ordinal);
        Assert.True(reply.Ephemeral);
    }

    [Fact]
    public async Task Link_ByMemberWithoutManageServer_IsDenied()
    {
        var guild = _host.UnlinkedGuild();
        var member = _host.Member(guild);

        var reply = await _host.RunAsync(member, guild, "naffles-link-community", new() { ["community_id"] = guild.CommunityId });

        Assert.Contains("Manage Server", reply.Text, StringComparison.OrdinalIgnoreCase);
        Assert.True(reply.Ephemeral);
        Assert.DoesNotContain(_host.Naffles.RequestsTo(NafflesEmulatorRoutes.LinkDiscordServer), r => r.Path.Contains(guild.CommunityId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Link_ByDiscordAdminWhoIsOnlyCommunityMember_IsNotPermitted()
    {
        var guild = _host.UnlinkedGuild();
        var n = FeatureHost.Next();
        var moderator = _host.Discord.AddUser($"discordadmin{n}");
        _host.Discord.AddMember(guild.Id, moderator.Id);
        var naffles = _host.Naffles.AddUser($"user-mod-{n}", $"mod{n}", FeatureHost.DiscordId(moderator));
        _host.Naffles.AddMembership(guild.CommunityId, naffles, CommunityRoles.Member);

        var reply = await _host.RunAsync(moderator, guild, "naffles-link-community", new() { ["community_id"] = guild.CommunityId });

        Assert.Contains("Not Permitted", reply.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Link_ByUnlinkedDiscordAccount_GetsLinkPrompt()
    {
        var guild = _host.UnlinkedGuild();
        var stranger = _host.Discord.AddUser($"stranger{FeatureHost.Next()}");
        _host.Discord.AddMember(guild.Id, stranger.Id);

        var reply = await _host.RunAsync(stranger, guild, "naffles-link-community", new() { ["community_id"] = guild.CommunityId });

        Assert.Contains("Account Not Linked", reply.Title, StringComparison.Ordinal);
        Assert.NotEmpty(reply.LinkUrls);
    }

    [Fact]
    public async Task Unlink_AsAdmin_UnlinksAndLaterCommandsSayNotLinked()
    {
        var guild = await _host.LinkedGuildAsync();

        var reply = await _host.RunAsync(guild.Admin, guild, "naffles-unlink-community");

        Assert.Contains("Community Unlinked", reply.Title, StringComparison.Ordinal);
        Assert.Contains(_host.Naffles.RequestsTo(NafflesEmulatorRoutes.UnlinkDiscordServer), r => r.Path.Contains(guild.CommunityId, StringComparison.Ordinal));
        var again = await _host.RunAsync(guild.Admin, guild, "naffles-unlink-community");
        Assert.Contains("Server Not Linked", again.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unlink_ByMember_IsDenied()
    {
        var guild = await _host.LinkedGuildAsync();
        var member = _host.Member(guild);

        var reply = await _host.RunAsync(member, guild, "naffles-unlink-community");

        Assert.Contains("Manage Server", reply.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(_host.Naffles.RequestsTo(NafflesEmulatorRoutes.UnlinkDiscordServer), r => r.Path.Contains(guild.CommunityId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnlinkButton_OnAlreadyLinkedReply_Unlinks()
    {
        var guild = await _host.LinkedGuildAsync();
        var already = await _host.RunAsync(guild.Admin, guild, "naffles-link-community", new() { ["community_id"] = guild.CommunityId });

        var reply = await _host.ClickAsync(guild.Admin, guild, already.Message!.Id, "community:unlink");

        Assert.Contains("Community Unlinked", reply.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_Unlinked_SaysNotLinkedListsCommandsAndTopicMenuShowsTopic()
    {
        var guild = _host.UnlinkedGuild();
        var member = _host.Member(guild, linked: false);

        var reply = await _host.RunAsync(member, guild, "naffles-help");

        Assert.True(reply.Ephemeral);
        Assert.Contains("not linked", reply.Description, StringComparison.Ordinal);
        foreach (var command in new[] { "naffles-create-task", "naffles-list-tasks", "naffles-connect-allowlist", "naffles-allowlist-export", "naffles-allowlist-analytics", "naffles-link-community" })
        {
            Assert.Contains("/" + command, reply.Text, StringComparison.Ordinal);
        }

        var topics = BotReplies.OptionValues(reply.Message!.Components, "help:topic");
        Assert.Contains("linking", topics);
        Assert.True(topics.Count >= 3, "plugins contribute topics: " + string.Join(", ", topics));

        var topic = await _host.ClickAsync(member, guild, reply.Message.Id, "help:topic", "linking");

        Assert.Contains("Linking Your Server", topic.Title, StringComparison.Ordinal);
        Assert.Equal(reply.Message.Id, topic.Message!.Id);
    }

    [Fact]
    public async Task Help_Linked_NamesTheCommunityAndFollowsCommunityUpdatedWebhooks()
    {
        var guild = await _host.LinkedGuildAsync();

        var reply = await _host.RunAsync(guild.Admin, guild, "naffles-help");
        Assert.Contains("linked to **Community", reply.Description, StringComparison.Ordinal);

        // Renamed on Naffles: the signed community-updated webhook drops the cached community.
        _host.Naffles.UpdateCommunity(guild.CommunityId, new Dictionary<string, string> { ["name"] = "Renamed Community" });
        await _host.Naffles.DrainWebhooksAsync();
        var renamed = await _host.RunAsync(guild.Admin, guild, "naffles-help");
        Assert.Contains("linked to **Renamed Community**", renamed.Description, StringComparison.Ordinal);
    }
}
