using System.Text;
using System.Text.Json.Nodes;
using NafflesBotKit.Events;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Plugins.Allowlists;
using NafflesBotKit.Plugins.Features.Tests.Support;
using NafflesBotKit.Testing.Naffles;
using static NafflesBotKit.Plugins.Features.Tests.Support.TestInteractions;

namespace NafflesBotKit.Plugins.Features.Tests;

public sealed class AllowlistsTests : IAsyncLifetime
{
    private FeatureHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await FeatureHarness.StartAsync([new AllowlistsPlugin()]);
        await _h.SeedLinkedCommunityAsync();
        _h.Naffles.AddAllowlist("a1", FeatureHarness.CommunityId, "Genesis Mint", winnerCount: 10);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<SentMessage> ConnectAsync(string id = "a1", params CommandOptionValue[] extra)
    {
        var r = await _h.DispatchAsync(Command("naffles-connect-allowlist", Admin, Permissions.ManageGuild, [Str("allowlist_id", id), .. extra]));
        Assert.Equal("✅ Allowlist Connected", r.LastEmbed.Title);
        return _h.Discord.Sent[^1];
    }

    private static IEnumerable<Button> Buttons(MessagePayload message) => message.Components.SelectMany(r => r.Components).OfType<Button>();

    [Fact]
    public async Task Connect_AsAdmin_PostsThePinkAllowlistEmbed_AndRecordsTheConnection()
    {
        var post = await ConnectAsync();

        var embed = Assert.Single(post.Message.Embeds);
        Assert.Equal("🎫 Genesis Mint", embed.Title);
        Assert.Equal(NafflesEmbeds.AllowlistPink, embed.Color);
        Assert.Contains(embed.Fields, f => f.Name == "🎯 Winners" && f.Value == "10");
        Assert.Contains(embed.Fields, f => f.Name == "💰 Entry Cost" && f.Value == "Free");
        Assert.Contains(embed.Fields, f => f.Name == "👥 Entries" && f.Value == "0/∞");
        Assert.Equal(NafflesEmbeds.FooterText, embed.Footer!.Text);
        Assert.Contains(Buttons(post.Message), b => b.CustomId == "allowlist:enter:a1" && !b.Disabled);
        Assert.Contains(Buttons(post.Message), b => b.CustomId == "allowlist:view:a1");
        var connection = Assert.Single(_h.Naffles.RequestsTo(NafflesEmulatorRoutes.ConnectAllowlist));
        Assert.Equal(post.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture), connection.Json!["messageId"]!.GetValue<string>());
        Assert.NotNull(await _h.Plugin<AllowlistPostStore>("naffles.allowlists").GetAsync("a1", default));
    }

    [Fact]
    public async Task Connect_AsMember_IsRefused()
    {
        var r = await _h.DispatchAsync(Command("naffles-connect-allowlist", Member, Permissions.None, Str("allowlist_id", "a1")));

        Assert.StartsWith("❌", r.LastEmbed.Title);
        Assert.Empty(_h.Discord.Sent);
    }

    [Fact]
    public async Task Connect_UnknownId_SaysNotFound()
    {
        var r = await _h.DispatchAsync(Command("naffles-connect-allowlist", Admin, Permissions.ManageGuild, Str("allowlist_id", "nope")));

        Assert.Equal("❌ Allowlist Not Found", r.LastEmbed.Title);
        Assert.Empty(_h.Discord.Sent);
    }

    [Fact]
    public async Task Connect_AllowlistOfAnotherCommunity_IsRefused()
    {
        _h.Naffles.AddCommunity("c2", "Other");
        _h.Naffles.AddAllowlist("a2", "c2", "Theirs");

        var r = await _h.DispatchAsync(Command("naffles-connect-allowlist", Admin, Permissions.ManageGuild, Str("allowlist_id", "a2")));

        Assert.Equal("❌ Wrong Community", r.LastEmbed.Title);
    }

    [Fact]
    public async Task Connect_NafflesDown_GivesAGracefulMessage()
    {
        _h.Naffles.Faults.Add(NafflesEmulatorRoutes.GetAllowlist, NafflesFault.Drop());

        var r = await _h.DispatchAsync(Command("naffles-connect-allowlist", Admin, Permissions.ManageGuild, Str("allowlist_id", "a1")));

        Assert.Equal("❌ Naffles Unavailable", r.LastEmbed.Title);
    }

    [Fact]
    public async Task Connect_UnlinkedServer_SaysSo()
    {
        await using var h = await FeatureHarness.StartAsync([new AllowlistsPlugin()]);

        var r = await h.DispatchAsync(Command("naffles-connect-allowlist", Admin, Permissions.ManageGuild, Str("allowlist_id", "a1")));

        Assert.Equal("❌ Server Not Linked", r.LastEmbed.Title);
    }

    [Fact]
    public async Task Enter_UnlinkedUser_GetsTheLinkPrompt()
    {
        await ConnectAsync();

        var r = await _h.DispatchAsync(Button("allowlist:enter:a1", Member));

        Assert.Equal("❌ Account Not Linked", r.LastEmbed.Title);
        Assert.Equal(ButtonStyle.Link, Assert.Single(Buttons(r.LastMessage)).Style);
        Assert.Empty(_h.Naffles.GetStoredEntries("a1"));
    }

    [Fact]
    public async Task Enter_Succeeds_WithEntryNumberAndOdds_ThenSaysAlreadyEntered()
    {
        await ConnectAsync();
        _h.SeedLinkedUser(Member);

        var first = await _h.DispatchAsync(Button("allowlist:enter:a1", Member));
        var second = await _h.DispatchAsync(Button("enter_allowlist_a1", Member)); // v1 id

        Assert.Equal("🎉 Allowlist Entry Successful!", first.LastEmbed.Title);
        Assert.True(first.LastMessage.Flags.HasFlag(MessageFlags.Ephemeral));
        Assert.Contains(first.LastEmbed.Fields, f => f.Name == "🎟️ Entry" && f.Value == "#1");
        Assert.Contains(first.LastEmbed.Fields, f => f.Name == "🎲 Odds" && f.Value.StartsWith("100%", StringComparison.Ordinal));
        Assert.Equal("✅ Already Entered", second.LastEmbed.Title);
        Assert.Contains("entry #1", second.LastEmbed.Description);
        Assert.Single(_h.Naffles.GetStoredEntries("a1"));
    }

    [Fact]
    public async Task Enter_LargeAllowlist_FindsTheNewEntryNumberWithOneListRequest()
    {
        await ConnectAsync();
        var earlier = Enumerable.Range(1, 250).Select(TestInteractions.User).ToList();
        earlier.ForEach(u => _h.SeedLinkedUser(u));
        foreach (var user in earlier)
        {
            await _h.DispatchAsync(Button("allowlist:enter:a1", user));
        }

        _h.SeedLinkedUser(Member);
        var lists = _h.Naffles.RequestsTo(NafflesEmulatorRoutes.GetAllowlistEntries).Count;

        var r = await _h.DispatchAsync(Button("allowlist:enter:a1", Member));
        var again = await _h.DispatchAsync(Button("allowlist:enter:a1", Member));

        Assert.Contains(r.LastEmbed.Fields, f => f.Name == "🎟️ Entry" && f.Value == "#251");
        Assert.Contains("entry #251", again.LastEmbed.Description);
        // The new entry is on the last of 3 pages: one request. The repeat click searches from page 1: 3 requests.
        Assert.Equal(1 + 3, _h.Naffles.RequestsTo(NafflesEmulatorRoutes.GetAllowlistEntries).Count - lists);
    }

    [Fact]
    public async Task Enter_200UsersConcurrently_Gives200Entries()
    {
        await ConnectAsync();
        var users = Enumerable.Range(1, 200).Select(TestInteractions.User).ToList();
        users.ForEach(u => _h.SeedLinkedUser(u));

        var replies = await Task.WhenAll(users.Select(u => _h.DispatchAsync(Button("allowlist:enter:a1", u))));

        Assert.Equal(200, _h.Naffles.GetStoredEntries("a1").Count);
        Assert.All(replies, r => Assert.Equal("🎉 Allowlist Entry Successful!", r.LastEmbed.Title));
        var numbers = replies.Select(r => r.LastEmbed.Fields.Single(f => f.Name == "🎟️ Entry").Value).ToHashSet();
        Assert.Equal(200, numbers.Count); // each entrant learns their own position
    }

    [Fact]
    public async Task Enter_200ClicksFromOneUser_GiveOneEntry()
    {
        await ConnectAsync();
        _h.SeedLinkedUser(Member);

        var replies = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => _h.DispatchAsync(Button("allowlist:enter:a1", Member))));

        Assert.Single(_h.Naffles.GetStoredEntries("a1"));
        Assert.Single(replies, r => r.LastEmbed.Title == "🎉 Allowlist Entry Successful!");
        Assert.Equal(199, replies.Count(r => r.LastEmbed.Title == "✅ Already Entered"));
    }

    [Fact]
    public async Task Enter_RequirementsNotMet_ShowsAChecklist()
    {
        _h.Naffles.SetAllowlistFields("a1", new JsonObject
        {
            ["requiresWallet"] = true,
            ["socialTasks"] = new JsonArray(new JsonObject
            {
                ["taskType"] = "discord_join",
                ["required"] = true,
                ["verificationData"] = new JsonObject { ["discord"] = new JsonObject { ["serverId"] = "888", ["serverName"] = "Partner", ["requiredRole"] = "999" } },
            }),
        });
        await ConnectAsync();
        _h.Naffles.AddUser("u-nowallet", "nowallet", MemberId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var r = await _h.DispatchAsync(Button("allowlist:enter:a1", Member));

        Assert.Equal("❌ Requirements Not Met", r.LastEmbed.Title);
        Assert.Contains("❌ A wallet address", r.LastEmbed.Description);
        Assert.Contains("❌ Member of Partner", r.LastEmbed.Description);
        Assert.Contains("❌ The <@&999> role", r.LastEmbed.Description);
        Assert.Empty(_h.Naffles.GetStoredEntries("a1"));
    }

    [Fact]
    public async Task Enter_ClosedOrFull_IsRefused()
    {
        _h.Naffles.AddAllowlist("full", FeatureHarness.CommunityId, "Tiny", maxEntries: 1);
        await ConnectAsync();
        await ConnectAsync("full");
        var other = TestInteractions.User(1);
        _h.SeedLinkedUser(other);
        _h.SeedLinkedUser(Member);
        await _h.DispatchAsync(Button("allowlist:enter:full", other));
        _h.Naffles.SetAllowlistStatus("a1", "cancelled");

        var closed = await _h.DispatchAsync(Button("allowlist:enter:a1", Member));
        var full = await _h.DispatchAsync(Button("allowlist:enter:full", Member));

        Assert.Equal("❌ Allowlist Closed", closed.LastEmbed.Title);
        Assert.Equal("❌ Allowlist Full", full.LastEmbed.Title);
    }

    [Fact]
    public async Task View_V1AndNewIds_ShowDetails_AndUnknownIdSaysNotFound()
    {
        await ConnectAsync();

        var v1 = await _h.DispatchAsync(Button("view_allowlist_a1", Member));
        var v2 = await _h.DispatchAsync(Button("allowlist:view:a1", Member));
        var unknown = await _h.DispatchAsync(Button("allowlist:view:zzz", Member));

        Assert.Equal("🎫 Genesis Mint", v1.LastEmbed.Title);
        Assert.Equal("🎫 Genesis Mint", v2.LastEmbed.Title);
        Assert.Equal("❌ Allowlist Not Found", unknown.LastEmbed.Title);
    }

    [Fact]
    public async Task EntryAddedEvents_1000In10Seconds_EditThePostAtMost3Times()
    {
        var post = await ConnectAsync();
        var refresher = _h.Plugin<AllowlistPostRefresher>("naffles.allowlists");

        for (var i = 1; i <= 1000; i++)
        {
            await _h.Bus.PublishAsync(new NafflesAllowlistEntryAdded { DeliveryId = $"d{i}", OccurredAt = _h.Time.GetUtcNow(), AllowlistId = "a1", NewEntryCount = i });
            await refresher.WhenIdleAsync();
            _h.Time.Advance(TimeSpan.FromMilliseconds(9.99)); // 1,000 events within 10 s
        }

        await refresher.WhenIdleAsync();
        var edits = _h.Discord.Edits.Where(e => e.MessageId == post.MessageId).ToList();
        Assert.InRange(edits.Count, 1, 3);

        _h.Time.Advance(TimeSpan.FromSeconds(5)); // the trailing edit carries the latest count
        await refresher.WhenIdleAsync();
        var last = _h.Discord.Edits.Last(e => e.MessageId == post.MessageId);
        Assert.Contains(last.Message.Embeds[0].Fields, f => f.Name == "👥 Entries" && f.Value == "1,000/∞");
    }

    [Fact]
    public async Task StatusChanged_UpdatesThePost_AndDisablesEnter()
    {
        var post = await ConnectAsync();
        var refresher = _h.Plugin<AllowlistPostRefresher>("naffles.allowlists");
        _h.Naffles.SetAllowlistStatus("a1", "cancelled");

        await _h.Bus.PublishAsync(new NafflesAllowlistStatusChanged { DeliveryId = "s1", OccurredAt = _h.Time.GetUtcNow(), AllowlistId = "a1", NewStatus = "cancelled" });
        await refresher.WhenIdleAsync();

        var edit = _h.Discord.Edits.Last(e => e.MessageId == post.MessageId);
        Assert.Contains(edit.Message.Embeds[0].Fields, f => f.Name == "📈 Status" && f.Value == "🔴 Cancelled");
        Assert.True(Buttons(edit.Message).Single(b => b.CustomId == "allowlist:enter:a1").Disabled);
    }

    [Fact]
    public async Task WinnersSelected_AnnouncesInMessagesUnder2000Chars_AssignsTheRole_Once()
    {
        var post = await ConnectAsync(extra: new CommandOptionValue("winner_role", CommandOptionType.Role, "4242"));
        var winners = Enumerable.Range(1, 300).Select(i => new AllowlistWinner($"u{i}", (700_000_000_000_000_000 + (ulong)i).ToString(System.Globalization.CultureInfo.InvariantCulture), null))
            .Append(new AllowlistWinner("u-wallet", null, "0x1234567890abcdef")).ToList();
        var sentBefore = _h.Discord.Sent.Count;
        var e = new NafflesAllowlistWinnersSelected { DeliveryId = "w1", OccurredAt = _h.Time.GetUtcNow(), AllowlistId = "a1", Winners = winners };

        await _h.Bus.PublishAsync(e);
        await _h.Bus.PublishAsync(e with { DeliveryId = "w1-again" });

        var announcement = _h.Discord.Sent.Skip(sentBefore).ToList();
        Assert.True(announcement.Count >= 4, $"{announcement.Count} messages");
        Assert.All(announcement, m =>
        {
            Assert.Equal(post.ChannelId, m.ChannelId);
            Assert.InRange(DiscordLimits.CountCharacters(m.Message.Content), 1, DiscordLimits.ContentLength);
            Assert.InRange(m.Message.AllowedMentions!.Users.Count, 0, 100);
        });
        var text = string.Join('\n', announcement.Select(m => m.Message.Content));
        Assert.All(winners.Where(w => w.DiscordId is not null), w => Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, $"<@{w.DiscordId}>")));
        Assert.Contains("0x1234…cdef", text);
        Assert.StartsWith("🏆 **Winners of Genesis Mint**", announcement[0].Message.Content);
        Assert.Equal(300, _h.Discord.RolesAdded.Count);
        Assert.All(_h.Discord.RolesAdded, r => Assert.Equal(4242ul, r.Role));
    }

    [Fact]
    public async Task Export_GivesAnRfc4180CsvAttachment()
    {
        await ConnectAsync();
        var tricky = TestInteractions.User(7);
        _h.SeedLinkedUser(tricky, wallet: "0xab,\"cd\"\nef");
        _h.SeedLinkedUser(Member);
        await _h.DispatchAsync(Button("allowlist:enter:a1", tricky));
        await _h.DispatchAsync(Button("allowlist:enter:a1", Member));

        var r = await _h.DispatchAsync(Command("naffles-allowlist-export", Admin, Permissions.ManageGuild, Str("allowlist_id", "a1")));

        var file = Assert.Single(r.LastMessage.Files);
        Assert.EndsWith(".csv", file.FileName, StringComparison.Ordinal);
        Assert.True(r.LastMessage.Flags.HasFlag(MessageFlags.Ephemeral));
        var csv = Encoding.UTF8.GetString(file.Content.Span);
        Assert.StartsWith("entry_id,user_id,discord_id,wallet_address,status,source,entered_at\r\n", csv, StringComparison.Ordinal);
        Assert.Contains(",\"0xab,\"\"cd\"\"\nef\",", csv, StringComparison.Ordinal);
        Assert.Equal(3, ParseCsv(csv).Count);
        Assert.Equal("0xab,\"cd\"\nef", ParseCsv(csv)[1][3]);
    }

    [Fact]
    public async Task Export_AsMember_IsRefused()
    {
        var r = await _h.DispatchAsync(Command("naffles-allowlist-export", Member, Permissions.None, Str("allowlist_id", "a1")));

        Assert.StartsWith("❌", r.LastEmbed.Title);
        Assert.Empty(r.LastMessage.Files);
    }

    [Theory]
    [InlineData("entries", "Entries: **2**")]
    [InlineData("engagement", "Unique wallets: **2**")]
    [InlineData("conversion", "Members who entered: **66.7%** (2/3)")]
    public async Task Analytics_ShowsFiguresFromTheApi(string metric, string expected)
    {
        await ConnectAsync();
        _h.SeedLinkedUser(Member);
        _h.SeedLinkedUser(TestInteractions.User(1));
        await _h.DispatchAsync(Button("allowlist:enter:a1", Member));
        await _h.DispatchAsync(Button("allowlist:enter:a1", TestInteractions.User(1)));

        var r = await _h.DispatchAsync(Command("naffles-allowlist-analytics", Admin, Permissions.ManageGuild, Str("metric", metric)));

        Assert.Contains(expected, Assert.Single(r.LastEmbed.Fields).Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_DeletedMessage_IsUnmapped_OrRepostedWhenConfigured()
    {
        var post = await ConnectAsync();
        _h.Discord.DeleteMessage(post.MessageId);
        _h.Naffles.SetAllowlistStatus("a1", "cancelled");
        await _h.Plugin<AllowlistPostSynchronizer>("naffles.allowlists").SyncAllAsync(default);
        Assert.Null(await _h.Plugin<AllowlistPostStore>("naffles.allowlists").GetAsync("a1", default));

        await using var h = await FeatureHarness.StartAsync([new AllowlistsPlugin()], new Dictionary<string, string?> { ["Plugins:Settings:naffles.allowlists:RepostDeleted"] = "true" });
        await h.SeedLinkedCommunityAsync();
        h.Naffles.AddAllowlist("a1", FeatureHarness.CommunityId, "Genesis Mint");
        await h.DispatchAsync(Command("naffles-connect-allowlist", Admin, Permissions.ManageGuild, Str("allowlist_id", "a1")));
        var first = Assert.Single(h.Discord.Sent);
        h.Discord.DeleteMessage(first.MessageId);
        h.Naffles.SetAllowlistFields("a1", new JsonObject { ["title"] = "Renamed" });
        await h.Plugin<AllowlistPostSynchronizer>("naffles.allowlists").SyncAllAsync(default);
        Assert.Equal(2, h.Discord.Sent.Count);
        Assert.Equal(h.Discord.Sent[1].MessageId, (await h.Plugin<AllowlistPostStore>("naffles.allowlists").GetAsync("a1", default))!.MessageId);
    }

    [Fact]
    public async Task Enter_NafflesDown_GivesAGracefulMessage()
    {
        await ConnectAsync();
        _h.SeedLinkedUser(Member);
        _h.Naffles.Faults.Add(NafflesEmulatorRoutes.EnterAllowlist, NafflesFault.Status(502));

        var r = await _h.DispatchAsync(Button("allowlist:enter:a1", Member));

        Assert.Equal("❌ Naffles Unavailable", r.LastEmbed.Title);
        Assert.Empty(_h.Naffles.GetStoredEntries("a1"));
    }

    [Fact]
    public async Task Analytics_AsMember_IsRefused_AndUnknownIdSaysNotFound()
    {
        var member = await _h.DispatchAsync(Command("naffles-allowlist-analytics", Member, Permissions.None));
        var unknown = await _h.DispatchAsync(Command("naffles-allowlist-analytics", Admin, Permissions.ManageGuild, Str("allowlist_id", "zzz")));
        var export = await _h.DispatchAsync(Command("naffles-allowlist-export", Admin, Permissions.ManageGuild, Str("allowlist_id", "zzz")));

        Assert.StartsWith("❌", member.LastEmbed.Title);
        Assert.Equal("❌ Allowlist Not Found", unknown.LastEmbed.Title);
        Assert.Equal("❌ Allowlist Not Found", export.LastEmbed.Title);
    }

    [Fact]
    public void Csv_QuotesOnlyWhatNeedsQuoting()
    {
        var csv = Csv.Write([["plain", "a,b", "say \"hi\"", "line\nbreak", "", null]]);

        Assert.Equal("plain,\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",,\r\n", csv);
    }

    [Fact]
    public void WinnerMessages_RespectContentAndMentionLimits()
    {
        var winners = Enumerable.Range(1, 250).Select(i => new AllowlistWinner(null, (100_000_000_000_000_000 + (ulong)i).ToString(System.Globalization.CultureInfo.InvariantCulture), null)).ToList();

        var messages = WinnerAnnouncer.Build(new string('x', 300), winners);

        Assert.All(messages, m => Assert.True(m.Content!.Length <= 2000 && m.AllowedMentions!.Users.Count <= 100));
        Assert.Equal(250, messages.Sum(m => m.AllowedMentions!.Users.Count));
    }

    private static List<List<string>> ParseCsv(string text) => NafflesBotKit.Testing.Text.Rfc4180.Parse(text);
}
