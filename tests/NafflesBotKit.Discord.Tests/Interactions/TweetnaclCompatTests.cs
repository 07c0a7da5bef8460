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

    private static Task<JsonElement> RunNodeAsync(params string[] args) => NodeCompat.RunAsync("sign-interaction.mjs", args);
}
