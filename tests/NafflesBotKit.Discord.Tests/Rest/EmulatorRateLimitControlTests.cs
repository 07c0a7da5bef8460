using System.Net;
using System.Text;
using NafflesBotKit.Discord.Tests.Support;
using NafflesBotKit.Testing.Discord;

namespace NafflesBotKit.Discord.Tests.Rest;

/// <summary>Negative controls: a naive client that ignores rate limits is caught by the emulator's counters.</summary>
public sealed class EmulatorRateLimitControlTests
{
    private static async Task<HttpStatusCode> PostAsync(HttpClient http, DiscordEmulator emulator, ulong channel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{emulator.Urls.RestBaseUrl}/channels/{channel}/messages")
        {
            Content = new StringContent("""{"content":"naive"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bot " + emulator.BotToken);
        using var response = await http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal(DiscordEmulator.BucketHash("POST", "/channels/{channel_id}/messages"), response.Headers.GetValues("X-RateLimit-Bucket").Single());
            Assert.True(response.Headers.Contains("X-RateLimit-Reset-After"));
        }

        return response.StatusCode;
    }

    [Fact]
    public async Task GetGateway_NeedsNoToken_AndReturnsTheGatewayUrl()
    {
        await using var emulator = new DiscordEmulator(new DiscordEmulatorOptions { Time = DiscordTestContext.NewFakeTime() });
        await emulator.StartAsync();
        emulator.GatewayUrl = "ws://127.0.0.1:4321";
        using var http = new HttpClient();

        using var open = await http.GetAsync(new Uri(emulator.Urls.RestBaseUrl + "/gateway"));
        using var bot = await http.GetAsync(new Uri(emulator.Urls.RestBaseUrl + "/gateway/bot"));

        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal("""{"url":"ws://127.0.0.1:4321"}""", await open.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, bot.StatusCode);
    }

    [Fact]
    public async Task NaiveClient_SendsIntoExhaustedBucket_CountedAsRouteViolation()
    {
        await using var emulator = new DiscordEmulator(new DiscordEmulatorOptions { Time = DiscordTestContext.NewFakeTime() });
        await emulator.StartAsync();
        var (_, channel) = emulator.AddGuild();
        using var http = new HttpClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            statuses.Add(await PostAsync(http, emulator, channel));
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(2, emulator.RouteViolations);
    }

    [Fact]
    public async Task NaiveClient_IgnoresGlobalPause_CountedAsGlobalViolation()
    {
        await using var emulator = new DiscordEmulator(new DiscordEmulatorOptions { Time = DiscordTestContext.NewFakeTime() });
        await emulator.StartAsync();
        var (_, channel) = emulator.AddGuild();
        emulator.ScriptGlobalRateLimit(TimeSpan.FromSeconds(1));
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync(http, emulator, channel));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync(http, emulator, channel)); // same queue, straight after

        Assert.Equal(1, emulator.GlobalViolations);
    }

    [Fact]
    public async Task NaiveClient_IgnoresRoute429_CountedAsRouteViolation()
    {
        await using var emulator = new DiscordEmulator(new DiscordEmulatorOptions { Time = DiscordTestContext.NewFakeTime() });
        await emulator.StartAsync();
        var (_, channel) = emulator.AddGuild();
        emulator.ScriptRouteRateLimit("POST", "/channels/{channel_id}/messages", TimeSpan.FromSeconds(1));
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync(http, emulator, channel));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync(http, emulator, channel));

        Assert.Equal(1, emulator.RouteViolations);
    }
}
