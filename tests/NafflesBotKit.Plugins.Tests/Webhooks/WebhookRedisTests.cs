using System.Globalization;
using System.Net;
using System.Text;
using NafflesBotKit.Events;
using NafflesBotKit.Naffles;
using NafflesBotKit.Plugins.Tests.Support;
using NafflesBotKit.Plugins.Webhooks;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Plugins.Tests.Webhooks;

/// <summary>Two bot processes sharing one Redis: a delivery is processed by whichever gets it first, once.</summary>
[Collection(RedisCollection.Name)]
public sealed class WebhookRedisTests(RedisServerFixture redis)
{
    [Fact]
    public async Task DeliveryReplayedToAnotherHostSharingRedis_IsADuplicate()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = redis.Configuration,
            ["Redis:KeyPrefix"] = RedisServerFixture.UniquePrefix(),
            ["Plugins:Settings:naffles.webhooks:Secret"] = "shared",
        };
        await using var first = await PluginTestHost.StartAsync(settings);
        await using var second = await PluginTestHost.StartAsync(settings);
        first.Record<NafflesCommunityUpdated>();
        second.Record<NafflesCommunityUpdated>();
        await first.AddAsync(new WebhooksPlugin());
        await second.AddAsync(new WebhooksPlugin());

        var body = Encoding.UTF8.GetBytes("""{"communityId":"c1","changes":{"name":"x"}}""");
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = NafflesWebhookSigner.Sign("shared", ts, body);
        using var http = new HttpClient();
        async Task<string> SendAsync(Uri baseUrl)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "webhooks/naffles/community-updated")) { Content = new ByteArrayContent(body) };
            request.Headers.TryAddWithoutValidation(NafflesWebhookHeaders.Signature, signature);
            request.Headers.TryAddWithoutValidation(NafflesWebhookHeaders.Timestamp, ts.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(NafflesWebhookHeaders.DeliveryId, "shared-1");
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        Assert.DoesNotContain("duplicate", await SendAsync(first.BaseUrl), StringComparison.Ordinal);
        Assert.Contains("duplicate", await SendAsync(second.BaseUrl), StringComparison.Ordinal);
        Assert.Single(first.EventsOf<NafflesCommunityUpdated>());
        Assert.Empty(second.EventsOf<NafflesCommunityUpdated>());
    }
}
