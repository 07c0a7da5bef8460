using System.Net.WebSockets;
using System.Text;
using NafflesBotKit.Testing.Discord;

namespace NafflesBotKit.Discord.Tests.Gateway;

/// <summary>The emulator's strict checks, driven by a raw WebSocket (our client never breaks these rules).</summary>
public sealed class DiscordGatewayEmulatorTests
{
    private const string Identify = """{"op":2,"d":{"token":"emulator-token","intents":1,"properties":{"os":"linux","browser":"raw","device":"raw"},"shard":[0,1]}}""";

    private static async Task<(DiscordGatewayEmulator Emulator, ClientWebSocket Socket)> ConnectAsync(string query = "?v=10&encoding=json")
    {
        var emulator = new DiscordGatewayEmulator();
        await emulator.StartAsync();
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(emulator.GatewayUrl + query.TrimStart('/')), CancellationToken.None);
        return (emulator, socket);
    }

    private static Task SendAsync(ClientWebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Reads until the server closes; returns the close code.</summary>
    private static async Task<int?> ReadUntilCloseAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        for (var i = 0; i < 10_000; i++)
        {
            var r = await socket.ReceiveAsync(buffer, cts.Token);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                return (int?)socket.CloseStatus;
            }
        }

        return null;
    }

    [Fact]
    public async Task MoreThan120PayloadsPerMinute_ClosesWith4008()
    {
        var (emulator, socket) = await ConnectAsync();
        await using var _ = emulator;
        using var __ = socket;
        await SendAsync(socket, Identify);
        for (var i = 0; i < 125 && socket.State == WebSocketState.Open; i++)
        {
            await SendAsync(socket, """{"op":1,"d":null}""");
        }

        Assert.Equal(4008, await ReadUntilCloseAsync(socket));
        Assert.Contains(emulator.Violations, v => v.Contains("more than 120", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PayloadOver4096Bytes_ClosesWith4002()
    {
        var (emulator, socket) = await ConnectAsync();
        await using var _ = emulator;
        using var __ = socket;
        await SendAsync(socket, "{\"op\":3,\"d\":{\"status\":\"" + new string('x', 4100) + "\"}}");
        Assert.Equal(4002, await ReadUntilCloseAsync(socket));
    }

    [Fact]
    public async Task WrongApiVersion_ClosesWith4012()
    {
        var (emulator, socket) = await ConnectAsync("?v=9&encoding=json");
        await using var _ = emulator;
        using var __ = socket;
        Assert.Equal(4012, await ReadUntilCloseAsync(socket));
        Assert.Contains(emulator.Violations, v => v.Contains("v=9", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IdentifyWithBotPrefix_ClosesWith4004_AndIsRecorded()
    {
        var (emulator, socket) = await ConnectAsync();
        await using var _ = emulator;
        using var __ = socket;
        await SendAsync(socket, Identify.Replace("\"emulator-token\"", "\"Bot emulator-token\"", StringComparison.Ordinal));
        Assert.Equal(4004, await ReadUntilCloseAsync(socket));
        Assert.Contains(emulator.Violations, v => v.Contains("'Bot ' prefix", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IdentifyWithoutProperties_ClosesWith4002_AndIsRecorded()
    {
        var (emulator, socket) = await ConnectAsync();
        await using var _ = emulator;
        using var __ = socket;
        await SendAsync(socket, """{"op":2,"d":{"token":"emulator-token","intents":1}}""");
        Assert.Equal(4002, await ReadUntilCloseAsync(socket));
        Assert.Contains(emulator.Violations, v => v.Contains("properties missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecondIdentifyOfAKeyWithinFiveSeconds_IsRecordedAndGetsInvalidSession()
    {
        var (emulator, socket) = await ConnectAsync();
        await using var _ = emulator;
        using var __ = socket;
        await SendAsync(socket, Identify);
        using var second = new ClientWebSocket();
        await second.ConnectAsync(new Uri(emulator.GatewayUrl + "?v=10&encoding=json"), CancellationToken.None);
        await SendAsync(second, Identify);
        var buffer = new byte[64 * 1024];
        string? text = null;
        for (var i = 0; i < 10 && text?.Contains("\"op\":9", StringComparison.Ordinal) != true; i++)
        {
            var r = await second.ReceiveAsync(buffer, CancellationToken.None);
            text = Encoding.UTF8.GetString(buffer, 0, r.Count);
        }

        Assert.Contains("\"op\":9,\"d\":false", text, StringComparison.Ordinal);
        Assert.Contains(emulator.Violations, v => v.StartsWith("identify concurrency", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispatch_UsesRealSequenceNumbers()
    {
        var (emulator, socket) = await ConnectAsync();
        await using var _ = emulator;
        using var __ = socket;
        await SendAsync(socket, Identify);
        for (var i = 0; i < 100 && !emulator.IsLive(0); i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(2, await emulator.DispatchAsync(0, "MESSAGE_CREATE", """{"id":"1"}""")); // READY was 1 (no guilds)
        Assert.Equal(3, await emulator.DispatchAsync(0, "MESSAGE_CREATE", """{"id":"2"}"""));
    }
}
