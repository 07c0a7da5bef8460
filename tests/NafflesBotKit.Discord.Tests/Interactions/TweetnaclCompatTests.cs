using System.Text.Json;
using NafflesBotKit.Discord.Tests.Support;
using NSec.Cryptography;

namespace NafflesBotKit.Discord.Tests.Interactions;

/// <summary>
/// Interactions signed by tweetnacl (npm, an Ed25519 implementation independent of NSec) against the real endpoint:
/// accepted when genuine, 401 when body, timestamp or key is tampered with.
/// </summary>
public sealed class TweetnaclCompatTests
{
    [Theory]
    [InlineData("ok", 200)]
    [InlineData("tamper-body", 401)]
    [InlineData("tamper-timestamp", 401)]
    [InlineData("wrong-key", 401)]
    public async Task TweetnaclSignedPing_VerifiedByEndpoint(string mode, int expected)
    {
        var seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        using var key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var publicKey = Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        await using var host = await InteractionsHost.StartAsync(publicKey);
        var body = """{"id":"123456789012345678","application_id":"1100000000000000001","type":1,"token":"dG9rZW4","version":1}""";

        var result = await RunNodeAsync(host.Endpoint.ToString(), Convert.ToHexStringLower(seed), mode, body);

        Assert.Equal(expected, result.GetProperty("status").GetInt32());
        if (mode == "ok")
        {
            Assert.Equal(publicKey, result.GetProperty("publicKey").GetString()); // tweetnacl and NSec derive the same key
            Assert.Equal("""{"type":1}""", result.GetProperty("body").GetString());
            Assert.StartsWith("application/json", result.GetProperty("contentType").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TweetnaclSignedCommand_RoutedAndAnsweredInline()
    {
        var seed = Convert.FromHexString("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
        using var key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        await using var host = await InteractionsHost.StartAsync(Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
        host.Handler = (i, r, ct) => r.RespondAsync(i, new NafflesBotKit.Transport.InteractionResponse(NafflesBotKit.Transport.InteractionCallbackType.ChannelMessageWithSource, NafflesBotKit.Messages.MessagePayload.FromText("hello " + i.User.Username)), ct);
        var body = """{"id":"123456789012345678","application_id":"1100000000000000001","type":2,"token":"dG9rZW4","version":1,"guild_id":"223456789012345678","channel_id":"323456789012345678","member":{"user":{"id":"423456789012345678","username":"nacl"},"roles":[],"permissions":"0"},"data":{"id":"523456789012345678","name":"hello","type":1}}""";

        var result = await RunNodeAsync(host.Endpoint.ToString(), Convert.ToHexStringLower(seed), "ok", body);

        Assert.Equal(200, result.GetProperty("status").GetInt32());
        using var response = JsonDocument.Parse(result.GetProperty("body").GetString()!);
        Assert.Equal(4, response.RootElement.GetProperty("type").GetInt32());
        Assert.Equal("hello nacl", response.RootElement.GetProperty("data").GetProperty("content").GetString());
        Assert.Equal("hello", Assert.Single(host.Received).Command!.Name);
    }

    private static Task<JsonElement> RunNodeAsync(params string[] args) => NodeCompat.RunAsync("sign-interaction.mjs", args);
}
