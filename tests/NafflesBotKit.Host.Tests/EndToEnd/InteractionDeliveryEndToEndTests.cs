using System.Globalization;
using NafflesBotKit.Testing.Discord;

namespace NafflesBotKit.Host.Tests.EndToEnd;

/// <summary>
/// One simulated command delivered both ways Discord delivers interactions, through the real host and its router: as a
/// signed HTTP request (the host in <c>Discord:Interactions = Http</c>) and as INTERACTION_CREATE on the shard that owns
/// the guild (the host on the gateway with two shards), answered through the REST callback endpoint.
/// </summary>
public sealed class InteractionDeliveryEndToEndTests
{
    [Fact]
    public async Task Http_SignedRequest_AnsweredInline()
    {
        await using var discord = new DiscordEmulator();
        var urls = await discord.StartAsync();
        await using var host = HostProcess.Start(Environment(discord, urls, new() { ["Discord__Interactions"] = "Http", ["DISCORD_PUBLIC_KEY"] = discord.PublicKeyHex }));
        var address = await host.WaitUntilListeningAsync();
        await WaitForCommandsAsync(discord, host);
        discord.Interactions.UseHttp(new Uri(address, "/interactions"));
        var user = discord.AddUser("member");
        var (guild, channel) = discord.AddGuild();

        var sent = await discord.Interactions.RunCommandAsync(user, guild.Id, channel, "naffles-ping");

        Assert.Equal(200, sent.Delivery.HttpStatus);
        Assert.Null(sent.Delivery.GatewayShardId);
        var response = Assert.Single(sent.Interaction.Callbacks);
        Assert.True(response.Inline);
        AssertPong(response);
    }

    [Fact]
    public async Task Gateway_InteractionCreateOnTheGuildsShard_AnsweredThroughRestCallback()
    {
        await using var discord = new DiscordEmulator();
        var urls = await discord.StartAsync();
        await using var gateway = new DiscordGatewayEmulator(new DiscordGatewayEmulatorOptions { Token = discord.BotToken, ApplicationId = discord.ApplicationId, BotUserId = discord.ApplicationId });
        await gateway.StartAsync();
        discord.GatewayUrl = gateway.GatewayUrl.ToString();
        await using var host = HostProcess.Start(Environment(discord, urls, new() { ["Discord__Gateway__ShardCount"] = "2" }));
        await host.WaitUntilListeningAsync();
        await WaitForCommandsAsync(discord, host);
        for (var i = 0; i < 300 && !(gateway.IsLive(0) && gateway.IsLive(1)); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(gateway.IsLive(0) && gateway.IsLive(1), "the host's two shards did not connect:\n" + host.Output);
        discord.Interactions.UseGateway(gateway);
        var user = discord.AddUser("member");

        // One guild on each shard: (guild_id >> 22) % 2.
        var guilds = new Dictionary<int, (ulong Guild, ulong Channel)>();
        while (guilds.Count < 2)
        {
            var (guild, channel) = discord.AddGuild();
            guilds.TryAdd((int)((guild.Id >> 22) % 2), (guild.Id, channel));
            await Task.Delay(1); // snowflakes of the next millisecond
        }

        foreach (var (shard, (guild, channel)) in guilds)
        {
            var before = gateway.LastSequence(shard);
            var sent = await discord.Interactions.RunCommandAsync(user, guild, channel, "naffles-ping");

            Assert.Null(sent.Delivery.HttpStatus);
            Assert.Equal(shard, sent.Delivery.GatewayShardId);
            Assert.Equal(before + 1, sent.Delivery.GatewaySequence);
            var response = Assert.Single(sent.Interaction.Callbacks);
            Assert.False(response.Inline, "a gateway interaction can only be answered over REST");
            Assert.True(response.Accepted);
            AssertPong(response);
        }

        Assert.Contains(discord.Requests, r => r.Template == "/interactions/{interaction_id}/{interaction_token}/callback");
        Assert.True(gateway.Violations.Count == 0, string.Join("\n", gateway.Violations));
    }

    [Fact]
    public async Task DeliverVia_ChoosesTheTransportPerSimulation()
    {
        await using var discord = new DiscordEmulator();
        await discord.StartAsync();
        await using var gateway = new DiscordGatewayEmulator();
        await gateway.StartAsync();
        discord.Interactions.UseHttp(new Uri("http://127.0.0.1:1/interactions"));
        discord.Interactions.UseGateway(gateway);
        var user = discord.AddUser("member");

        // No shard connected: the gateway transport says so; the HTTP one tries the (closed) endpoint.
        using (discord.Interactions.DeliverVia(InteractionDelivery.Gateway))
        {
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => discord.Interactions.PingAsync());
            Assert.Contains("No gateway session", ex.Message, StringComparison.Ordinal);
        }

        using (discord.Interactions.DeliverVia(InteractionDelivery.Http))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => discord.Interactions.PingAsync());
        }

        // Back to the default (the last Use…: the gateway).
        await Assert.ThrowsAsync<InvalidOperationException>(() => discord.Interactions.PingAsync());
        Assert.NotNull(user);
    }

    private static Dictionary<string, string> Environment(DiscordEmulator discord, DiscordEmulatorUrls urls, Dictionary<string, string> extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["DISCORD_BOT_TOKEN"] = discord.BotToken,
            ["DISCORD_CLIENT_ID"] = discord.ApplicationId.ToString(CultureInfo.InvariantCulture),
            ["DISCORD_API_BASE_URL"] = urls.RestBaseUrl.ToString(),
            ["Storage__Path"] = Path.Combine(Directory.CreateTempSubdirectory("nbk-delivery-e2e-").FullName, "store.db"),
            ["Plugins__Enabled__0"] = "naffles.diagnostics",
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return environment;
    }

    private static async Task WaitForCommandsAsync(DiscordEmulator discord, Testing.Hosting.BotHostProcess host)
    {
        for (var i = 0; i < 300 && !discord.Commands().Any(c => c?["name"]?.GetValue<string>() == "naffles-ping"); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(discord.Commands().Any(c => c?["name"]?.GetValue<string>() == "naffles-ping"), "commands were not synced:\n" + host.Output);
    }

    private static void AssertPong(EmulatedCallback response)
    {
        Assert.Equal(4, response.Type);
        Assert.StartsWith("🏓 Pong (naffles.diagnostics", response.Data?["content"]?.GetValue<string>(), StringComparison.Ordinal);
    }
}
