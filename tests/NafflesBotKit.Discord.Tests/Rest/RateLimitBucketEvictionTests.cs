using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Discord.Rest;

namespace NafflesBotKit.Discord.Tests.Rest;

/// <summary>
/// Every interaction token is its own major parameter: a bot answering interactions for weeks must not keep one
/// rate-limit bucket per interaction it ever answered.
/// </summary>
public sealed class RateLimitBucketEvictionTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void IdleBuckets_ForgottenAfterTheirLifetime_HeldAndUnresetOnesKept()
    {
        var limiter = new DiscordRateLimiter(_time, 50);
        for (var i = 0; i < 1000; i++)
        {
            limiter.ReleaseBucket(limiter.AcquireBucket(EditOriginal("token" + i)));
        }

        var held = limiter.AcquireBucket(EditOriginal("held"));
        var exhausted = limiter.AcquireBucket(EditOriginal("exhausted"));
        limiter.Update(EditOriginal("exhausted"), exhausted, Headers(limit: 5, remaining: 0, resetAfterSeconds: 600));
        limiter.ReleaseBucket(exhausted);
        Assert.Equal(1002, limiter.BucketCount);

        _time.Advance(DiscordRateLimiter.IdleBucketLifetime + TimeSpan.FromSeconds(1));
        limiter.ReleaseBucket(limiter.AcquireBucket(EditOriginal("new")));

        // Left: the one still held, the one whose window has not reset, and the new one.
        Assert.Equal(3, limiter.BucketCount);
        Assert.Same(held, limiter.AcquireBucket(EditOriginal("held")));
        var again = limiter.AcquireBucket(EditOriginal("exhausted"));
        Assert.Same(exhausted, again);
        Assert.Equal(0, again.Remaining);
    }

    [Fact]
    public void EvictedBucket_NeverHandedOut_ANewOneTakesItsKey()
    {
        var limiter = new DiscordRateLimiter(_time, 50);
        var first = limiter.AcquireBucket(EditOriginal("t"));
        limiter.ReleaseBucket(first);

        _time.Advance(DiscordRateLimiter.IdleBucketLifetime + TimeSpan.FromSeconds(1));
        var second = limiter.AcquireBucket(EditOriginal("t"));

        Assert.True(first.Evicted);
        Assert.NotSame(first, second);
        Assert.False(second.Evicted);
        Assert.Equal(1, second.Holders);
    }

    [Fact]
    public void HashLearned_LaterRequestsQueueBehindTheOnesAlreadyQueued_NotInASecondQueue()
    {
        var limiter = new DiscordRateLimiter(_time, 50);
        var route = RestRoute.From(HttpMethod.Post, "/channels/42/messages", TimeProvider.System);
        var first = limiter.AcquireBucket(route); // before anything is known: the pseudo bucket

        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("X-RateLimit-Bucket", "abcd1234");
        response.Headers.TryAddWithoutValidation("X-RateLimit-Limit", "5");
        response.Headers.TryAddWithoutValidation("X-RateLimit-Remaining", "4");
        response.Headers.TryAddWithoutValidation("X-RateLimit-Reset-After", "5");
        limiter.Update(route, first, response.Headers);
        var later = limiter.AcquireBucket(route); // keyed by the learned hash now

        Assert.Equal("abcd1234", limiter.GetHash(route.RouteKey));
        Assert.Same(first, later);
        Assert.Equal(2, later.Holders);

        // Both keys of the shared queue are forgotten together once idle, and a new queue replaces them.
        limiter.ReleaseBucket(first);
        limiter.ReleaseBucket(later);
        _time.Advance(DiscordRateLimiter.IdleBucketLifetime + TimeSpan.FromSeconds(10));
        var fresh = limiter.AcquireBucket(route);
        Assert.NotSame(first, fresh);
        Assert.True(first.Evicted);
        Assert.Equal(1, limiter.BucketCount);
    }

    [Fact]
    public async Task ThousandsOfInteractionEdits_OverRest_BucketsDoNotAccumulate()
    {
        var time = Support.DiscordTestContext.NewFakeTime();
        await using var ctx = await Support.DiscordTestContext.StartAsync(time);
        var (guild, channel) = ctx.Emulator.AddGuild();
        var user = ctx.Emulator.AddUser("eve");
        ctx.Emulator.AddMember(guild.Id, user.Id);
        var message = ctx.Emulator.SeedMessage(channel, new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = 1,
            ["components"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["type"] = 2, ["style"] = 2, ["label"] = "Go", ["custom_id"] = "go" }),
        }));
        ctx.Emulator.Interactions.Transport = new AnsweredOverRest();

        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 100; i++)
            {
                var interaction = (await ctx.Emulator.Interactions.ClickAsync(user, guild.Id, message.Id, "go")).Interaction;
                await ctx.Rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, new(Transport.InteractionCallbackType.DeferredChannelMessageWithSource), CancellationToken.None);
                await ctx.Rest.EditOriginalResponseAsync(ctx.Emulator.ApplicationId, interaction.Token, Messages.MessagePayload.FromText("done"), CancellationToken.None);
            }

            Assert.InRange(ctx.Rest.Limiter.BucketCount, 100, 202);
            time.Advance(DiscordRateLimiter.IdleBucketLifetime + TimeSpan.FromSeconds(5));
        }

        await ctx.Rest.SendMessageAsync(channel, Messages.MessagePayload.FromText("after"), CancellationToken.None);
        Assert.InRange(ctx.Rest.Limiter.BucketCount, 1, 2);
    }

    /// <summary>Delivers nowhere, as over the gateway: the test answers on the REST callback itself.</summary>
    private sealed class AnsweredOverRest : Testing.Discord.IInteractionTransport
    {
        public Task<Testing.Discord.InteractionDeliveryResult> DeliverAsync(System.Text.Json.Nodes.JsonObject payload, CancellationToken cancellationToken) =>
            Task.FromResult(new Testing.Discord.InteractionDeliveryResult(null, null, []));
    }

    private static RestRoute EditOriginal(string token) =>
        RestRoute.From(HttpMethod.Patch, $"/webhooks/1/{token}/messages/@original", TimeProvider.System);

    private static HttpResponseHeaders Headers(int limit, int remaining, double resetAfterSeconds)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("X-RateLimit-Limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        response.Headers.TryAddWithoutValidation("X-RateLimit-Remaining", remaining.ToString(System.Globalization.CultureInfo.InvariantCulture));
        response.Headers.TryAddWithoutValidation("X-RateLimit-Reset-After", resetAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return response.Headers;
    }
}
