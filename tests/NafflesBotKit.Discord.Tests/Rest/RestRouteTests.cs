using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Discord.Rest;
using NafflesBotKit.Interactions;

namespace NafflesBotKit.Discord.Tests.Rest;

public sealed class RestRouteTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("POST", "/channels/123456789012345678/messages", "POST:/channels/:id/messages", "123456789012345678")]
    [InlineData("PATCH", "/channels/123456789012345678/messages/223456789012345678", "PATCH:/channels/:id/messages/:id", "123456789012345678")]
    [InlineData("PUT", "/guilds/323456789012345678/members/423456789012345678/roles/523456789012345678", "PUT:/guilds/:id/members/:id/roles/:id", "323456789012345678")]
    [InlineData("POST", "/webhooks/623456789012345678/tok.en-_x?wait=true", "POST:/webhooks/:id/:token", "623456789012345678/tok.en-_x")]
    [InlineData("PATCH", "/webhooks/623456789012345678/tok/messages/@original", "PATCH:/webhooks/:id/:token/messages/@original", "623456789012345678/tok")]
    [InlineData("PUT", "/channels/123456789012345678/messages/223456789012345678/reactions/%F0%9F%91%8D/@me", "PUT:/channels/:id/messages/:id/reactions/:reaction/@me", "123456789012345678")]
    [InlineData("GET", "/gateway/bot", "GET:/gateway/bot", "global")]
    [InlineData("PUT", "/applications/723456789012345678/commands", "PUT:/applications/:id/commands", "global")]
    public void From_Path_TemplateAndMajorParameter(string method, string path, string key, string major)
    {
        var route = RestRoute.From(new HttpMethod(method), path, Time);
        Assert.Equal(key, route.RouteKey);
        Assert.Equal(major, route.MajorParameter);
    }

    [Fact]
    public void From_Callback_IsBurstRoute()
    {
        var route = RestRoute.From(HttpMethod.Post, "/interactions/123456789012345678/aW50ZXJhY3Rpb24/callback", Time);
        Assert.Equal(RouteKind.InteractionCallback, route.Kind);
    }

    [Fact]
    public void From_DeleteOfOldMessage_HasItsOwnBucket()
    {
        var old = Snowflake.FromTimestamp(Time.GetUtcNow().AddDays(-15));
        var recent = Snowflake.FromTimestamp(Time.GetUtcNow().AddDays(-1));
        Assert.EndsWith("/old", RestRoute.From(HttpMethod.Delete, $"/channels/123456789012345678/messages/{old}", Time).RouteKey, StringComparison.Ordinal);
        Assert.False(RestRoute.From(HttpMethod.Delete, $"/channels/123456789012345678/messages/{recent}", Time).RouteKey.EndsWith("/old", StringComparison.Ordinal));
    }
}
