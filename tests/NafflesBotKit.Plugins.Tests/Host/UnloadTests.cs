using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using NafflesBotKit.Naffles;
using NafflesBotKit.Plugins.Tests.Support;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Plugins.Tests.Host;

/// <summary>The first-party plugins, loaded from the host's plugins/ folder as operators run them, unload completely.</summary>
public sealed class UnloadTests
{
    [Theory]
    [InlineData("NafflesBotKit.Plugins.Webhooks", "naffles.webhooks")]
    [InlineData("NafflesBotKit.Plugins.HealthMonitor", "naffles.health-monitor")]
    public async Task Plugin_AfterServingTraffic_IsCollectedWhenUnloaded(string folder, string id)
    {
        await using var host = await PluginTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Plugins:Settings:naffles.webhooks:Secret"] = "s",
            ["Plugins:Settings:naffles.health-monitor:DiscordProbeUrl"] = "http://127.0.0.1:9/",
        });
        var weak = await LoadUseAndUnloadAsync(host, Path.Combine(HostProcess.OutputDirectory, "plugins", folder), id);
        for (var i = 0; i < 50 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(50);
        }

        Assert.False(weak.IsAlive, $"{id}'s load context was not collected after unloading");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> LoadUseAndUnloadAsync(PluginTestHost host, string folder, string id)
    {
        Assert.NotNull(await host.Plugins.LoadAsync(folder, CancellationToken.None));
        using (var http = new HttpClient())
        {
            var body = Encoding.UTF8.GetBytes("""{"taskId":"t1"}""");
            var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseUrl, "webhooks/naffles/task-completed")) { Content = new ByteArrayContent(body) };
            request.Headers.TryAddWithoutValidation(NafflesWebhookHeaders.Signature, NafflesWebhookSigner.Sign("s", ts, body));
            request.Headers.TryAddWithoutValidation(NafflesWebhookHeaders.Timestamp, ts.ToString(CultureInfo.InvariantCulture));
            using var response = await http.SendAsync(request);
            Assert.Equal(id == "naffles.webhooks" ? HttpStatusCode.OK : HttpStatusCode.NotFound, response.StatusCode);
        }

        if (id == "naffles.health-monitor")
        {
            var all = NafflesBotKit.Interactions.Permissions.ViewChannel | NafflesBotKit.Interactions.Permissions.SendMessages | NafflesBotKit.Interactions.Permissions.EmbedLinks;
            await host.Router.DispatchAsync(TestInteractions.Command("naffles-status", 4242, NafflesBotKit.Interactions.Permissions.Administrator, all), new RecordingResponder(), CancellationToken.None);
        }

        return await host.Plugins.UnloadAsync(id, CancellationToken.None) ?? throw new InvalidOperationException("not unloaded");
    }
}
