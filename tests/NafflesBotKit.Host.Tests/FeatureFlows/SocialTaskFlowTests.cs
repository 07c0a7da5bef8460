using System.Globalization;
using System.Text.Json.Nodes;
using NafflesBotKit.Testing.Discord;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Host.Tests.FeatureFlows;

/// <summary>SocialTasks through the real host: create (command, modal, post), list, details, complete.</summary>
[Collection(FeatureHostCollection.Name)]
public sealed class SocialTaskFlowTests(FeatureHostFixture fixture)
{
    private readonly FeatureHost _host = fixture.Host;

    [Fact]
    public async Task CreateTask_CommandModalPost_ThenMemberCompletesOnceAndSeesDetails()
    {
        var guild = await _host.LinkedGuildAsync();
        var (post, taskId) = await CreateTaskAsync(guild, "twitter_follow", "Follow us", new() { ["twitter_username"] = "@naffles" });

        var embed = Assert.IsType<JsonObject>(post.Embeds[0]);
        Assert.Contains("Follow us", (string?)embed["title"], StringComparison.Ordinal);
        Assert.Equal("Powered by Naffles", (string?)embed["footer"]?["text"]);
        var stored = Assert.Single(_host.Naffles.RequestsTo(NafflesEmulatorRoutes.CreateSocialTask), r => r.Path.Contains(guild.CommunityId, StringComparison.Ordinal));
        Assert.Equal("naffles", (string?)stored.Json?["configuration"]?["twitterUsername"]);
        Assert.Equal(250, (long?)stored.Json?["rewards"]?["points"]);

        var member = _host.Member(guild);
        var completed = await _host.ClickAsync(member, guild, post.Id, $"task:complete:{taskId}");
        Assert.Contains("Task Completed", completed.Title, StringComparison.Ordinal);
        Assert.Contains("250", completed.Description, StringComparison.Ordinal);
        Assert.True(completed.Ephemeral);
        Assert.True(completed.Acknowledged < TimeSpan.FromSeconds(3), $"acknowledged after {completed.Acknowledged}");

        var again = await _host.ClickAsync(member, guild, post.Id, $"task:complete:{taskId}");
        Assert.Contains("Already Completed", again.Title, StringComparison.Ordinal);
        Assert.Single(_host.Naffles.GetStoredCompletions(taskId));

        var details = await _host.ClickAsync(member, guild, post.Id, $"task:view:{taskId}");
        Assert.True(details.Ephemeral);
        Assert.Contains("Follow us", details.Text, StringComparison.Ordinal);

        // The live post counts the completion (task_completed webhook and the local refresh, coalesced).
        await FeatureHost.EventuallyAsync(() => AllowlistFlowTests.Fields((JsonObject)_host.Discord.Message(post.Id)!.Embeds[0]!)["✅ Completed By"] == "1 user", "post shows 1 completion", TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task CreateTask_EveryTypeShowsItsModalFields()
    {
        var guild = await _host.LinkedGuildAsync();
        var expected = new Dictionary<string, string[]>
        {
            ["twitter_follow"] = ["twitter_username"],
            ["discord_join"] = ["discord_invite"],
            ["telegram_join"] = ["telegram_link"],
            ["custom"] = ["custom_instructions", "verification_method"],
        };
        foreach (var (type, fields) in expected)
        {
            var modal = await _host.RunAsync(guild.Admin, guild, "naffles-create-task", Options(type, "T " + type));
            Assert.Equal(9, modal.First.Type);
            var inputs = BotReplies.Flatten((JsonArray)modal.First.Data!["components"]!).Where(c => (int?)c["type"] == 4).Select(c => (string?)c["custom_id"]).ToList();
            Assert.Equal(fields, inputs);
        }
    }

    [Fact]
    public async Task CreateTask_DiscordJoin_CompletionCheckedAgainstGuildMembership()
    {
        var guild = await _host.LinkedGuildAsync();
        var (post, taskId) = await CreateTaskAsync(guild, "discord_join", "Join our server", new() { ["discord_invite"] = "https://discord.gg/naffles" });
        var member = _host.Member(guild);

        var completed = await _host.ClickAsync(member, guild, post.Id, $"task:complete:{taskId}");

        Assert.Contains("Task Completed", completed.Title, StringComparison.Ordinal);
        Assert.Contains(_host.Discord.Requests, r => r.Method == "GET" && r.Path == $"/guilds/{guild.Id}/members/{member.Id}");
        Assert.Equal("discord-membership", (string?)_host.Naffles.GetStoredCompletions(taskId).Single()["completionData"]?["verifiedBy"]);
    }

    [Fact]
    public async Task CreateTask_CustomAndTelegram_PostTasks()
    {
        var guild = await _host.LinkedGuildAsync();
        var (_, custom) = await CreateTaskAsync(guild, "custom", "Write a poem", new() { ["custom_instructions"] = "Write a poem about Naffles", ["verification_method"] = "Screenshot" });
        var (_, telegram) = await CreateTaskAsync(guild, "telegram_join", "Join Telegram", new() { ["telegram_link"] = "https://t.me/naffles" });

        Assert.NotEqual(custom, telegram);
    }

    [Fact]
    public async Task CreateTask_InvalidModalInput_SaysWhatIsWrongAndCreatesNothing()
    {
        var guild = await _host.LinkedGuildAsync();
        var modal = await _host.RunAsync(guild.Admin, guild, "naffles-create-task", Options("twitter_follow", "Bad handle"));
        var before = _host.Naffles.RequestsTo(NafflesEmulatorRoutes.CreateSocialTask).Count;

        var reply = await _host.SubmitAsync(guild.Admin, guild, (string)modal.First.Data!["custom_id"]!, new() { ["twitter_username"] = "not a valid handle!" });

        Assert.Contains("Invalid Input", reply.Title, StringComparison.Ordinal);
        Assert.Equal(before, _host.Naffles.RequestsTo(NafflesEmulatorRoutes.CreateSocialTask).Count);
    }

    [Fact]
    public async Task CreateTask_ByMember_IsDeniedWithoutModal()
    {
        var guild = await _host.LinkedGuildAsync();
        var member = _host.Member(guild);

        var reply = await _host.RunAsync(member, guild, "naffles-create-task", Options("custom", "Member task"));

        Assert.NotEqual(9, reply.First.Type);
        Assert.Contains("Manage Server", reply.Text, StringComparison.OrdinalIgnoreCase);
        Assert.True(reply.Ephemeral);
    }

    [Fact]
    public async Task CreateTask_UnlinkedServer_SaysNotLinked()
    {
        var guild = _host.UnlinkedGuild();

        var reply = await _host.RunAsync(guild.Admin, guild, "naffles-create-task", Options("custom", "No link"));

        Assert.Contains("Server Not Linked", reply.Title, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("points", 0L)]
    [InlineData("points", 10_001L)]
    [InlineData("duration", 0L)]
    [InlineData("duration", 8_761L)]
    public async Task CreateTask_OutOfRangeNumber_IsRefusedWithoutModal(string option, long value)
    {
        var guild = await _host.LinkedGuildAsync();
        var options = Options("custom", "Out of range");
        options[option] = value;

        var reply = await _host.RunAsync(guild.Admin, guild, "naffles-create-task", options);

        Assert.NotEqual(9, reply.First.Type);
        Assert.True(reply.Ephemeral);
        Assert.Contains(option, reply.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CreateTask_TitleOverLimitOrUnknownType_IsRefusedWithoutModal()
    {
        var guild = await _host.LinkedGuildAsync();

        var longTitle = await _host.RunAsync(guild.Admin, guild, "naffles-create-task", Options("custom", new string('x', 101)));
        var badType = await _host.RunAsync(guild.Admin, guild, "naffles-create-task", Options("instagram_like", "Unknown type"));

        Assert.NotEqual(9, longTitle.First.Type);
        Assert.Contains("title", longTitle.Text, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(9, badType.First.Type);
        Assert.Contains("type", badType.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ListTasks_SummaryAndSelectShowDetails()
    {
        var guild = await _host.LinkedGuildAsync();
        var first = _host.Naffles.AddSocialTask($"task-list-a-{FeatureHost.Next()}", guild.CommunityId, "Seeded A", points: 40);
        var second = _host.Naffles.AddSocialTask($"task-list-b-{FeatureHost.Next()}", guild.CommunityId, "Seeded B", points: 60);
        var member = _host.Member(guild);

        var list = await _host.RunAsync(member, guild, "naffles-list-tasks", new() { ["status"] = "active" });

        Assert.Contains("Social Tasks", list.Title, StringComparison.Ordinal);
        Assert.Contains("100", list.Text, StringComparison.Ordinal); // points available
        var menu = list.CustomIds.Single(id => id.StartsWith("task:select:", StringComparison.Ordinal));
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), BotReplies.OptionValues(list.Message!.Components, menu).Order(StringComparer.Ordinal));

        var detail = await _host.ClickAsync(member, guild, list.Message.Id, menu, second);

        Assert.True(detail.Ephemeral);
        Assert.Contains("Seeded B", detail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListTasks_UnlinkedServer_SaysNotLinked()
    {
        var guild = _host.UnlinkedGuild();

        var reply = await _host.RunAsync(guild.Admin, guild, "naffles-list-tasks");

        Assert.Contains("Server Not Linked", reply.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task V1Buttons_OnOldPosts_CompleteAndView()
    {
        var guild = await _host.LinkedGuildAsync();
        var taskId = _host.Naffles.AddSocialTask($"v1task{FeatureHost.Next()}", guild.CommunityId, "Old post task", points: 15);
        var old = _host.Discord.SeedMessage(guild.ChannelId, V1Buttons($"complete_task_{taskId}", $"view_task_{taskId}"));
        var member = _host.Member(guild);

        var completed = await _host.ClickAsync(member, guild, old.Id, $"complete_task_{taskId}");
        var view = await _host.ClickAsync(member, guild, old.Id, $"view_task_{taskId}");

        Assert.Contains("Task Completed", completed.Title, StringComparison.Ordinal);
        Assert.Contains("Old post task", view.Text, StringComparison.Ordinal);
        Assert.Single(_host.Naffles.GetStoredCompletions(taskId));
    }

    [Fact]
    public async Task Complete_UnlinkedUser_GetsLinkPromptAndNothingIsRecorded()
    {
        var guild = await _host.LinkedGuildAsync();
        var taskId = _host.Naffles.AddSocialTask($"task-unlinked-{FeatureHost.Next()}", guild.CommunityId, "Needs account");
        var post = _host.Discord.SeedMessage(guild.ChannelId, V1Buttons($"complete_task_{taskId}", $"view_task_{taskId}"));
        var stranger = _host.Member(guild, linked: false);

        var reply = await _host.ClickAsync(stranger, guild, post.Id, $"complete_task_{taskId}");

        Assert.Contains("Account Not Linked", reply.Title, StringComparison.Ordinal);
        Assert.NotEmpty(reply.LinkUrls);
        Assert.True(reply.Ephemeral);
        Assert.Empty(_host.Naffles.GetStoredCompletions(taskId));
    }

    [Fact]
    public async Task Complete_UnknownTask_SaysNotFound()
    {
        var guild = await _host.LinkedGuildAsync();
        var post = _host.Discord.SeedMessage(guild.ChannelId, V1Buttons("complete_task_doesnotexist", "view_task_doesnotexist"));
        var member = _host.Member(guild);

        var complete = await _host.ClickAsync(member, guild, post.Id, "complete_task_doesnotexist");
        var view = await _host.ClickAsync(member, guild, post.Id, "view_task_doesnotexist");

        Assert.Contains("Not Found", complete.Title, StringComparison.Ordinal);
        Assert.Contains("Not Found", view.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_EndedTask_SaysEnded()
    {
        var guild = await _host.LinkedGuildAsync();
        var taskId = _host.Naffles.AddSocialTask($"task-ended-{FeatureHost.Next()}", guild.CommunityId, "Over", status: "completed");
        var post = _host.Discord.SeedMessage(guild.ChannelId, V1Buttons($"complete_task_{taskId}", $"view_task_{taskId}"));

        var reply = await _host.ClickAsync(_host.Member(guild), guild, post.Id, $"complete_task_{taskId}");

        Assert.Contains("Task Ended", reply.Title, StringComparison.Ordinal);
    }

    internal static JsonArray V1Buttons(string first, string second) => new(new JsonObject
    {
        ["type"] = 1,
        ["components"] = new JsonArray(
            new JsonObject { ["type"] = 2, ["style"] = 3, ["label"] = "Go", ["custom_id"] = first },
            new JsonObject { ["type"] = 2, ["style"] = 2, ["label"] = "Details", ["custom_id"] = second }),
    });

    private static Dictionary<string, object> Options(string type, string title) => new()
    {
        ["type"] = type,
        ["title"] = title,
        ["description"] = "A task for the end-to-end test",
        ["points"] = 250L,
    };

    private async Task<(EmulatedMessage Post, string TaskId)> CreateTaskAsync(TestGuild guild, string type, string title, Dictionary<string, string> fields)
    {
        var modal = await _host.RunAsync(guild.Admin, guild, "naffles-create-task", Options(type, title));
        Assert.Equal(9, modal.First.Type);
        var customId = (string)modal.First.Data!["custom_id"]!;
        var before = _host.Discord.Messages(guild.ChannelId).Count;

        var created = await _host.SubmitAsync(guild.Admin, guild, customId, fields);

        Assert.Contains("Task Created", created.Title, StringComparison.Ordinal);
        Assert.True(created.Ephemeral);
        var post = _host.Discord.Messages(guild.ChannelId).Skip(before).Single(m => m.InteractionId is null);
        var complete = BotReplies.CustomIds(post.Components).Single(id => id.StartsWith("task:complete:", StringComparison.Ordinal));
        var taskId = complete["task:complete:".Length..];
        Assert.Contains($"task:view:{taskId}", BotReplies.CustomIds(post.Components));
        return (post, taskId);
    }
}
