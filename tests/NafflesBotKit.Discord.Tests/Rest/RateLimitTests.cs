using System.Text.Json.Nodes;
using NafflesBotKit.Discord.Tests.Support;
using NafflesBotKit.Messages;
using NafflesBotKit.Testing.Discord;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Discord.Tests.Rest;

public sealed class RateLimitTests
{
    private const string Messages = "/channels/{channel_id}/messages";

    [Fact]
    public async Task Bucket_LearnedFromHeaders_UsesEmulatorHash()
    {
        await using var ctx = await DiscordTestContext.StartAsync(DiscordTestContext.NewFakeTime());
        var (_, channel) = ctx.Emulator.AddGuild();

        await ctx.Rest.SendMessageAsync(channel, MessagePayload.FromText("hi"), CancellationToken.None);

        Assert.Equal(DiscordEmulator.BucketHash("POST", Messages), ctx.Rest.Limiter.GetHash("POST:/channels/:id/messages"));
    }

    [Fact]
    public async Task Bucket_Exhausted_WaitsForResetInsteadOfSending()
    {
        var time = DiscordTestContext.NewFakeTime();
        await using var ctx = await DiscordTestContext.StartAsync(time);
        var (_, channel) = ctx.Emulator.AddGuild();
        var start = time.GetUtcNow();

        var sends = Enumerable.Range(0, 12).Select(i => ctx.Rest.SendMessageAsync(channel, MessagePayload.FromText($"m{i}"), CancellationToken.None).AsTask()).ToList();
        await FakeClock.DriveAsync(time, ctx.Emulator, ctx.Rest, Task.WhenAll(sends), TimeSpan.FromMilliseconds(250));

        Assert.Equal(12, ctx.Emulator.Messages(channel).Count);
        Assert.Equal(0, ctx.Emulator.RouteViolations);
        Assert.Equal(0, ctx.Emulator.RateLimitedResponses);
        Assert.True(time.GetUtcNow() - start >= TimeSpan.FromSeconds(10), "12 messages at 5 per 5 s need two resets");
    }

    [Fact]
    public async Task Buckets_PerMajorParameter_DoNotBlockEachOther()
    {
        var time = DiscordTestContext.NewFakeTime();
        await using var ctx = await DiscordTestContext.StartAsync(time);
        var (guild, a) = ctx.Emulator.AddGuild();
        var b = ctx.Emulator.AddChannel(guild.Id);

        var sends = Enumerable.Range(0, 5).SelectMany(i => new[] { a, b }).Select(c => ctx.Rest.SendMessageAsync(c, MessagePayload.FromText("x"), CancellationToken.None).AsTask());
        await Task.WhenAll(sends); // no fake time passes: ten requests fit in two channel buckets

        Assert.Equal(5, ctx.Emulator.Messages(a).Count);
        Assert.Equal(5, ctx.Emulator.Messages(b).Count);
    }

    [Fact]
    public async Task RouteStorm_429sWithDisagreeingHeaders_NeverSendsIntoBlockedBucket()
    {
        var time = DiscordTestContext.NewFakeTime();
        await using var ctx = await DiscordTestContext.StartAsync(time);
        var (_, channel) = ctx.Emulator.AddGuild();
        ctx.Emulator.ScriptRouteRateLimit("POST", Messages, TimeSpan.FromSeconds(1.5), times: 3, headerRetryAfter: TimeSpan.FromSeconds(3));
        ctx.Emulator.ScriptRouteRateLimit("POST", Messages, TimeSpan.FromSeconds(2.5), times: 2, scope: "shared");

        var sends = Enumerable.Range(0, 10).Select(i => ctx.Rest.SendMessageAsync(channel, MessagePayload.FromText($"m{i}"), CancellationToken.None).AsTask()).ToList();
        await FakeClock.DriveAsync(time, ctx.Emulator, ctx.Rest, Task.WhenAll(sends), TimeSpan.FromMilliseconds(100));

        Assert.Equal(10, ctx.Emulator.Messages(channel).Count);
        Assert.Equal(5, ctx.Emulator.RateLimitedResponses);
        Assert.Equal(0, ctx.Emulator.RouteViolations);
        Assert.Equal(0, ctx.Emulator.GlobalViolations);
    }

    [Fact]
    public async Task MixedStorm_RouteAndGlobal429sAcrossChannels_NoViolations()
    {
        var time = DiscordTestContext.NewFakeTime();
        await using var ctx = await DiscordTestContext.StartAsync(time);
        var (guild, first) = ctx.Emulator.AddGuild();
        var channels = new[] { first }.Concat(Enumerable.Range(0, 5).Select(_ => ctx.Emulator.AddChannel(guild.Id))).ToList();
        var user = ctx.Emulator.AddUser("u");
        ctx.Emulator.AddMember(guild.Id, user.Id);
        var role = ctx.Emulator.AddRole(guild.Id, "r");
        ctx.Emulator.ScriptRouteRateLimit("POST", Messages, TimeSpan.FromSeconds(0.7), times: 4, headerRetryAfter: TimeSpan.FromSeconds(2));
        ctx.Emulator.ScriptRouteRateLimit("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", TimeSpan.FromSeconds(1.25), times: 2);
        ctx.Emulator.ScriptGlobalRateLimit(TimeSpan.FromSeconds(3));

        var work = channels.SelectMany(c => Enumerable.Range(0, 9).Select(i => ctx.Rest.SendMessageAsync(c, MessagePayload.FromText($"m{i}"), CancellationToken.None).AsTask()))
            .Concat(Enumerable.Range(0, 6).Select(i => ctx.Rest.AddRoleAsync(guild.Id, user.Id, role, $"storm {i}", CancellationToken.None).AsTask()))
            .ToList();
        await FakeClock.DriveAsync(time, ctx.Emulator, ctx.Rest, Task.WhenAll(work), TimeSpan.FromMilliseconds(100));

        Assert.Equal(54, channels.Sum(c => ctx.Emulator.Messages(c).Count));
        Assert.Equal(6, ctx.Emulator.Guild(guild.Id).AuditLogReasons.Count);
        Assert.Equal(0, ctx.Emulator.RouteViolations);
        Assert.Equal(0, ctx.Emulator.GlobalViolations);
        Assert.Empty(ctx.Validation.Violations);
    }

    [Fact]
    public async Task GlobalLimit_ManyBuckets_StaysUnderFiftyPerSecond()
    {
        var time = DiscordTestContext.NewFakeTime();
        await using var ctx = await DiscordTestContext.StartAsync(time);
        var (guild, _) = ctx.Emulator.AddGuild();
        var channels = Enumerable.Range(0, 120).Select(_ => ctx.Emulator.AddChannel(guild.Id)).ToList();
        var start = time.GetUtcNow();

        var sends = channels.Select(c => ctx.Rest.SendMessageAsync(c, MessagePayload.FromText("x"), CancellationToken.None).AsTask()).ToList();
        await FakeClock.DriveAsync(time, ctx.Emulator, ctx.Rest, Task.WhenAll(sends), TimeSpan.FromMilliseconds(100));

        Assert.Equal(0, ctx.Emulator.GlobalViolations);
        Assert.Equal(0, ctx.Emulator.RateLimitedResponses);
        Assert.True(time.GetUtcNow() - start >= TimeSpan.FromSeconds(2), "120 requests at 50/s span more than two seconds");
    }

    [Fact]
    public async Task Global429_PausesEverything_ButNotInteractionCallbacks()
    {
        var time = DiscordTestContext.NewFakeTime();
        await using var ctx = await DiscordTestContext.StartAsync(time);
        var (guild, a) = ctx.Emulator.AddGuild();
        var b = ctx.Emulator.AddChannel(guild.Id);
        var user = ctx.Emulator.AddUser("u");
        ctx.Emulator.Interactions.Transport = new AcceptingTransport();
        ctx.Emulator.AddMember(guild.Id, user.Id);
        await ctx.Rest.BulkOverwriteCommandsAsync(ctx.Emulator.ApplicationId, null, [new() { Name = "raffle", Description = "Raffle" }], CancellationToken.None);
        ctx.Emulator.ScriptGlobalRateLimit(TimeSpan.FromSeconds(5));

        var first = ctx.Rest.SendMessageAsync(a, MessagePayload.FromText("a"), CancellationToken.None).AsTask();
        while (ctx.Emulator.RateLimitedResponses == 0)
        {
            await Task.Delay(5);
        }

        await Task.Delay(50); // let the client record the pause
        var second = ctx.Rest.SendMessageAsync(b, MessagePayload.FromText("b"), CancellationToken.None).AsTask();

        // An interaction arrives during the global pause: its callback and follow-up go through at once.
        var command = await ctx.Emulator.Interactions.RunCommandAsync(user, guild.Id, a, "raffle");
        await ctx.Rest.CreateInteractionResponseAsync(command.Interaction.Id, command.Interaction.Token, new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource), CancellationToken.None);
        await ctx.Rest.CreateFollowupAsync(ctx.Emulator.ApplicationId, command.Interaction.Token, MessagePayload.FromText("winner"), CancellationToken.None);
        Assert.Equal(5, command.Interaction.Response!.Type);
        Assert.Single(command.Interaction.FollowupIds);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);

        await FakeClock.DriveAsync(time, ctx.Emulator, ctx.Rest, Task.WhenAll(first, second), TimeSpan.FromMilliseconds(250));
        Assert.Equal(0, ctx.Emulator.GlobalViolations);
        Assert.Equal(1, ctx.Emulator.RateLimitedResponses);
    }

    [Fact]
    public async Task QueuedRequest_Cancelled_IsNeverSent()
    {
        var time = DiscordTestContext.NewFakeTime();
        await using var ctx = await DiscordTestContext.StartAsync(time);
        var (_, channel) = ctx.Emulator.AddGuild();
        for (var i = 0; i < 5; i++)
        {
            await ctx.Rest.SendMessageAsync(channel, MessagePayload.FromText("x"), CancellationToken.None);
        }

        using var cts = new CancellationTokenSource();
        var queued = ctx.Rest.SendMessageAsync(channel, MessagePayload.FromText("late"), cts.Token).AsTask();
        await Task.Delay(20);
        Assert.False(queued.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.Equal(5, ctx.Emulator.Messages(channel).Count);
    }

    [Fact]
    public async Task ServerErrors_RetriedUpToThreeTimes()
    {
        await using var ctx = await DiscordTestContext.StartAsync();
        var (_, channel) = ctx.Emulator.AddGuild();
        ctx.Emulator.ScriptServerError("POST", Messages, times: 3);

        await ctx.Rest.SendMessageAsync(channel, MessagePayload.FromText("eventually"), CancellationToken.None);
        Assert.Single(ctx.Emulator.Messages(channel));

        ctx.Emulator.ScriptServerError("POST", Messages, times: 4);
        var error = await Assert.ThrowsAsync<DiscordApiException>(async () => await ctx.Rest.SendMessageAsync(channel, MessagePayload.FromText("never"), CancellationToken.None));
        Assert.Equal(System.Net.HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Equal(4 + 4, ctx.Emulator.Requests.Count(r => r.Template == Messages)); // 3 failures + success, then 1 + 3 retries
    }

    [Fact]
    public async Task CloudflareBlock_429WithoutRateLimitData_NotRetried()
    {
        await using var ctx = await DiscordTestContext.StartAsync();
        ctx.Emulator.ScriptCloudflareBlock(times: 5);

        var error = await Assert.ThrowsAsync<DiscordApiException>(async () => await ctx.Rest.GetGatewayBotAsync(CancellationToken.None));

        Assert.Contains("Cloudflare", error.Message, StringComparison.Ordinal);
        Assert.Single(ctx.Emulator.Requests);
    }

    private sealed class AcceptingTransport : IInteractionTransport
    {
        public Task<InteractionDeliveryResult> DeliverAsync(JsonObject payload, CancellationToken cancellationToken) =>
            Task.FromResult(new InteractionDeliveryResult(null, null, []));
    }
}
