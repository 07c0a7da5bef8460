using System.Globalization;
using NafflesBotKit.Messages;
using NafflesBotKit.Naffles;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.Shared;

/// <summary>The user-facing error embeds every feature plugin shares (red, reason, suggestions).</summary>
internal static class NafflesReplies
{
    public const string SetupUrl = "https://naffles.com/discord-setup";
    public const string AccountLinkFallbackUrl = "https://naffles.com/discord-link";

    public static Embed ServerNotLinked() => NafflesEmbeds.Error(
        "Server Not Linked",
        "This Discord server is not linked to a Naffles community.",
        ["A server admin can link it with `/naffles-link-community`", $"Set up your community at {SetupUrl}"]);

    /// <summary>Maps a Naffles API failure to a clear message; <paramref name="what"/> names the thing, e.g. "Allowlist".</summary>
    public static Embed FromApi(NafflesApiException ex, string what)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.Kind switch
        {
            NafflesErrorKind.NotFound => NafflesEmbeds.Error($"{what} Not Found", $"Naffles has no {what.ToLowerInvariant()} with that id.", ["Check the id (copy it from naffles.com)", "It may have been deleted"]),
            NafflesErrorKind.Permission => NafflesEmbeds.Error("Permission Denied", $"Naffles did not allow this on the {what.ToLowerInvariant()}: {ex.Message}", ["Check that you are an owner or admin of the community on Naffles"]),
            NafflesErrorKind.Authentication => NafflesEmbeds.Error("Bot Not Authorized", "Naffles rejected the bot's credentials.", ["Ask the bot operator to check the Naffles API key"]),
            NafflesErrorKind.Validation => NafflesEmbeds.Error("Invalid Input", ex.FieldErrors.Count == 0 ? ex.Message : string.Join('\n', ex.FieldErrors.Select(f => $"**{f.Field}**: {f.Message}")), ["Correct the values and try again"]),
            NafflesErrorKind.Conflict => NafflesEmbeds.Error("Not Possible Right Now", ex.Message, ["Refresh the post or run the command again"]),
            NafflesErrorKind.RateLimited => NafflesEmbeds.Error("Slow Down", "Naffles is receiving too many requests.", [ex.RetryAfter is { } after ? string.Create(CultureInfo.InvariantCulture, $"Try again in {Math.Ceiling(after.TotalSeconds)} seconds") : "Try again in a minute"]),
            _ => NafflesEmbeds.Error("Naffles Unavailable", "🔌 The Naffles service is temporarily unavailable.", ["Try again in a few minutes", "Check https://status.naffles.com"]),
        };
    }

    /// <summary>The "link your Naffles account" prompt: an error embed and a link button to the OAuth2 flow.</summary>
    public static MessagePayload AccountNotLinked(IAccountLinking? linking, ulong userId, ulong? guildId)
    {
        var url = linking?.CreateLinkUrl(userId, guildId).ToString() ?? AccountLinkFallbackUrl;
        var embed = NafflesEmbeds.Error(
            "Account Not Linked",
            "You need to link your Naffles account to your Discord account first.",
            ["Press **Link Naffles Account** below, then try again"]);
        var components = new ComponentBuilder().WithLinkButton("Link Naffles Account", url, "🔗").Build();
        return MessagePayload.FromEmbed(embed, components);
    }
}
