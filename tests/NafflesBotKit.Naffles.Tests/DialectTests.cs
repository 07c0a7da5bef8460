using System.Net;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Naffles.Tests;

/// <summary>The same calls against both dialects: the seed's and the published backend's ({success,message,data}, _id, x-api-key).</summary>
public sealed class DialectTests
{
    public static TheoryData<NafflesDialect, string> Dialects => new()
    {
        { NafflesDialect.Seed, "Authorization" },
        { NafflesDialect.PublishedBackend, "x-api-key" },
    };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task RepresentativeCalls_WorkInBothDialects(NafflesDialect dialect, string keyHeader)
    {
        await using var emulator = await NafflesEmulator.StartAsync(new NafflesEmulatorOptions { Dialect = dialect });
        emulator.AddCommunity("c1", "Alpha");
        emulator.AddUser("u1", "alice", discordId: "d1");
        emulator.AddMembership("c1", "u1", "owner");
        emulator.AddAllowlist("a1", "c1", "Genesis", maxEntries: 5);
        emulator.AddSocialTask("t1", "c1", "Follow");
        await using var host = ClientHost.Create(emulator, new() { ["Naffles:ApiKeyHeader"] = keyHeader });
        var api = host.Api;

        Assert.Equal("c1", (await api.Communities.GetCommunityAsync("c1")).Id);
        var allowlist = await api.Allowlists.GetAllowlistAsync("a1");
        Assert.Equal("a1", allowlist.Id);
        Assert.Equal("c1", allowlist.CommunityId); // populated {_id,name} is flattened in the published dialect
        Assert.Equal("u1", (await api.Users.GetUserByDiscordIdAsync("d1"))!.Id);
        Assert.Null(await api.Users.GetUserByDiscordIdAsync("nobody"));
        Assert.Equal("owner", (await api.Communities.GetCommunityMembershipAsync("c1", "u1"))!.Role);
        Assert.Equal("u1", Assert.Single((await api.Communities.GetCommunityMembersAsync("c1")).Items).UserId);
        Assert.Equal("t1", Assert.Single((await api.SocialTasks.GetSocialTasksAsync("c1")).Items).Id);

        var first = await api.Allowlists.EnterAllowlistAsync("a1", new AllowlistEntryRequest { UserId = "u1" });
        var second = await api.Allowlists.EnterAllowlistAsync("a1", new AllowlistEntryRequest { UserId = "u1" });
        Assert.StartsWith("entry_", first.Entry.Id, StringComparison.Ordinal);
        Assert.True(second.AlreadyEntered);
        Assert.Equal(first.Entry.Id, second.Entry.Id);
        var entries = await api.Allowlists.GetAllowlistEntriesAsync("a1");
        Assert.Equal(1, entries.Total);

        var completion = await api.SocialTasks.CompleteTaskAsync("t1", "u1");
        Assert.StartsWith("completion_", completion.Id, StringComparison.Ordinal);

        var health = await api.Health.GetHealthAsync();
        Assert.True(health.IsHealthy);

        var invalid = await Assert.ThrowsAsync<NafflesApiException>(() => api.SocialTasks.CreateSocialTaskAsync("c1", new CreateSocialTaskRequest { Title = "x", Type = "nope" }));
        Assert.Equal(NafflesErrorKind.Validation, invalid.Kind);
        Assert.Equal("type", Assert.Single(invalid.FieldErrors).Field);
        Assert.Contains("Validation failed", invalid.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task BadKey_Is401_InBothDialects(NafflesDialect dialect, string keyHeader)
    {
        await using var emulator = await NafflesEmulator.StartAsync(new NafflesEmulatorOptions { Dialect = dialect });
        await using var host = ClientHost.Create(emulator, new() { ["Naffles:ApiKey"] = "wrong-key", ["Naffles:ApiKeyHeader"] = keyHeader });

        var ex = await Assert.ThrowsAsync<NafflesApiException>(() => host.Api.Health.GetHealthAsync());

        Assert.Equal(NafflesErrorKind.Authentication, ex.Kind);
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
    }

    [Fact]
    public async Task PublishedDialect_ReallyWrapsAndUsesUnderscoreId()
    {
        // Guards the test above against an emulator that silently spoke the seed dialect.
        await using var emulator = await NafflesEmulator.StartAsync(new NafflesEmulatorOptions { Dialect = NafflesDialect.PublishedBackend });
        emulator.AddCommunity("c1", "Alpha");
        using var http = new HttpClient { BaseAddress = emulator.BaseUrl };
        http.DefaultRequestHeaders.Add("x-api-key", emulator.ApiKey);

        var text = await http.GetStringAsync("api/communities/c1");

        Assert.StartsWith("{\"success\":true,\"message\":\"OK\",\"data\":{", text, StringComparison.Ordinal);
        Assert.Contains("\"_id\":\"c1\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"id\":", text, StringComparison.Ordinal);
    }
}
