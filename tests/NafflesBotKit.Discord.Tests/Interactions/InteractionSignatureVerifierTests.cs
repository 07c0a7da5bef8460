using System.Text;
using NafflesBotKit.Discord.Interactions;
using NSec.Cryptography;

namespace NafflesBotKit.Discord.Tests.Interactions;

public sealed class InteractionSignatureVerifierTests
{
    [Fact]
    public void Verify_NSecRoundTrip_AcceptsExactBytesOnly()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519);
        var verifier = new InteractionSignatureVerifier(Convert.ToHexString(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
        var body = Encoding.UTF8.GetBytes("""{"type":1}""");
        var signature = Convert.ToHexStringLower(SignatureAlgorithm.Ed25519.Sign(key, Encoding.UTF8.GetBytes("1700000000").Concat(body).ToArray()));

        Assert.True(verifier.Verify(signature, "1700000000", body));
        Assert.True(verifier.Verify(signature.ToUpperInvariant(), "1700000000", body));
        Assert.False(verifier.Verify(signature, "1700000001", body));
        Assert.False(verifier.Verify(signature, "1700000000", Encoding.UTF8.GetBytes("""{"type": 1}""")));
        Assert.False(verifier.Verify(signature[..^2], "1700000000", body));
        Assert.False(verifier.Verify("zz" + signature[2..], "1700000000", body));
        Assert.False(verifier.Verify(null, "1700000000", body));
        Assert.False(verifier.Verify(signature, null, body));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00")]
    public void Constructor_BadKey_Throws(string key)
    {
        Assert.False(InteractionSignatureVerifier.IsValidKey(key));
        Assert.Throws<ArgumentException>(() => new InteractionSignatureVerifier(key));
    }
}
