using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using NafflesBotKit.Discord;
using NafflesBotKit.Discord.OAuth2;
using NafflesBotKit.Discord.Rest;
using NafflesBotKit.Naffles;
using NafflesBotKit.Runtime.Services.Store;
using NafflesBotKit.Services;
using DiscordRestOptions = NafflesBotKit.Discord.Rest.DiscordOptions;

namespace NafflesBotKit.Host.AccountLinking;

/// <summary>Account linking settings (configuration section <c>AccountLinking</c>).</summary>
public sealed class AccountLinkingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "AccountLinking";

    /// <summary>How long a "Link Naffles Account" button keeps working after it was shown.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Links a Discord account to a Naffles account through Discord OAuth2 (exported to plugins as
/// <see cref="IAccountLinking"/>). The button a plugin shows carries a signed start link for one Discord user; opening
/// it creates a single-use state with a PKCE verifier (kept in the store, so any process of the bot can finish the
/// flow) and sends the browser to Discord; Discord's redirect back is checked (state, same Discord user), the code is
/// exchanged, and the Naffles account whose e-mail address matches the Discord account's verified e-mail is linked
/// with <c>POST /api/users/{id}/discord-link</c>. The browser gets a page saying what happened and the user a DM.
/// </summary>
internal sealed partial class AccountLinkService : IAccountLinking
{
    /// <summary>The store namespace of pending flows.</summary>
    public const string StoreNamespace = "naffles.account-linking";

    /// <summary>The scopes asked for: who the user is, and their e-mail address to find their Naffles account.</summary>
    public static readonly IReadOnlyList<string> Scopes = ["identify", "email"];

    private readonly DiscordRestOptions _discord;
    private readonly AccountLinkingOptions _options;
    private readonly AccountLinkTokens _tokens;
    private readonly DiscordOAuth2Client _oauth;
    private readonly IPluginStore _store;
    private readonly INafflesApi _naffles;
    private readonly IDiscordClient _discordClient;
    private readonly TimeProvider _time;
    private readonly ILogger<AccountLinkService> _logger;
    private readonly Uri _callback;

    public AccountLinkService(
        IOptions<DiscordRestOptions> discord,
        IOptions<AccountLinkingOptions> options,
        DiscordOAuth2Client oauth,
        PluginStoreFactory stores,
        INafflesApi naffles,
        IDiscordClient discordClient,
        TimeProvider time,
        ILogger<AccountLinkService> logger)
    {
        _discord = discord.Value;
        _options = options.Value;
        _tokens = new AccountLinkTokens(_discord.ClientSecret!);
        _oauth = oauth;
        _store = stores.For(StoreNamespace);
        _naffles = naffles;
        _discordClient = discordClient;
        _time = time;
        _logger = logger;
        _callback = new Uri(_discord.RedirectUri!);
    }

    /// <inheritdoc />
    public Uri CreateLinkUrl(ulong discordUserId, ulong? guildId)
    {
        var token = _tokens.Create(discordUserId, guildId, _time.GetUtcNow() + _options.LinkLifetime);
        var separator = string.IsNullOrEmpty(_callback.Query) ? "?" : "&";
        return new Uri(_callback.AbsoluteUri + separator + "link=" + token);
    }

    /// <summary>The browser opened a start link: remember a fresh state and send it to Discord.</summary>
    public async Task<LinkOutcome> StartAsync(string? token, CancellationToken cancellationToken)
    {
        if (_tokens.Validate(token, _time.GetUtcNow(), out var problem) is not { } who)
        {
            LogStartRefused(_logger);
            return LinkOutcome.Failure(400, "Link not valid", problem!);
        }

        var state = DiscordOAuth2Client.CreateState();
        var verifier = DiscordOAuth2Client.CreateCodeVerifier();
        var pending = new PendingLink(who.UserId, who.GuildId, verifier, _time.GetUtcNow() + _discord.OAuth2StateLifetime);
        await _store.SetAsync(StateKey(state), pending, AccountLinkJsonContext.Default.PendingLink, _discord.OAuth2StateLifetime, cancellationToken).ConfigureAwait(false);
        LogStarted(_logger, who.UserId);
        return LinkOutcome.RedirectTo(_oauth.BuildAuthorizeUrl(state, DiscordOAuth2Client.CreateCodeChallenge(verifier), Scopes));
    }

    /// <summary>Discord sent the browser back: check, exchange, identify, link, tell the user.</summary>
    public async Task<LinkOutcome> CompleteAsync(string? state, string? code, string? error, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(state))
        {
            return LinkOutcome.Failure(400, "Link not valid", "Discord's answer carried no state. Press the link button in Discord again.");
        }

        // Single use: whoever deletes the pending flow owns it; the tombstone tells a second use apart from a forgery.
        var pending = await _store.GetAsync(StateKey(state), AccountLinkJsonContext.Default.PendingLink, cancellationToken).ConfigureAwait(false);
        if (pending is null || !await _store.DeleteAsync(StateKey(state), cancellationToken).ConfigureAwait(false))
        {
            var used = await _store.GetAsync(UsedKey(state), AccountLinkJsonContext.Default.PendingLink, cancellationToken).ConfigureAwait(false) is not null;
            LogStateRefused(_logger, used ? "reused" : "unknown or expired");
            return used
                ? LinkOutcome.Failure(400, "Link already used", "This sign-in was already used. Press the link button in Discord again to start over.")
                : LinkOutcome.Failure(400, "Link expired", "This sign-in is unknown or has expired. Press the link button in Discord again to start over.");
        }

        await _store.SetAsync(UsedKey(state), pending with { Verifier = string.Empty }, AccountLinkJsonContext.Default.PendingLink, _discord.OAuth2StateLifetime, cancellationToken).ConfigureAwait(false);
        if (_time.GetUtcNow() >= pending.ExpiresAt)
        {
            LogStateRefused(_logger, "expired");
            return LinkOutcome.Failure(400, "Link expired", "This sign-in has expired. Press the link button in Discord again to start over.");
        }

        if (!string.IsNullOrEmpty(error))
        {
            LogDenied(_logger, pending.UserId, error == "access_denied" ? "access_denied" : "other");
            return error == "access_denied"
                ? LinkOutcome.Failure(200, "Linking cancelled", "You did not authorize the bot on Discord, so nothing was linked. Press the link button in Discord again if you change your mind.", pending.GuildId)
                : LinkOutcome.Failure(400, "Discord refused the sign-in", "Discord did not complete the sign-in. Press the link button in Discord again.", pending.GuildId);
        }

        if (string.IsNullOrEmpty(code))
        {
            return LinkOutcome.Failure(400, "Link not valid", "Discord's answer carried no authorization code. Press the link button in Discord again.", pending.GuildId);
        }

        OAuth2Identity identity;
        try
        {
            var token = await _oauth.ExchangeCodeWithVerifierAsync(code, pending.Verifier, cancellationToken).ConfigureAwait(false);
            identity = await _oauth.GetCurrentIdentityAsync(token.AccessToken, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DiscordApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The message is Discord's error description (never the code or a token).
            LogExchangeFailed(_logger, pending.UserId, ex.GetType().Name, ex.Message);
            return LinkOutcome.Failure(502, "Discord sign-in failed", "Discord did not accept the sign-in. Press the link button in Discord again in a moment.", pending.GuildId);
        }

        if (identity.User.Id != pending.UserId)
        {
            LogUserMismatch(_logger, pending.UserId, identity.User.Id);
            return LinkOutcome.Failure(403, "Wrong Discord account", "You signed in to Discord with a different account than the one that asked to link. Sign in with the account you use in the server, then press the link button again.", pending.GuildId);
        }

        if (string.IsNullOrEmpty(identity.Email) || !identity.EmailVerified)
        {
            LogNoVerifiedEmail(_logger, pending.UserId);
            return LinkOutcome.Failure(400, "No verified e-mail address", "Your Discord account has no verified e-mail address, which is how the bot finds your Naffles account. Verify your e-mail in Discord's settings, then press the link button again.", pending.GuildId);
        }

        return await LinkAsync(pending, identity, cancellationToken).ConfigureAwait(false);
    }

    private async Task<LinkOutcome> LinkAsync(PendingLink pending, OAuth2Identity identity, CancellationToken cancellationToken)
    {
        NafflesUser linked;
        try
        {
            var nafflesUser = await _naffles.Users.FindUserByEmailAsync(identity.Email!, cancellationToken).ConfigureAwait(false);
            if (nafflesUser is null)
            {
                LogNoNafflesAccount(_logger, pending.UserId);
                return LinkOutcome.Failure(404, "No Naffles account found", "No Naffles account uses the e-mail address of your Discord account. Sign up at naffles.com with that address (or add it to your Naffles profile), then press the link button again.", pending.GuildId);
            }

            var account = new DiscordAccount
            {
                Id = identity.User.Id.ToString(CultureInfo.InvariantCulture),
                Username = identity.User.Username,
                Discriminator = identity.Discriminator,
                Avatar = identity.User.Avatar,
            };
            linked = await _naffles.Users.LinkDiscordAccountAsync(nafflesUser.Id, account, cancellationToken).ConfigureAwait(false);
        }
        catch (NafflesApiException ex) when (ex.Kind == NafflesErrorKind.Conflict)
        {
            LogNafflesRefused(_logger, pending.UserId, ex.Kind.ToString());
            return LinkOutcome.Failure(409, "Already linked elsewhere", "Your Discord account is already linked to another Naffles account. Unlink it on naffles.com first.", pending.GuildId);
        }
        catch (NafflesApiException ex)
        {
            LogNafflesRefused(_logger, pending.UserId, ex.Kind.ToString());
            return LinkOutcome.Failure(502, "Naffles unavailable", "Naffles could not link the accounts right now. Press the link button in Discord again in a few minutes.", pending.GuildId);
        }

        LogLinked(_logger, pending.UserId, linked.Id);
        var who = string.IsNullOrEmpty(linked.Username) ? "your Naffles account" : $"the Naffles account **{linked.Username}**";
        await NotifyAsync(pending.UserId, $"Your Discord account is now linked to {who}. You can use the Naffles features in Discord now.", cancellationToken).ConfigureAwait(false);
        return new LinkOutcome(200, "Accounts linked", $"Your Discord account {identity.User.Username} is now linked to {(string.IsNullOrEmpty(linked.Username) ? "your Naffles account" : "the Naffles account " + linked.Username)}. You can close this page and return to Discord.", true, null, pending.GuildId);
    }

    private async Task NotifyAsync(ulong userId, string text, CancellationToken cancellationToken)
    {
        try
        {
            var embed = NafflesBotKit.Messages.NafflesEmbeds.Success("Naffles Account Linked", text);
            await _discordClient.SendDirectMessageAsync(userId, NafflesBotKit.Messages.MessagePayload.FromEmbed(embed), cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex)
        {
            // DMs closed (50007) and the like: the page already told the user.
            LogDirectMessageFailed(_logger, userId, ex.Message);
        }
    }

    private static string StateKey(string state) => "state:" + state;

    private static string UsedKey(string state) => "used:" + state;

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Account link started for Discord user {DiscordUserId}")]
    private static partial void LogStarted(ILogger logger, ulong discordUserId);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Account link start refused: the link is forged or expired")]
    private static partial void LogStartRefused(ILogger logger);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "Account link callback refused: state {Reason}")]
    private static partial void LogStateRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "Account link for Discord user {DiscordUserId} not authorized on Discord ({Error})")]
    private static partial void LogDenied(ILogger logger, ulong discordUserId, string error);

    [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "Account link for Discord user {DiscordUserId}: code exchange failed ({ExceptionType}: {Reason})")]
    private static partial void LogExchangeFailed(ILogger logger, ulong discordUserId, string exceptionType, string reason);

    [LoggerMessage(EventId = 705, Level = LogLevel.Warning, Message = "Account link for Discord user {DiscordUserId} refused: Discord signed in user {SignedInUserId} instead")]
    private static partial void LogUserMismatch(ILogger logger, ulong discordUserId, ulong signedInUserId);

    [LoggerMessage(EventId = 706, Level = LogLevel.Information, Message = "Account link for Discord user {DiscordUserId} refused: no verified e-mail address")]
    private static partial void LogNoVerifiedEmail(ILogger logger, ulong discordUserId);

    [LoggerMessage(EventId = 707, Level = LogLevel.Information, Message = "Account link for Discord user {DiscordUserId}: no Naffles account with that e-mail address")]
    private static partial void LogNoNafflesAccount(ILogger logger, ulong discordUserId);

    [LoggerMessage(EventId = 708, Level = LogLevel.Warning, Message = "Account link for Discord user {DiscordUserId}: Naffles refused ({Kind})")]
    private static partial void LogNafflesRefused(ILogger logger, ulong discordUserId, string kind);

    [LoggerMessage(EventId = 709, Level = LogLevel.Information, Message = "Discord user {DiscordUserId} linked to Naffles user {NafflesUserId}")]
    private static partial void LogLinked(ILogger logger, ulong discordUserId, string nafflesUserId);

    [LoggerMessage(EventId = 710, Level = LogLevel.Information, Message = "Could not DM Discord user {DiscordUserId} about the link: {Reason}")]
    private static partial void LogDirectMessageFailed(ILogger logger, ulong discordUserId, string reason);
}

/// <summary>A pending flow, kept under its state until Discord sends the browser back (or it expires).</summary>
/// <param name="UserId">The Discord user the link was made for.</param>
/// <param name="GuildId">The guild the prompt was shown in.</param>
/// <param name="Verifier">The PKCE verifier.</param>
/// <param name="ExpiresAt">When the state stops being accepted.</param>
internal sealed record PendingLink(ulong UserId, ulong? GuildId, string Verifier, DateTimeOffset ExpiresAt);

/// <summary>What the browser gets: a redirect to Discord, or a page.</summary>
/// <param name="Status">The HTTP status of the page.</param>
/// <param name="Title">The page title.</param>
/// <param name="Message">What happened and what to do.</param>
/// <param name="Success">Whether the accounts are linked.</param>
/// <param name="Redirect">Where to send the browser instead of a page.</param>
/// <param name="GuildId">The guild to offer a way back to.</param>
internal sealed record LinkOutcome(int Status, string Title, string Message, bool Success, Uri? Redirect, ulong? GuildId)
{
    public static LinkOutcome RedirectTo(Uri url) => new(302, string.Empty, string.Empty, false, url, null);

    public static LinkOutcome Failure(int status, string title, string message, ulong? guildId = null) => new(status, title, message, false, null, guildId);
}

[JsonSerializable(typeof(PendingLink))]
internal sealed partial class AccountLinkJsonContext : JsonSerializerContext;
