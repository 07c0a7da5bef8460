using System.Globalization;
using NafflesBotKit.Discord.Tests.Support;
using NafflesBotKit.Messages;
using NafflesBotKit.Testing.Discord;

namespace NafflesBotKit.Discord.Tests.Rest;

/// <summary>
/// discord.js's REST client (@discordjs/rest 2.6.3) and ours against the same emulator storm: both must deliver
/// everything without sending into an exhausted bucket or past a global pause. discord.js passing shows the
/// emulator's headers are the ones a real client understands; ours passing shows we handle them as well.
/// </summary>
public sealed class DiscordJsRestDifferentialTests
{
    private const string Messages = "/channels/{channel_id}/messages";

    private static void Script(DiscordEmulator emulator)
    {
        emulator.SetRouteLimit("POST", Messages, 5, TimeSpan.FromSeconds(1));
        emulator.ScriptRouteRateLimit("POST", Messages, TimeSpan.FromSeconds(0.4), times: 2, headerRetryAfter: TimeSpan.FromSeconds(1));
        emulator.ScriptGlobalRateLimit(TimeSpan.FromSeconds(0.5));
    }

    [Fact]
    public async Task Storm_DiscordJsAndOurClient_NoViolations()
    {
        await using var forNode = new DiscordEmulator();
        var urls = await forNode.StartAsync();
        var (guild, a) = forNode.AddGuild();
        var b = forNode.AddChannel(guild.Id);
        Script(forNode);

        var node = await NodeCompat.RunAsync("rest-storm.mjs", urls.ApiRoot.ToString().TrimEnd('/'), forNode.BotToken, string.Join(',', new[] { a, b }.Select(c => c.ToString(CultureInfo.InvariantCulture))), "8");

        Assert.Equal(16, node.GetProperty("ok").GetInt32());
        Assert.Equal(16, forNode.Messages(a).Count + forNode.Messages(b).Count);
        Assert.Equal(0, forNode.RouteViolations);
        Assert.Equal(0, forNode.GlobalViolations);

        await using var ctx = await DiscordTestContext.StartAsync();
        var (guild2, c) = ctx.Emulator.AddGuild();
        var d = ctx.Emulator.AddChannel(guild2.Id);
        Script(ctx.Emulator);
        await Task.WhenAll(new[] { c, d }.SelectMany(ch => Enumerable.Range(0, 8).Select(i => ctx.Rest.SendMessageAsync(ch, MessagePayload.FromText($"ours {i}"), CancellationToken.None).AsTask())));

        Assert.Equal(16, ctx.Emulator.Messages(c).Count + ctx.Emulator.Messages(d).Count);
        Assert.Equal(0, ctx.Emulator.RouteViolations);
        Assert.Equal(0, ctx.Emulator.GlobalViolations);
        Assert.True(ctx.Emulator.RateLimitedResponses <= forNode.RateLimitedResponses, $"ours got {ctx.Emulator.RateLimitedResponses} 429s, discord.js {forNode.RateLimitedResponses}");
    }
}
