using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NafflesBotKit.Plugins.Webhooks;

/// <summary>Why a delivery failed verification; <see cref="None"/> when it passed.</summary>
internal enum VerificationFailure
{
    None,
    MissingSignatureOrTimestamp,
    StaleTimestamp,
    InvalidSignature,
    NoSecretConfigured,
}

/// <summary>
/// The seed's webhook check, done right: hex HMAC-SHA256 over <c>{timestamp}.{raw body bytes}</c> (never a
/// re-serialisation), compared in constant time against every currently valid secret, timestamp within the tolerance.
/// </summary>
internal static class WebhookSignature
{
    /// <summary>Lower-case hex HMAC-SHA256 of <c>{timestamp}.{body}</c>.</summary>
    public static string Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp + "."));
        hmac.AppendData(body);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    /// <summary>
    /// Compares two hex signatures in constant time (for equal lengths). A length mismatch is simply false: it reveals
    /// only the length, which is public (64 hex characters).
    /// </summary>
    public static bool FixedTimeEqualsHex(string expected, string provided)
    {
        var a = Encoding.ASCII.GetBytes(expected);
        var b = Encoding.ASCII.GetBytes(provided.Trim().ToLowerInvariant());
        return a.Length == b.Length && CryptographicOperations.FixedTimeEquals(a, b);
    }

    /// <summary>Checks a delivery's headers and raw body against the valid secrets and the clock.</summary>
    public static VerificationFailure Verify(
        string? signature,
        string? timestamp,
        ReadOnlySpan<byte> body,
        IReadOnlyList<string> secrets,
        DateTimeOffset now,
        TimeSpan tolerance)
    {
        if (string.IsNullOrWhiteSpace(signature) || string.IsNullOrWhiteSpace(timestamp)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds))
        {
            return VerificationFailure.MissingSignatureOrTimestamp;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - unixSeconds) > (long)tolerance.TotalSeconds)
        {
            return VerificationFailure.StaleTimestamp;
        }

        if (secrets.Count == 0)
        {
            return VerificationFailure.NoSecretConfigured;
        }

        // Every secret is tried (no early exit), so timing does not tell which one matched during a rotation.
        var match = false;
        foreach (var secret in secrets)
        {
            match |= FixedTimeEqualsHex(Compute(secret, timestamp, body), signature);
        }

        return match ? VerificationFailure.None : VerificationFailure.InvalidSignature;
    }
}
