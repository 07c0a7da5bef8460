using System.Buffers;
using System.Text;
using NSec.Cryptography;

namespace NafflesBotKit.Discord.Interactions;

/// <summary>
/// Verifies Discord's <c>X-Signature-Ed25519</c> over <c>X-Signature-Timestamp</c> followed by the raw body bytes,
/// with the application's public key. Bad hex, wrong lengths and wrong signatures all simply fail.
/// </summary>
public sealed class InteractionSignatureVerifier
{
    private readonly PublicKey? _key;

    /// <summary>Creates a verifier for a public key given as 64 hex characters.</summary>
    /// <param name="publicKeyHex">The application's public key from the Developer Portal.</param>
    /// <exception cref="ArgumentException">The key is not 32 bytes of hex or not a valid Ed25519 key.</exception>
    public InteractionSignatureVerifier(string publicKeyHex)
    {
        if (!TryParseKey(publicKeyHex, out _key))
        {
            throw new ArgumentException("The Discord public key must be 64 hex characters (32 bytes) of a valid Ed25519 key.", nameof(publicKeyHex));
        }
    }

    /// <summary>Whether <paramref name="publicKeyHex"/> is a valid Ed25519 public key in hex.</summary>
    /// <param name="publicKeyHex">The key.</param>
    public static bool IsValidKey(string? publicKeyHex) => TryParseKey(publicKeyHex, out _);

    /// <summary>Checks a request.</summary>
    /// <param name="signatureHex">The <c>X-Signature-Ed25519</c> header.</param>
    /// <param name="timestamp">The <c>X-Signature-Timestamp</c> header.</param>
    /// <param name="body">The raw body, exactly as received.</param>
    public bool Verify(string? signatureHex, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (_key is null || signatureHex is not { Length: 128 } || string.IsNullOrEmpty(timestamp))
        {
            return false;
        }

        Span<byte> signature = stackalloc byte[64];
        if (Convert.FromHexString(signatureHex, signature, out _, out var written) != OperationStatus.Done || written != 64)
        {
            return false;
        }

        var timestampLength = Encoding.UTF8.GetByteCount(timestamp);
        var rented = ArrayPool<byte>.Shared.Rent(timestampLength + body.Length);
        try
        {
            var message = rented.AsSpan(0, timestampLength + body.Length);
            Encoding.UTF8.GetBytes(timestamp, message);
            body.CopyTo(message[timestampLength..]);
            return SignatureAlgorithm.Ed25519.Verify(_key, message, signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool TryParseKey(string? hex, out PublicKey? key)
    {
        key = null;
        if (hex is not { Length: 64 })
        {
            return false;
        }

        Span<byte> raw = stackalloc byte[32];
        if (Convert.FromHexString(hex, raw, out _, out var written) != OperationStatus.Done || written != 32)
        {
            return false;
        }

        return PublicKey.TryImport(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPublicKey, out key);
    }
}
