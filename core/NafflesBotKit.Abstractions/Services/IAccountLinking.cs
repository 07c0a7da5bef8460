namespace NafflesBotKit.Services;

/// <summary>
/// Builds the URL of the OAuth2 flow that links a Discord account to a Naffles account. Implemented by the host's
/// Discord layer (exported to plugins); feature plugins use it for the "link your account" prompt shown to a member
/// whose Discord account is not linked yet. Plugins must tolerate its absence (fall back to a static page).
/// </summary>
public interface IAccountLinking
{
    /// <summary>The URL that starts the account-link flow for one Discord user.</summary>
    /// <param name="discordUserId">The Discord user to link.</param>
    /// <param name="guildId">The guild the prompt was shown in, if any (so the flow can return there).</param>
    /// <returns>An absolute https URL (at most 512 characters, Discord's link-button limit).</returns>
    Uri CreateLinkUrl(ulong discordUserId, ulong? guildId);
}
