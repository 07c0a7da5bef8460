using System.Text;
using NafflesBotKit.Discord.Tests.Support;
using NafflesBotKit.Testing.Discord;
using NSec.Cryptography;

namespace NafflesBotKit.Discord.Tests.Interactions;

/// <summary>The emulator's signer checked by Discord's own verifier (npm discord-interactions).</summary>
public sealed class DiscordInteractionsCompatTests
{
    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task EmulatorSignature_VerifiedByDiscordInteractions(bool tamper, bool expected)
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519);
        var publicKey = Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        const string body = """{"id":"123456789012345678","type":1,"token":"t","version":1}""";
        var signature = HttpInteractionTransport.Sign(key, "1767225600", Encoding.UTF8.GetBytes(body));

        var result = await NodeCompat.RunAsync("verify-interaction.mjs", publicKey, signature, "1767225600", tamper ? body + " " : body);

        Assert.Equal(expected, result.GetProperty("valid").GetBoolean());
    }
}
