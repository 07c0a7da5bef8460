using System.Text;
using NafflesBotKit.Discord.Rest;
using NafflesBotKit.Discord.Tests.Support;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;

namespace NafflesBotKit.Discord.Tests.Rest;

public sealed class DiscordRestClientTests
{
    private static MessagePayload RichMessage() => new()
    {
        Content = "Task posted <@123456789012345678>",
        Embeds =
        [
            new Embed
            {
                Title = "Follow us",
                Description = "Complete the task",
                Color = 0x5865F2,
                Timestamp = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero),
                Footer = new EmbedFooter("Naffles"),
                Author = new EmbedAuthor("Naffles", "https://naffles.com"),
                ThumbnailUrl = "https://naffles.com/t.png",
                Fields = [new EmbedField("Points", "50", Inline: true)],
            },
        ],
        Components =
        [
            new ActionRow([
                new Button { Style = ButtonStyle.Success, Label = "Complete", CustomId = "task:complete:42", Emoji = "✅" },
                new Button { Style = ButtonStyle.Link, Label = "Open", Url = "https://naffles.com/task/42", Emoji = "<:naffles:112233445566778899>" },
            ]),
            new ActionRow([
                new SelectMenu { CustomId = "task:pick", Options = [new SelectOption("One", "1"), new SelectOption("Two", "2", "second", IsDefault: true)], MaxValues = 2 },
            ]),
        ],
        Flags = MessageFlags.SuppressNotifications,
        AllowedMentions = new AllowedMentions { Users = [123456789012345678UL] },
    };

    [Fact]
    public async Task SendMessageAsync_RichMessage_StoredWithEmbedsAndComponents()
    {
        await using var ctx = await DiscordTestContext.StartAsync();
        var (_, channel) = ctx.Emulator.AddGuild();

        var id = await ctx.Rest.SendMessageAsync(channel, RichMessage(), CancellationToken.None);

        var stored = Assert.Single(ctx.Emulator.Messages(channel));
        Assert.Equal(id, stored.Id);
        Assert.Equal("Task posted <@123456789012345678>", stored.Content);
        var embed = stored.Embeds[0]!;
        Assert.Equal(0x5865F2, (int)embed["color"]!);
        Assert.Equal("2026-03-01T12:00:00.000Z", (string)embed["timestamp"]!);
        Assert.Equal(2, (int)stored.Components[0]!["components"]![0]!["type"]!);
        Assert.Equal("112233445566778899", (string)stored.Components[0]!["components"]![1]!["emoji"]!["id"]!);
        Assert.Equal(3, (int)stored.Components[1]!["components"]![0]!["type"]!);
        Assert.Equal(4096, stored.Flags);
        Assert.Empty(ctx.Validation.Violations);
        Assert.True(ctx.Validation.Checked > 0);
    }

    [Fact]
    public async Task SendMessageAsync_WithCsvFile_UploadsMultipartWithPayloadJson()
    {
        await using var ctx = await DiscordTestContext.StartAsync();
        var (_, channel) = ctx.Emulator.AddGuild();
        var csv = Encoding.UTF8.GetBytes("user,points\n1,50\n");

        await ctx.Rest.SendMessageAsync(channel, new MessagePayload { Content = "Export", Files = [new FileAttachment("export.csv", csv, "text/csv")] }, CancellationToken.None);

        var stored = Assert.Single(ctx.Emulator.Messages(channel));
        var file = Assert.Single(stored.Attachments);
        Assert.Equal("export.csv", file.FileName);
        Assert.Equal(csv, file.Content);
        Assert.StartsWith("multipart/form-data", ctx.Emulator.Requests.Last().ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditAndDeleteMessage_UpdatesStore()
    {
        await using var ctx = await DiscordTestContext.StartAsync();
        var (_, channel) = ctx.Emulator.AddGuild();
        var id = await ctx.Rest.SendMessageAsync(channel, MessagePayload.FromText("v1"), CancellationToken.None);

        await ctx.Rest.EditMessageAsync(channel, id, MessagePayload.FromText("v2"), CancellationToken.None);
        Assert.Equal("v2", ctx.Emulator.Message(id)!.Content);
        Assert.Equal(1, ctx.Emulator.Message(id)!.EditCount);

        await ctx.Rest.DeleteMessageAsync(channel, id, CancellationToken.None);
        Assert.True(ctx.Emulator.Message(id)!.Deleted);

        var error = await Assert.ThrowsAsync<DiscordApiException>(async () => await ctx.Rest.EditMessageAsync(channel, id, MessagePayload.FromText("v3"), CancellationToken.None));
        Assert.Equal(DiscordApiException.UnknownMessage, error.Code);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task SendMessageAsync_MissingPermission_Throws50013()
    {
        await using var ctx = await DiscordTestContext.StartAsync();
        var (guild, channel) = ctx.Emulator.AddGuild();
        guild.BotPermissions = Permissions.ViewChannel;

        var error = await Assert.ThrowsAsync<DiscordApiException>(async () => await ctx.Rest.SendMessageAsync(channel, MessagePayload.FromText("hi"), CancellationToken.None));

        Assert.Equal(DiscordApiException.MissingPermissions, error.Code);
        Assert.Equal("Missing Permissions", error.DiscordMessage);
        Assert.Contains("POST /channels/:id/messages", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MembersAndRoles_GetAddRemove_WithEncodedAuditReason()
    {
        await using var ctx = await DiscordTestContext.StartAsync();
        var (guild, _) = ctx.Emulator.AddGuild();
        var user = ctx.Emulator.AddUser("alice", "Alice");
        var role = ctx.Emulator.AddRole(guild.Id, "Allowlisted");
        ctx.Emulator.AddMember(guild.Id, user.Id);

        await ctx.Rest.AddRoleAsync(guild.Id, user.Id, role, "Won allowlist #7 — congrats", CancellationToken.None);
        var member = await ctx.Rest.GetMemberAsync(guild.Id, user.Id, CancellationToken.None);
        Assert.NotNull(member);
        Assert.Equal("alice", member.User.Username);
        Assert.Contains(role, member.Roles);
        Assert.Equal("Won allowlist #7 — congrats", Assert.Single(guild.AuditLogReasons));

        await ctx.Rest.RemoveRoleAsync(guild.Id, user.Id, role, null, CancellationToken.None);
        Assert.DoesNotContain(role, ctx.Emulator.MemberRoles(guild.Id, user.Id)!);

        Assert.Null(await ctx.Rest.GetMemberAsync(guild.Id, ctx.Emulator.NextId(), CancellationToken.None));
        var unknownRole = await Assert.ThrowsAsync<DiscordApiException>(async () => await ctx.Rest.AddRoleAsync(guild.Id, user.Id, ctx.Emulator.NextId(), null, CancellationToken.None));
        Assert.Equal(10011, unknownRole.Code);
    }

    [Fact]
    public async Task SendDirectMessageAsync_OpensDmThenPosts()
    {
        await using var ctx = await DiscordTestContext.StartAsync();
        var user = ctx.Emulator.AddUser("bob");

        await ctx.Rest.SendDirectMessageAsync(user.Id, MessagePayload.FromText("You won!"), CancellationToken.None);

        var dm = ctx.Emulator.DmChannel(user.Id);
        Assert.NotNull(dm);
        Assert.Equal("You won!", Assert.Single(ctx.Emulator.Messages(dm.Value)).Content);
    }

    [Fact]
    public async Task GetGatewayBotAsync_ReturnsUrlAndBudget()
    {
        await using var ctx = await DiscordTestContext.StartAsync();
        ctx.Emulator.GatewayUrl = "ws://127.0.0.1:5555";

        var info = await ctx.Rest.GetGatewayBotAsync(CancellationToken.None);

        Assert.Equal("ws://127.0.0.1:5555", info.Url);
        Assert.Equal(1, info.Shards);
        Assert.Equal(1000, info.SessionStartLimit.Remaining);
        Assert.Equal(1, info.SessionStartLimit.MaxConcurrency);
    }

    [Fact]
    public async Task Requests_WrongToken_Get401AndCarryUserAgent()
    {
        await using var ctx = await DiscordTestContext.StartAsync(configure: s => s["Discord:Token"] = "wrong");

        var error = await Assert.ThrowsAsync<DiscordApiException>(async () => await ctx.Rest.GetGatewayBotAsync(CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
        var request = ctx.Emulator.Requests.Last();
        Assert.Equal(DiscordRestClient.UserAgent, request.Headers["User-Agent"]);
        Assert.Equal("Bot wrong", request.Headers["Authorization"]);

        // A rejected token is not used again: the next call fails without reaching Discord.
        var again = await Assert.ThrowsAsync<DiscordApiException>(async () => await ctx.Rest.SendMessageAsync(1, MessagePayload.FromText("x"), CancellationToken.None));
        Assert.Contains("rejected the bot token", again.Message, StringComparison.Ordinal);
        Assert.Single(ctx.Emulator.Requests);
        Assert.Equal(1, ctx.Rest.Limiter.InvalidRequestCount);
    }
}
