using System.Globalization;
using System.Net;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Naffles.Tests;

/// <summary>Every client method against the emulator over real loopback HTTP (seed dialect).</summary>
public sealed class ClientRoutesTests : IAsyncLifetime
{
    private NafflesEmulator _emulator = null!;
    private ClientHost _host = null!;

    private INafflesApi Api => _host.Api;

    public async Task InitializeAsync()
    {
        _emulator = await NafflesEmulator.StartAsync();
        _emulator.AddCommunity("c1", "Alpha Community", "The first");
        _emulator.AddUser("u1", "alice", discordId: "d-alice");
        _emulator.AddUser("u2", "bob");
        _host = ClientHost.Create(_emulator);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task GetCommunity_Existing_ReturnsIt()
    {
        var community = await Api.Communities.GetCommunityAsync("c1");

        Assert.Equal("c1", community.Id);
        Assert.Equal("Alpha Community", community.Name);
        var request = Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.GetCommunity));
        Assert.Equal("/api/communities/c1", request.Path);
    }

    [Fact]
    public async Task GetCommunity_Missing_ThrowsNotFound()
    {
        var ex = await Assert.ThrowsAsync<NafflesApiException>(() => Api.Communities.GetCommunityAsync("nope"));

        Assert.Equal(NafflesErrorKind.NotFound, ex.Kind);
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.GetCommunity)); // 404 is not retried
    }

    [Fact]
    public async Task Requests_CarrySeedHeaders()
    {
        await Api.Communities.GetCommunityAsync("c1");

        var headers = Assert.Single(_emulator.Requests).Headers;
        Assert.Equal("Bearer " + _emulator.ApiKey, headers["Authorization"]);
        Assert.Equal("NafflesBotKit/1.0", headers["User-Agent"]);
        Assert.Contains("application/json", headers["Accept"], StringComparison.Ordinal);
        Assert.False(headers.ContainsKey("Idempotency-Key")); // reads need none
    }

    [Fact]
    public async Task LinkDiscordServer_SendsSeedBody_AndUnlinkRemovesIt()
    {
        var link = await Api.Communities.LinkDiscordServerAsync("c1", "g-123", "d-alice");

        Assert.Equal("g-123", link.GuildId);
        Assert.Equal("d-alice", link.LinkedBy);
        var body = Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.LinkDiscordServer)).Json!;
        Assert.Equal("g-123", (string?)body["guildId"]);
        Assert.Equal("d-alice", (string?)body["linkedBy"]);
        AssertIsoTimestamp((string?)body["timestamp"]);
        Assert.Equal("g-123", (await Api.Communities.GetCommunityAsync("c1")).DiscordGuildId);

        await Api.Communities.UnlinkDiscordServerAsync("c1");

        Assert.Null((await Api.Communities.GetCommunityAsync("c1")).DiscordGuildId);
        var unlink = Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.UnlinkDiscordServer));
        Assert.Equal("DELETE", unlink.Method);
        Assert.True(Guid.TryParse(unlink.Headers["Idempotency-Key"], out _));
        var again = await Assert.ThrowsAsync<NafflesApiException>(() => Api.Communities.UnlinkDiscordServerAsync("c1"));
        Assert.Equal(NafflesErrorKind.NotFound, again.Kind);
    }

    [Fact]
    public async Task GetCommunityMembers_DefaultQuery_IsTheSeeds()
    {
        _emulator.AddMembership("c1", "u1", CommunityRoles.Admin, DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture));
        _emulator.AddMembership("c1", "u2", CommunityRoles.Member, DateTimeOffset.Parse("2026-02-01T00:00:00Z", CultureInfo.InvariantCulture));

        var page = await Api.Communities.GetCommunityMembersAsync("c1");

        var query = Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.GetCommunityMembers)).Query;
        Assert.Equal("1", query["page"]);
        Assert.Equal("50", query["limit"]);
        Assert.Equal("joinedAt", query["sort"]);
        Assert.Equal("desc", query["order"]);
        Assert.Equal(["u2", "u1"], page.Items.Select(m => m.UserId)); // newest first
        Assert.Equal(2, page.Total);
        Assert.Equal(CommunityRoles.Admin, page.Items[1].Role);
    }

    [Fact]
    public async Task GetCommunityMembers_CustomQuery_IsSent()
    {
        _emulator.AddMembership("c1", "u1", joinedAt: DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture));
        _emulator.AddMembership("c1", "u2", joinedAt: DateTimeOffset.Parse("2026-02-01T00:00:00Z", CultureInfo.InvariantCulture));

        var page = await Api.Communities.GetCommunityMembersAsync("c1", new CommunityMembersQuery { Page = 2, Limit = 1, Order = "asc" });

        Assert.Equal("u2", Assert.Single(page.Items).UserId);
        Assert.Equal(2, page.Page);
        Assert.Equal(1, page.Limit);
    }

    [Fact]
    public async Task GetCommunityMembership_Member_ReturnsRole_NonMember_ReturnsNull()
    {
        _emulator.AddMembership("c1", "u1", CommunityRoles.Moderator);

        var membership = await Api.Communities.GetCommunityMembershipAsync("c1", "u1");
        var none = await Api.Communities.GetCommunityMembershipAsync("c1", "u2");

        Assert.NotNull(membership);
        Assert.Equal(CommunityRoles.Moderator, membership.Role);
        Assert.True(membership.HasAtLeast(CommunityRoles.Member));
        Assert.True(membership.HasAtLeast(CommunityRoles.Moderator));
        Assert.False(membership.HasAtLeast(CommunityRoles.Manager));
        Assert.Null(none);
    }

    [Fact]
    public async Task CreateSocialTask_SendsSourceAndCreatedAt_WithIdempotencyKey()
    {
        var task = await Api.SocialTasks.CreateSocialTaskAsync("c1", new CreateSocialTaskRequest
        {
            Title = "Follow us",
            Description = "on X",
            Type = "twitter_follow",
            Rewards = new SocialTaskRewards { Points = 25 },
            Configuration = new Dictionary<string, string> { ["twitterUsername"] = "naffles" },
            CreatedBy = "d-alice",
        });

        Assert.False(string.IsNullOrEmpty(task.Id));
        Assert.Equal("active", task.Status);
        Assert.Equal(25, task.Rewards!.Points);
        Assert.Equal("naffles", task.Configuration!["twitterUsername"].GetString());
        var request = Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.CreateSocialTask));
        Assert.Equal("discord-bot", (string?)request.Json!["source"]);
        AssertIsoTimestamp((string?)request.Json!["createdAt"]);
        Assert.True(Guid.TryParse(request.Headers["Idempotency-Key"], out _));
    }

    [Fact]
    public async Task CreateSocialTask_Invalid_SurfacesFieldErrors()
    {
        var ex = await Assert.ThrowsAsync<NafflesApiException>(() =>
            Api.SocialTasks.CreateSocialTaskAsync("c1", new CreateSocialTaskRequest { Title = "", Type = "dance" }));

        Assert.Equal(NafflesErrorKind.Validation, ex.Kind);
        Assert.Equal((HttpStatusCode)422, ex.StatusCode);
        Assert.Equal(["title", "type"], ex.FieldErrors.Select(f => f.Field).Order());
        Assert.Contains("twitter_follow", ex.FieldErrors.Single(f => f.Field == "type").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSocialTasks_DefaultQuery_IsTheSeeds_AndFiltersActive()
    {
        _emulator.AddSocialTask("t1", "c1", "Old", createdAt: DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture));
        _emulator.AddSocialTask("t2", "c1", "New", createdAt: DateTimeOffset.Parse("2026-03-01T00:00:00Z", CultureInfo.InvariantCulture));
        _emulator.AddSocialTask("t3", "c1", "Done", status: "completed");

        var page = await Api.SocialTasks.GetSocialTasksAsync("c1");

        var query = Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.GetSocialTasks)).Query;
        Assert.Equal("active", query["status"]);
        Assert.Equal("25", query["limit"]);
        Assert.Equal("1", query["page"]);
        Assert.Equal("createdAt", query["sortBy"]);
        Assert.Equal("desc", query["sortOrder"]);
        Assert.Equal(["t2", "t1"], page.Items.Select(t => t.Id));
    }

    [Fact]
    public async Task UpdateTaskProgress_SendsProgress_AsPatch()
    {
        _emulator.AddSocialTask("t1", "c1", "Follow");

        var progress = await Api.SocialTasks.UpdateTaskProgressAsync("t1", new TaskProgressUpdate { UserId = "u1", Status = "submitted", Progress = 50 });

        Assert.Equal("t1", progress.TaskId);
        Assert.Equal("u1", progress.UserId);
        Assert.Equal(50, progress.Progress);
        var request = Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.UpdateTaskProgress));
        Assert.Equal("PATCH", request.Method);
        Assert.Equal("submitted", (string?)request.Json!["status"]);
    }

    [Fact]
    public async Task CompleteTask_SendsSeedBody_AndSecondCompletionConflicts()
    {
        _emulator.AddSocialTask("t1", "c1", "Follow", points: 40);

        var completion = await Api.SocialTasks.CompleteTaskAsync("t1", "u1", new Dictionary<string, string> { ["twitterHandle"] = "@alice" });

        Assert.Equal("completed", completion.Status);
        Assert.Equal(40, completion.PointsAwarded);
        var body = Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.CompleteTask)).Json!;
        Assert.Equal("u1", (string?)body["userId"]);
        Assert.Equal("@alice", (string?)body["completionData"]!["twitterHandle"]);
        Assert.Equal("discord-bot", (string?)body["source"]);
        AssertIsoTimestamp((string?)body["completedAt"]);

        var again = await Assert.ThrowsAsync<NafflesApiException>(() => Api.SocialTasks.CompleteTaskAsync("t1", "u1"));
        Assert.Equal(NafflesErrorKind.Conflict, again.Kind);
        Assert.Equal("already_completed", again.ErrorCode);
        Assert.Single(_emulator.GetStoredCompletions("t1"));
    }

    [Fact]
    public async Task GetAllowlist_ReturnsIt()
    {
        _emulator.AddAllowlist("a1", "c1", "Genesis", maxEntries: 10, winnerCount: 3);

        var allowlist = await Api.Allowlists.GetAllowlistAsync("a1");

        Assert.Equal("a1", allowlist.Id);
        Assert.Equal("c1", allowlist.CommunityId);
        Assert.Equal(3, allowlist.WinnerCount);
        Assert.Equal(10, allowlist.MaxEntries);
        Assert.Equal("points", allowlist.EntryPrice!.TokenType);
    }

    [Fact]
    public async Task ConnectAllowlistToDiscord_SendsConnectedAt()
    {
        _emulator.AddAllowlist("a1", "c1", "Genesis");

        var connection = await Api.Allowlists.ConnectAllowlistToDiscordAsync("a1", new AllowlistConnectionRequest { GuildId = "g1", ChannelId = "ch1", ConnectedBy = "d-alice" });

        Assert.Equal("a1", connection.AllowlistId);
        Assert.Equal("ch1", connection.ChannelId);
        AssertIsoTimestamp((string?)Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.ConnectAllowlist)).Json!["connectedAt"]);
    }

    [Fact]
    public async Task EnterAllowlist_Twice_SecondReturnsExistingEntry()
    {
        _emulator.AddAllowlist("a1", "c1", "Genesis");

        var first = await Api.Allowlists.EnterAllowlistAsync("a1", new AllowlistEntryRequest { UserId = "u1", DiscordId = "d-alice" });
        var second = await Api.Allowlists.EnterAllowlistAsync("a1", new AllowlistEntryRequest { UserId = "u1", DiscordId = "d-alice" });

        Assert.False(first.AlreadyEntered);
        Assert.True(second.AlreadyEntered);
        Assert.Equal(first.Entry.Id, second.Entry.Id);
        Assert.Single(_emulator.GetStoredEntries("a1"));
        var body = _emulator.RequestsTo(NafflesEmulatorRoutes.EnterAllowlist)[0].Json!;
        Assert.Equal("discord-bot", (string?)body["source"]);
        AssertIsoTimestamp((string?)body["enteredAt"]);
    }

    [Fact]
    public async Task EnterAllowlist_Full_ThrowsConflict()
    {
        _emulator.AddAllowlist("a1", "c1", "Tiny", maxEntries: 1);
        await Api.Allowlists.EnterAllowlistAsync("a1", new AllowlistEntryRequest { UserId = "u1" });

        var ex = await Assert.ThrowsAsync<NafflesApiException>(() => Api.Allowlists.EnterAllowlistAsync("a1", new AllowlistEntryRequest { UserId = "u2" }));

        Assert.Equal(NafflesErrorKind.Conflict, ex.Kind);
        Assert.Equal("allowlist_full", ex.ErrorCode);
        Assert.Single(_emulator.GetStoredEntries("a1"));
    }

    [Fact]
    public async Task GetAllowlistEntries_DefaultQuery_IsTheSeeds()
    {
        _emulator.AddAllowlist("a1", "c1", "Genesis");
        await Api.Allowlists.EnterAllowlistAsync("a1", new AllowlistEntryRequest { UserId = "u1" });
        await Api.Allowlists.EnterAllowlistAsync("a1", new AllowlistEntryRequest { UserId = "u2" });

        var page = await Api.Allowlists.GetAllowlistEntriesAsync("a1");

        var query = Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.GetAllowlistEntries)).Query;
        Assert.Equal("1", query["page"]);
        Assert.Equal("100", query["limit"]);
        Assert.Equal("active", query["status"]);
        Assert.Equal(["u1", "u2"], page.Items.Select(e => e.UserId));
    }

    [Fact]
    public async Task LinkDiscordAccount_SendsSeedBody_ThenUserIsFoundByDiscordId()
    {
        var user = await Api.Users.LinkDiscordAccountAsync("u2", new DiscordAccount { Id = "d-bob", Username = "bob#0", Discriminator = "0", Avatar = "abc" });

        Assert.Equal("d-bob", user.DiscordId);
        var body = Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.LinkDiscordAccount)).Json!;
        Assert.Equal("d-bob", (string?)body["discordId"]);
        Assert.Equal("bob#0", (string?)body["username"]);
        Assert.Equal("0", (string?)body["discriminator"]);
        Assert.Equal("abc", (string?)body["avatar"]);
        AssertIsoTimestamp((string?)body["linkedAt"]);
        Assert.Equal("u2", (await Api.Users.GetUserByDiscordIdAsync("d-bob"))!.Id);
    }

    [Fact]
    public async Task GetUserByDiscordId_Unknown_ReturnsNull()
    {
        Assert.Null(await Api.Users.GetUserByDiscordIdAsync("d-nobody"));
        Assert.Equal("alice", (await Api.Users.GetUserByDiscordIdAsync("d-alice"))!.Username);
    }

    [Fact]
    public async Task FindUserByEmail_PostsAddressInBody_UnknownIsNull()
    {
        _emulator.AddUser("u-mail", "mailer", email: "Mailer@Example.com");

        Assert.Equal("u-mail", (await Api.Users.FindUserByEmailAsync("mailer@example.com"))!.Id);
        Assert.Null(await Api.Users.FindUserByEmailAsync("nobody@example.com"));
        var request = _emulator.RequestsTo(NafflesEmulatorRoutes.FindUserByEmail)[0];
        Assert.Equal("mailer@example.com", (string?)request.Json!["email"]);
        Assert.DoesNotContain("example.com", request.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateUserActivity_SendsTimestampAndSource()
    {
        await Api.Users.UpdateUserActivityAsync("u1", new UserActivity { Type = "command_used", GuildId = "g1", Details = new Dictionary<string, string> { ["command"] = "naffles-tasks" } });

        var request = Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.UpdateUserActivity));
        Assert.Equal("PATCH", request.Method);
        Assert.Equal("discord-bot", (string?)request.Json!["source"]);
        AssertIsoTimestamp((string?)request.Json!["timestamp"]);
        Assert.Equal("command_used", (string?)Assert.Single(_emulator.GetStoredActivities())["type"]);
    }

    [Fact]
    public async Task RegisterWebhook_SendsSeedBody_ReturnsId()
    {
        var registration = await Api.Webhooks.RegisterWebhookAsync(new Uri("https://bot.example/webhooks/naffles"), [NafflesWebhookEvents.TaskCompleted], "s3cret-value");

        Assert.StartsWith("webhook_", registration.Id, StringComparison.Ordinal);
        Assert.True(registration.Active);
        var body = Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.RegisterWebhook)).Json!;
        Assert.Equal("https://bot.example/webhooks/naffles", (string?)body["url"]);
        Assert.Equal("s3cret-value", (string?)body["secret"]);
        Assert.True((bool?)body["active"]);
        Assert.Equal(NafflesWebhookEvents.TaskCompleted, (string?)body["events"]![0]);
    }

    [Fact]
    public async Task Health_ReportsHealthy()
    {
        var health = await Api.Health.GetHealthAsync();

        Assert.True(health.IsHealthy);
        Assert.Equal("1.0.0", health.Version);
    }

    [Fact]
    public async Task BadApiKey_Throws401Authentication_NotRetried()
    {
        await using var wrong = ClientHost.Create(_emulator, new() { ["Naffles:ApiKey"] = "not-the-key" });

        var ex = await Assert.ThrowsAsync<NafflesApiException>(() => wrong.Api.Communities.GetCommunityAsync("c1"));

        Assert.Equal(NafflesErrorKind.Authentication, ex.Kind);
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Single(_emulator.Requests);
    }

    [Fact]
    public async Task XApiKeyHeader_IsAccepted_AndNoAuthorizationIsSent()
    {
        await using var host = ClientHost.Create(_emulator, new() { ["Naffles:ApiKeyHeader"] = "x-api-key" });

        await host.Api.Communities.GetCommunityAsync("c1");

        var headers = Assert.Single(_emulator.Requests).Headers;
        Assert.Equal(_emulator.ApiKey, headers["x-api-key"]);
        Assert.False(headers.ContainsKey("Authorization"));
    }

    private static void AssertIsoTimestamp(string? value)
    {
        Assert.NotNull(value);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", value);
    }
}
