using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NafflesBotKit.Testing.Discord;
using NafflesBotKit.Testing.Naffles;
using NafflesBotKit.Testing.Text;

namespace NafflesBotKit.Host.Tests.FeatureFlows;

/// <summary>Allowlists through the real host: connect and post, Enter, Details, export, analytics, live post updates.</summary>
[Collection(FeatureHostCollection.Name)]
public sealed class AllowlistFlowTests(FeatureHostFixture fixture)
{
    private const int AllowlistPink = 0xEC4899;

    private readonly FeatureHost _host = fixture.Host;

    [Fact]
    public async Task Connect_PostsAllowlistThenMemberEntersOnceAndSeesDetails()
    {
        var guild = await _host.LinkedGuildAsync();
        var (post, allowlistId) = await ConnectAsync(_host, guild, maxEntries: 100, winners: 3);

        var embed = Assert.IsType<JsonObject>(post.Embeds[0]);
        Assert.StartsWith("🎫", (string?)embed["title"], StringComparison.Ordinal);
        Assert.Equal(AllowlistPink, (int?)embed["color"]);
        var fields = Fields(embed);
        Assert.Equal("3", fields["🎯 Winners"]);
        Assert.Equal("Free", fields["💰 Entry Cost"]);
        Assert.Equal("0/100", fields["👥 Entries"]);
        var connection = Assert.Single(_host.Naffles.RequestsTo(NafflesEmulatorRoutes.ConnectAllowlist), r => r.Path.Contains(allowlistId, StringComparison.Ordinal));
        Assert.Equal(post.Id.ToString(CultureInfo.InvariantCulture), (string?)connection.Json?["messageId"]);

        var member = _host.Member(guild);
        var entered = await _host.ClickAsync(member, guild, post.Id, $"allowlist:enter:{allowlistId}");
        Assert.Contains("Allowlist Entry Successful", entered.Title, StringComparison.Ordinal);
        Assert.Contains("#1", entered.Text, StringComparison.Ordinal);
        Assert.Contains("Odds", entered.Text, StringComparison.Ordinal);
        Assert.True(entered.Ephemeral);
        Assert.True(entered.Acknowledged < TimeSpan.FromSeconds(3), $"acknowledged after {entered.Acknowledged}");

        var again = await _host.ClickAsync(member, guild, post.Id, $"allowlist:enter:{allowlistId}");
        Assert.Contains("Already Entered", again.Title, StringComparison.Ordinal);
        Assert.Contains("#1", again.Text, StringComparison.Ordinal);
        Assert.Single(_host.Naffles.GetStoredEntries(allowlistId));

        var details = await _host.ClickAsync(member, guild, post.Id, $"allowlist:view:{allowlistId}");
        Assert.True(details.Ephemeral);
        Assert.Contains(allowlistId, details.Text, StringComparison.Ordinal);

        // The entry_added webhook (signed, through the Webhooks plugin) updates the post's count.
        await FeatureHost.EventuallyAsync(() => Fields((JsonObject)_host.Discord.Message(post.Id)!.Embeds[0]!)["👥 Entries"] == "1/100", "post shows 1/100 entries", TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Connect_ErrorsAndDenials()
    {
        var guild = await _host.LinkedGuildAsync();
        var other = _host.Naffles.AddAllowlist($"al-other-{FeatureHost.Next()}", "someone-elses-community", "Not yours");
        var member = _host.Member(guild);
        var unlinked = _host.UnlinkedGuild();

        var unknown = await _host.RunAsync(guild.Admin, guild, "naffles-connect-allowlist", new() { ["allowlist_id"] = "no-such-allowlist" });
        var wrong = await _host.RunAsync(guild.Admin, guild, "naffles-connect-allowlist", new() { ["allowlist_id"] = other });
        var denied = await _host.RunAsync(member, guild, "naffles-connect-allowlist", new() { ["allowlist_id"] = other });
        var notLinked = await _host.RunAsync(unlinked.Admin, unlinked, "naffles-connect-allowlist", new() { ["allowlist_id"] = other });

        Assert.Contains("Allowlist Not Found", unknown.Title, StringComparison.Ordinal);
        Assert.Contains("Wrong Community", wrong.Title, StringComparison.Ordinal);
        Assert.Contains("Manage Server", denied.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Server Not Linked", notLinked.Title, StringComparison.Ordinal);
        Assert.All(new[] { unknown, wrong, denied, notLinked }, r => Assert.True(r.Ephemeral));
        Assert.DoesNotContain(_host.Naffles.RequestsTo(NafflesEmulatorRoutes.ConnectAllowlist), r => r.Path.Contains(other, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Enter_UnlinkedUser_GetsLinkPromptAndNoEntry()
    {
        var guild = await _host.LinkedGuildAsync();
        var (post, allowlistId) = await ConnectAsync(_host, guild);
        var stranger = _host.Member(guild, linked: false);

        var reply = await _host.ClickAsync(stranger, guild, post.Id, $"allowlist:enter:{allowlistId}");

        Assert.Contains("Account Not Linked", reply.Title, StringComparison.Ordinal);
        Assert.NotEmpty(reply.LinkUrls);
        Assert.Empty(_host.Naffles.GetStoredEntries(allowlistId));
    }

    [Fact]
    public async Task Enter_RequirementsNotMet_ShowsChecklist()
    {
        var guild = await _host.LinkedGuildAsync();
        var role = _host.Discord.AddRole(guild.Id, "Holder");
        var allowlistId = _host.Naffles.AddAllowlist($"al-req-{FeatureHost.Next()}", guild.CommunityId, "Gated");
        _host.Naffles.SetAllowlistFields(allowlistId, new JsonObject
        {
            ["requiresWallet"] = true,
            ["socialTasks"] = new JsonArray(new JsonObject
            {
                ["taskType"] = "discord_role",
                ["required"] = true,
                ["verificationData"] = new JsonObject { ["discord"] = new JsonObject { ["serverId"] = guild.Id.ToString(CultureInfo.InvariantCulture), ["serverName"] = "Home", ["requiredRole"] = role.ToString(CultureInfo.InvariantCulture) } },
            }),
        });
        var post = await ConnectExistingAsync(_host, guild, allowlistId);
        var member = _host.Member(guild, wallet: null);

        var reply = await _host.ClickAsync(member, guild, post.Id, $"allowlist:enter:{allowlistId}");

        Assert.Contains("Requirements Not Met", reply.Title, StringComparison.Ordinal);
        Assert.Contains("❌ A wallet address", reply.Description, StringComparison.Ordinal);
        Assert.Contains("✅ Member of Home", reply.Description, StringComparison.Ordinal);
        Assert.Contains($"❌ The <@&{role}> role", reply.Description, StringComparison.Ordinal);
        Assert.Empty(_host.Naffles.GetStoredEntries(allowlistId));
    }

    [Fact]
    public async Task Enter_FullAllowlist_SaysFull()
    {
        var guild = await _host.LinkedGuildAsync();
        var (post, allowlistId) = await ConnectAsync(_host, guild, maxEntries: 1);
        var first = await _host.ClickAsync(_host.Member(guild), guild, post.Id, $"allowlist:enter:{allowlistId}");
        Assert.Contains("Entry Successful", first.Title, StringComparison.Ordinal);

        // The post closes itself (Discord would not deliver a click on the disabled button) ...
        await FeatureHost.EventuallyAsync(() => BotReplies.Component(_host.Discord.Message(post.Id)!.Components, $"allowlist:enter:{allowlistId}")?["disabled"]?.GetValue<bool>() == true, "Enter disabled when full");
        Assert.Equal("🔴 Full", Fields((JsonObject)_host.Discord.Message(post.Id)!.Embeds[0]!)["📈 Status"]);

        // ... and a v1 post of the same allowlist, which the bot does not edit, still gets a clear answer.
        var old = _host.Discord.SeedMessage(guild.ChannelId, SocialTaskFlowTests.V1Buttons($"enter_allowlist_{allowlistId}", $"view_allowlist_{allowlistId}"));
        var second = await _host.ClickAsync(_host.Member(guild), guild, old.Id, $"enter_allowlist_{allowlistId}");

        Assert.Contains("Allowlist Full", second.Title, StringComparison.Ordinal);
        Assert.Single(_host.Naffles.GetStoredEntries(allowlistId));
    }

    [Fact]
    public async Task V1Buttons_OnOldPosts_EnterAndView()
    {
        var guild = await _host.LinkedGuildAsync();
        var allowlistId = _host.Naffles.AddAllowlist($"v1al{FeatureHost.Next()}", guild.CommunityId, "Old allowlist");
        var old = _host.Discord.SeedMessage(guild.ChannelId, SocialTaskFlowTests.V1Buttons($"enter_allowlist_{allowlistId}", $"view_allowlist_{allowlistId}"));
        var member = _host.Member(guild);

        var entered = await _host.ClickAsync(member, guild, old.Id, $"enter_allowlist_{allowlistId}");
        var view = await _host.ClickAsync(member, guild, old.Id, $"view_allowlist_{allowlistId}");

        Assert.Contains("Entry Successful", entered.Title, StringComparison.Ordinal);
        Assert.Contains("Old allowlist", view.Title, StringComparison.Ordinal);
        Assert.Single(_host.Naffles.GetStoredEntries(allowlistId));
    }

    [Fact]
    public async Task V1Buttons_UnknownAllowlist_SaysNotFound()
    {
        var guild = await _host.LinkedGuildAsync();
        var old = _host.Discord.SeedMessage(guild.ChannelId, SocialTaskFlowTests.V1Buttons("enter_allowlist_gone", "view_allowlist_gone"));
        var member = _host.Member(guild);

        var enter = await _host.ClickAsync(member, guild, old.Id, "enter_allowlist_gone");
        var view = await _host.ClickAsync(member, guild, old.Id, "view_allowlist_gone");

        Assert.Contains("Allowlist Not Found", enter.Title, StringComparison.Ordinal);
        Assert.Contains("Allowlist Not Found", view.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_AsAdmin_AttachesCsvOfEntries_MemberDenied()
    {
        var guild = await _host.LinkedGuildAsync();
        var (post, allowlistId) = await ConnectAsync(_host, guild);
        var members = Enumerable.Range(0, 3).Select(_ => _host.Member(guild)).ToList();
        foreach (var member in members)
        {
            await _host.ClickAsync(member, guild, post.Id, $"allowlist:enter:{allowlistId}");
        }

        var export = await _host.RunAsync(guild.Admin, guild, "naffles-allowlist-export", new() { ["allowlist_id"] = allowlistId });
        var denied = await _host.RunAsync(members[0], guild, "naffles-allowlist-export", new() { ["allowlist_id"] = allowlistId });

        Assert.Contains("Export Ready", export.Title, StringComparison.Ordinal);
        Assert.True(export.Ephemeral);
        var file = Assert.Single(export.Message!.Attachments);
        Assert.EndsWith(".csv", file.FileName, StringComparison.Ordinal);
        var rows = Rfc4180.Parse(Encoding.UTF8.GetString(file.Content));
        Assert.Equal("entry_id", rows[0][0]);
        Assert.Equal(members.Select(FeatureHost.DiscordId).Order(StringComparer.Ordinal), rows.Skip(1).Select(r => r[2]).Order(StringComparer.Ordinal));
        Assert.Contains("Manage Server", denied.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(denied.Message!.Attachments);
    }

    [Fact]
    public async Task Export_UnknownAllowlistOrUnlinkedServer_SaysSo()
    {
        var guild = await _host.LinkedGuildAsync();
        var unlinked = _host.UnlinkedGuild();

        var unknown = await _host.RunAsync(guild.Admin, guild, "naffles-allowlist-export", new() { ["allowlist_id"] = "nope" });
        var notLinked = await _host.RunAsync(unlinked.Admin, unlinked, "naffles-allowlist-export", new() { ["allowlist_id"] = "nope" });

        Assert.Contains("Allowlist Not Found", unknown.Title, StringComparison.Ordinal);
        Assert.Contains("Server Not Linked", notLinked.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analytics_EveryMetricAsAdmin_MemberDenied()
    {
        var guild = await _host.LinkedGuildAsync();
        var (post, allowlistId) = await ConnectAsync(_host, guild);
        var member = _host.Member(guild);
        await _host.ClickAsync(member, guild, post.Id, $"allowlist:enter:{allowlistId}");

        foreach (var metric in new[] { "entries", "engagement", "conversion" })
        {
            var reply = await _host.RunAsync(guild.Admin, guild, "naffles-allowlist-analytics", new() { ["metric"] = metric });
            Assert.Contains("Allowlist Analytics", reply.Title, StringComparison.Ordinal);
            Assert.Contains(CultureInfo.InvariantCulture.TextInfo.ToTitleCase(metric), reply.Title, StringComparison.Ordinal);
            Assert.Contains("🎫 Genesis Allowlist", reply.Text, StringComparison.Ordinal);
            Assert.StartsWith("1 allowlist(s) • 1 entries", reply.Description, StringComparison.Ordinal);
        }

        var one = await _host.RunAsync(guild.Admin, guild, "naffles-allowlist-analytics", new() { ["allowlist_id"] = allowlistId });
        Assert.Contains("Entries: **1**", one.Text, StringComparison.Ordinal);
        var denied = await _host.RunAsync(member, guild, "naffles-allowlist-analytics");
        Assert.Contains("Manage Server", denied.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StatusChangedAndWinnersSelected_UpdatePostAndAnnounceWinners()
    {
        var guild = await _host.LinkedGuildAsync();
        var (post, allowlistId) = await ConnectAsync(_host, guild);
        var members = Enumerable.Range(0, 2).Select(_ => _host.Member(guild)).ToList();
        foreach (var member in members)
        {
            await _host.ClickAsync(member, guild, post.Id, $"allowlist:enter:{allowlistId}");
        }

        _host.Naffles.SetAllowlistStatus(allowlistId, "closed");
        await FeatureHost.EventuallyAsync(() => BotReplies.Component(_host.Discord.Message(post.Id)!.Components, $"allowlist:enter:{allowlistId}")?["disabled"]?.GetValue<bool>() == true, "Enter disabled after status_changed");

        var winner = _host.Naffles.GetStoredEntries(allowlistId).Single(e => (string?)e["discordId"] == FeatureHost.DiscordId(members[1]));
        _host.Naffles.SelectWinners(allowlistId, [(string)winner["userId"]!]);
        await FeatureHost.EventuallyAsync(() => _host.Discord.Messages(guild.ChannelId).Any(m => m.Id > post.Id && (m.Content ?? "").Contains($"<@{members[1].Id}>", StringComparison.Ordinal)), "winner announcement");
        Assert.DoesNotContain(_host.Discord.Messages(guild.ChannelId), m => (m.Content ?? "").Contains($"<@{members[0].Id}>", StringComparison.Ordinal));
    }

    internal static Dictionary<string, string> Fields(JsonObject embed) =>
        (embed["fields"] as JsonArray ?? []).OfType<JsonObject>().ToDictionary(f => (string)f["name"]!, f => (string)f["value"]!, StringComparer.Ordinal);

    /// <summary>Adds an allowlist to the guild's community on Naffles and connects it with the command.</summary>
    internal static async Task<(EmulatedMessage Post, string AllowlistId)> ConnectAsync(FeatureHost host, TestGuild guild, int? maxEntries = null, int winners = 1)
    {
        var allowlistId = host.Naffles.AddAllowlist($"al-{FeatureHost.Next()}", guild.CommunityId, "Genesis Allowlist", maxEntries, winnerCount: winners);
        return (await ConnectExistingAsync(host, guild, allowlistId), allowlistId);
    }

    private static async Task<EmulatedMessage> ConnectExistingAsync(FeatureHost host, TestGuild guild, string allowlistId)
    {
        var before = host.Discord.Messages(guild.ChannelId).Count;
        var reply = await host.RunAsync(guild.Admin, guild, "naffles-connect-allowlist", new() { ["allowlist_id"] = allowlistId });
        Assert.Contains("Allowlist Connected", reply.Title, StringComparison.Ordinal);
        var post = host.Discord.Messages(guild.ChannelId).Skip(before).Single(m => m.InteractionId is null);
        Assert.Contains($"allowlist:enter:{allowlistId}", BotReplies.CustomIds(post.Components));
        Assert.Contains($"allowlist:view:{allowlistId}", BotReplies.CustomIds(post.Components));
        return post;
    }
}
