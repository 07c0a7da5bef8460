using NafflesBotKit.Events;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Plugins.Features.Tests.Support;
using NafflesBotKit.Plugins.SocialTasks;
using NafflesBotKit.Testing.Naffles;
using static NafflesBotKit.Plugins.Features.Tests.Support.TestInteractions;

namespace NafflesBotKit.Plugins.Features.Tests;

public sealed class SocialTasksTests : IAsyncLifetime
{
    private FeatureHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await FeatureHarness.StartAsync([new SocialTasksPlugin()]);
        await _h.SeedLinkedCommunityAsync();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static Interaction CreateCommand(DiscordUser user, Permissions permissions, string type = "twitter_follow", long points = 50, params CommandOptionValue[] extra) =>
        Command("naffles-create-task", user, permissions, [Str("type", type), Str("title", "Follow us"), Str("description", "Follow our Twitter"), Int("points", points), .. extra]);

    private async Task<(string TaskId, SentMessage Post)> CreateTwitterTaskAsync(long durationHours = 24)
    {
        var command = await _h.DispatchAsync(CreateCommand(Admin, Permissions.ManageGuild, extra: Int("duration", durationHours)));
        var modal = command.Modal ?? throw new InvalidOperationException("no modal shown: " + command.LastEmbed.Title);
        var submit = await _h.DispatchAsync(ModalSubmit(modal.CustomId, Admin, ("twitter_username", "@naffles")));
        Assert.StartsWith("✅", submit.LastEmbed.Title);
        var post = Assert.Single(_h.Discord.Sent);
        var taskId = post.Message.Components.SelectMany(r => r.Components).OfType<Button>().First().CustomId!["task:complete:".Length..];
        return (taskId, post);
    }

    [Fact]
    public async Task CreateTask_AsAdmin_ShowsTheTypesModal_ThenCreatesOnNafflesAndPostsTheTask()
    {
        var command = await _h.DispatchAsync(CreateCommand(Admin, Permissions.ManageGuild));

        var modal = Assert.IsType<ModalPayload>(command.Modal);
        Assert.StartsWith("task:create:twitter:", modal.CustomId);
        var input = Assert.IsType<TextInput>(Assert.Single(Assert.Single(modal.Components).Components));
        Assert.Equal("twitter_username", input.CustomId);

        var submit = await _h.DispatchAsync(ModalSubmit(modal.CustomId, Admin, ("twitter_username", "@naffles")));

        Assert.Equal("✅ Task Created", submit.LastEmbed.Title);
        Assert.True(submit.LastMessage.Flags.HasFlag(MessageFlags.Ephemeral));
        var post = Assert.Single(_h.Discord.Sent);
        Assert.Equal(ChannelId, post.ChannelId);
        var embed = Assert.Single(post.Message.Embeds);
        Assert.Equal("🎯 Follow us", embed.Title);
        Assert.Equal(NafflesEmbeds.FooterText, embed.Footer!.Text);
        Assert.Contains(embed.Fields, f => f.Name == "💰 Reward" && f.Value == "50 points");
        Assert.Contains(embed.Fields, f => f.Name == "⏰ Ends" && f.Value.StartsWith("<t:", StringComparison.Ordinal) && f.Value.EndsWith(":R>", StringComparison.Ordinal));
        var buttons = post.Message.Components.SelectMany(r => r.Components).OfType<Button>().ToList();
        Assert.Contains(buttons, b => b.CustomId!.StartsWith("task:complete:", StringComparison.Ordinal) && !b.Disabled);
        Assert.Contains(buttons, b => b.CustomId?.StartsWith("task:view:", StringComparison.Ordinal) == true);
        var created = Assert.Single(_h.Naffles.RequestsTo(NafflesEmulatorRoutes.CreateSocialTask));
        Assert.Equal("naffles", created.Json!["configuration"]!["twitterUsername"]!.GetValue<string>());

        // The mapping survives in the plugin store.
        var taskId = buttons[0].CustomId!["task:complete:".Length..];
        var mapping = await _h.Plugin<TaskPostStore>("naffles.social-tasks").GetAsync(taskId, default);
        Assert.Equal(post.MessageId, mapping!.MessageId);
    }

    [Fact]
    public async Task CreateTask_ToAnotherChannel_PostsThere()
    {
        var other = new DiscordChannel(777, "tasks");
        var command = await _h.DispatchAsync(CommandWithChannel("naffles-create-task", Admin, Permissions.ManageGuild, other,
            Str("type", "custom"), Str("title", "Quiz"), Str("description", "Answer"), Int("points", 5), Channel("channel", 777)));
        Assert.StartsWith("task:create:custom:", command.Modal!.CustomId);

        await _h.DispatchAsync(ModalSubmit(command.Modal.CustomId, Admin, ("custom_instructions", "Answer the quiz"), ("verification_method", "Manual review")));

        Assert.Equal(777ul, Assert.Single(_h.Discord.Sent).ChannelId);
    }

    [Fact]
    public async Task CreateTask_AsMember_IsRefused()
    {
        var r = await _h.DispatchAsync(CreateCommand(Member, Permissions.None));

        Assert.Null(r.Modal);
        Assert.StartsWith("❌", r.LastEmbed.Title);
        Assert.Empty(_h.Naffles.RequestsTo(NafflesEmulatorRoutes.CreateSocialTask));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    public async Task CreateTask_PointsOutOfRange_IsRefusedWithoutAModal(long points)
    {
        var r = await _h.DispatchAsync(CreateCommand(Admin, Permissions.ManageGuild, points: points));

        Assert.Null(r.Modal);
        Assert.StartsWith("❌", r.LastEmbed.Title);
    }

    [Fact]
    public async Task CreateTask_UnlinkedServer_SaysSo()
    {
        await using var h = await FeatureHarness.StartAsync([new SocialTasksPlugin()]);

        var r = await h.DispatchAsync(CreateCommand(Admin, Permissions.ManageGuild));

        Assert.Null(r.Modal);
        Assert.Equal("❌ Server Not Linked", r.LastEmbed.Title);
        Assert.Equal(NafflesEmbeds.ErrorRed, r.LastEmbed.Color);
    }

    [Fact]
    public async Task CreateTask_BadTwitterHandle_IsRefused()
    {
        var command = await _h.DispatchAsync(CreateCommand(Admin, Permissions.ManageGuild));

        var submit = await _h.DispatchAsync(ModalSubmit(command.Modal!.CustomId, Admin, ("twitter_username", "not a handle!")));

        Assert.Equal("❌ Invalid Input", submit.LastEmbed.Title);
        Assert.Empty(_h.Discord.Sent);
    }

    [Fact]
    public async Task CreateTask_NafflesDown_GivesAGracefulMessage_AndPostsNothing()
    {
        var command = await _h.DispatchAsync(CreateCommand(Admin, Permissions.ManageGuild));
        _h.Naffles.Faults.Add(NafflesEmulatorRoutes.CreateSocialTask, NafflesFault.Status(503));

        var submit = await _h.DispatchAsync(ModalSubmit(command.Modal!.CustomId, Admin, ("twitter_username", "naffles")));

        Assert.Equal("❌ Naffles Unavailable", submit.LastEmbed.Title);
        Assert.Contains(submit.LastEmbed.Fields, f => f.Name == NafflesEmbeds.SuggestionsFieldName);
        Assert.Empty(_h.Discord.Sent);
    }

    [Fact]
    public async Task CreateTask_ModalSubmittedTwiceConcurrently_CreatesOneTask()
    {
        var command = await _h.DispatchAsync(CreateCommand(Admin, Permissions.ManageGuild));

        var submits = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _h.DispatchAsync(ModalSubmit(command.Modal!.CustomId, Admin, ("twitter_username", "naffles")))));

        Assert.Single(_h.Naffles.RequestsTo(NafflesEmulatorRoutes.CreateSocialTask));
        Assert.Single(_h.Discord.Sent);
        Assert.Equal(2, submits.Count(s => s.LastEmbed.Title == "❌ Session Expired"));
    }

    [Fact]
    public async Task CreateTask_ExpiredDraft_SaysSessionExpired()
    {
        var submit = await _h.DispatchAsync(ModalSubmit("task:create:twitter:nosuchdraft", Admin, ("twitter_username", "naffles")));

        Assert.Equal("❌ Session Expired", submit.LastEmbed.Title);
    }

    [Fact]
    public async Task ListTasks_ShowsSummaryAndPagedSelect_AndSelectingShowsEphemeralDetail()
    {
        for (var i = 0; i < 30; i++)
        {
            _h.Naffles.AddSocialTask($"t{i:00}", FeatureHarness.CommunityId, $"Task {i}", points: 10, createdAt: _h.Time.GetUtcNow().AddMinutes(i));
        }

        var list = await _h.DispatchAsync(Command("naffles-list-tasks", Member, Permissions.None));

        var embed = list.LastEmbed;
        Assert.Equal("📋 Social Tasks (Active)", embed.Title);
        Assert.Contains(embed.Fields, f => f.Name == "📊 Tasks" && f.Value == "30");
        Assert.Contains(embed.Fields, f => f.Name == "💰 Points Available" && f.Value == "300");
        var select = list.LastMessage.Components.SelectMany(r => r.Components).OfType<SelectMenu>().Single();
        Assert.Equal(25, select.Options.Count);
        var next = list.LastMessage.Components.SelectMany(r => r.Components).OfType<Button>().Single(b => b.Label == "Next");

        var page2 = await _h.DispatchAsync(Button(next.CustomId!, Member));
        Assert.Equal(5, page2.LastMessage.Components.SelectMany(r => r.Components).OfType<SelectMenu>().Single().Options.Count);

        var detail = await _h.DispatchAsync(Select(select.CustomId, Member, select.Options[0].Value));
        Assert.True(detail.LastMessage.Flags.HasFlag(MessageFlags.Ephemeral));
        Assert.StartsWith("🎯 Task", detail.LastEmbed.Title);
    }

    [Fact]
    public async Task ListTasks_None_SaysSo()
    {
        var list = await _h.DispatchAsync(Command("naffles-list-tasks", Member, Permissions.None, Str("status", "expired")));

        Assert.Equal("No expired tasks found for this community.", list.LastEmbed.Description);
    }

    [Fact]
    public async Task ListTasks_NafflesDown_GivesAGracefulMessage()
    {
        _h.Naffles.Faults.Add(NafflesEmulatorRoutes.GetSocialTasks, NafflesFault.Status(500));

        var list = await _h.DispatchAsync(Command("naffles-list-tasks", Member, Permissions.None));

        Assert.Equal("❌ Naffles Unavailable", list.LastEmbed.Title);
    }

    [Fact]
    public async Task Complete_UnlinkedUser_GetsTheLinkPrompt()
    {
        var (taskId, _) = await CreateTwitterTaskAsync();

        var r = await _h.DispatchAsync(Button($"task:complete:{taskId}", Member));

        Assert.Equal("❌ Account Not Linked", r.LastEmbed.Title);
        var link = r.LastMessage.Components.SelectMany(c => c.Components).OfType<Button>().Single();
        Assert.Equal(ButtonStyle.Link, link.Style);
        Assert.Empty(_h.Naffles.GetStoredCompletions(taskId));
    }

    [Fact]
    public async Task Complete_LinkedUser_RecordsOnce_EvenWhenClickedConcurrently()
    {
        var (taskId, _) = await CreateTwitterTaskAsync();
        _h.SeedLinkedUser(Member);

        var clicks = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _h.DispatchAsync(Button($"task:complete:{taskId}", Member))));

        Assert.Single(_h.Naffles.GetStoredCompletions(taskId));
        Assert.Single(clicks, c => c.LastEmbed.Title == "✅ Task Completed!");
        Assert.Equal(4, clicks.Count(c => c.LastEmbed.Title == "✅ Already Completed"));
        Assert.Contains("50 points", clicks.Single(c => c.LastEmbed.Title == "✅ Task Completed!").LastEmbed.Description);
    }

    [Fact]
    public async Task Complete_NafflesDown_GivesAGracefulMessage()
    {
        var (taskId, _) = await CreateTwitterTaskAsync();
        _h.Naffles.Faults.Add(NafflesEmulatorRoutes.GetUserByDiscordId, NafflesFault.Status(503));

        var r = await _h.DispatchAsync(Button($"task:complete:{taskId}", Member));

        Assert.Equal("❌ Naffles Unavailable", r.LastEmbed.Title);
    }

    [Fact]
    public async Task Complete_V1CustomIds_AreRouted()
    {
        var (taskId, _) = await CreateTwitterTaskAsync();
        _h.SeedLinkedUser(Member);

        var view = await _h.DispatchAsync(Button($"view_task_{taskId}", Member));
        var complete = await _h.DispatchAsync(Button($"complete_task_{taskId}", Member));

        Assert.Equal("🎯 Follow us", view.LastEmbed.Title);
        Assert.Equal("✅ Task Completed!", complete.LastEmbed.Title);
    }

    [Fact]
    public async Task Complete_UnknownTask_SaysNotFound()
    {
        _h.SeedLinkedUser(Member);

        var r = await _h.DispatchAsync(Button("task:complete:nope", Member));

        Assert.Equal("❌ Task Not Found", r.LastEmbed.Title);
    }

    [Fact]
    public async Task Complete_DiscordJoin_IsCheckedByTheBot()
    {
        var command = await _h.DispatchAsync(CreateCommand(Admin, Permissions.ManageGuild, type: "discord_join"));
        await _h.DispatchAsync(ModalSubmit(command.Modal!.CustomId, Admin, ("discord_invite", "https://discord.gg/naffles")));
        var taskId = Assert.Single(_h.Discord.Sent).Message.Components.SelectMany(r => r.Components).OfType<Button>().First().CustomId!["task:complete:".Length..];
        _h.SeedLinkedUser(Member);

        var notMember = await _h.DispatchAsync(Button($"task:complete:{taskId}", Member));
        _h.Discord.AddMember(GuildId, Member.Id);
        var member = await _h.DispatchAsync(Button($"task:complete:{taskId}", Member));

        Assert.Equal("❌ Requirement Not Met", notMember.LastEmbed.Title);
        Assert.Equal("✅ Task Completed!", member.LastEmbed.Title);
        Assert.Single(_h.Naffles.GetStoredCompletions(taskId));
    }

    [Fact]
    public async Task Complete_ExpiredTask_IsRefused_AndSyncDisablesTheButton()
    {
        var (taskId, post) = await CreateTwitterTaskAsync(durationHours: 1);
        _h.SeedLinkedUser(Member);
        _h.Time.Advance(TimeSpan.FromHours(2));

        var r = await _h.DispatchAsync(Button($"task:complete:{taskId}", Member));
        await _h.Plugin<TaskPostSynchronizer>("naffles.social-tasks").SyncAllAsync(default);

        Assert.Equal("❌ Task Ended", r.LastEmbed.Title);
        var edit = _h.Discord.Edits.Last(e => e.MessageId == post.MessageId);
        Assert.Contains(edit.Message.Embeds[0].Fields, f => f.Name == "📊 Status" && f.Value == "❌ Expired");
        Assert.True(edit.Message.Components.SelectMany(c => c.Components).OfType<Button>().Single(b => b.CustomId == $"task:complete:{taskId}").Disabled);
    }

    [Fact]
    public async Task CompletionEvents_AreCoalesced_ToOneEditPerFiveSeconds()
    {
        var (taskId, post) = await CreateTwitterTaskAsync();
        var refresher = _h.Plugin<TaskPostRefresher>("naffles.social-tasks");

        for (var i = 1; i <= 200; i++)
        {
            await _h.Bus.PublishAsync(new NafflesTaskCompleted { DeliveryId = $"d{i}", OccurredAt = _h.Time.GetUtcNow(), TaskId = taskId, CompletedBy = i });
            await refresher.WhenIdleAsync();
            _h.Time.Advance(TimeSpan.FromMilliseconds(50)); // 200 events over 10 s
        }

        _h.Time.Advance(TimeSpan.FromSeconds(5));
        await refresher.WhenIdleAsync();

        var edits = _h.Discord.Edits.Where(e => e.MessageId == post.MessageId).ToList();
        Assert.InRange(edits.Count, 2, 3);
        Assert.Contains(edits[^1].Message.Embeds[0].Fields, f => f.Name == "✅ Completed By" && f.Value == "200 users");
    }

    [Fact]
    public async Task Sync_DeletedMessage_IsUnmapped()
    {
        var (taskId, post) = await CreateTwitterTaskAsync();
        _h.Discord.DeleteMessage(post.MessageId);
        _h.Naffles.AddSocialTask(taskId, FeatureHarness.CommunityId, "Renamed", status: "completed");

        await _h.Plugin<TaskPostSynchronizer>("naffles.social-tasks").SyncAllAsync(default);

        Assert.Null(await _h.Plugin<TaskPostStore>("naffles.social-tasks").GetAsync(taskId, default));
    }

    [Fact]
    public async Task Sync_RunsOnThePeriodicTimer_AndPicksUpNafflesChanges()
    {
        var (taskId, post) = await CreateTwitterTaskAsync();
        _h.Naffles.AddSocialTask(taskId, FeatureHarness.CommunityId, "Follow us", status: "completed");

        _h.Time.Advance(TimeSpan.FromSeconds(30));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_h.Discord.Edits.Any(e => e.MessageId == post.MessageId) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var edit = _h.Discord.Edits.Last(e => e.MessageId == post.MessageId);
        Assert.Contains(edit.Message.Embeds[0].Fields, f => f.Name == "📊 Status" && f.Value == "✅ Completed");
    }
}
