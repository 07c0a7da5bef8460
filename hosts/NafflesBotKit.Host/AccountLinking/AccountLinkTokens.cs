using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NafflesBotKit.Host.AccountLinking;

/// <summary>
/// The signed start links handed to plugins: <c>{user}.{guild}.{expires}.{mac}</c> with an HMAC-SHA256 under a key
/// derived (HKDF) from the OAuth2 client secret, so every process of the bot accepts the links of every other without
/// sharing anything else, and nobody can forge a link for another Discord user. A link only starts a flow; the state
/// it creates is the single-use part.
/// </summary>
internal sealed class AccountLinkTokens
{
    private static readonly byte[] KeyInfo = Encoding.ASCII.GetBytes("NafflesBotKit account link v1");
    private readonly byte[] _key;

    public AccountLinkTokens(string clientSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientSecret);
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(clientSecret), 32, salt: null, info: KeyInfo);
    }

    public string Create(ulong discordUserId, ulong? guildId, DateTimeOffset expiresAt)
    {
        var payload = string.Create(CultureInfo.InvariantCulture, $"{discordUserId}.{guildId ?? 0}.{expiresAt.ToUnixTimeSeconds()}");
        return payload + "." + Mac(payload);
    }

    /// <summary>Checks a start link's signature and expiry.</summary>
    /// <returns>The user and guild, or the reason it is refused.</returns>
    public (ulong UserId, ulong? GuildId)? Validate(string? token, DateTimeOffset now, out string? problem)
    {
        problem = "This link is not valid. Press the link button in Discord again.";
        var parts = token?.Split('.');
        if (parts is not { Length: 4 }
            || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var guild)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }

        var expected = Encoding.ASCII.GetBytes(Mac(string.Join('.', parts[0], parts[1], parts[2])));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[3])))
        {
            return null;
        }

        if (now.ToUnixTimeSeconds() >= expires)
        {
            problem = "This link has expired. Press the link button in Discord again (or run the command again) to get a fresh one.";
            return null;
        }

        problem = null;
        return (user, guild == 0 ? null : guild);
    }

    private string Mac(string payload) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(payload))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
