using System.Globalization;

namespace NafflesBotKit.Messages;

/// <summary>
/// Which mentions in a message's content may notify (Discord's <c>allowed_mentions</c>). Immutable.
/// </summary>
public sealed record AllowedMentions
{
    /// <summary>Allows no mentions to notify, not even the replied-to user.</summary>
    public static AllowedMentions None { get; } = new();

    /// <summary>
    /// Mention types parsed from the content: any of <see cref="AllowedMentionTypes.Users"/> ("users"),
    /// <see cref="AllowedMentionTypes.Roles"/> ("roles") and <see cref="AllowedMentionTypes.Everyone"/> ("everyone").
    /// </summary>
    public IReadOnlyList<string> Parse { get; init; } = [];

    /// <summary>
    /// Users that may be notified, at most <see cref="DiscordLimits.AllowedMentionIds"/>; must be empty when
    /// <see cref="Parse"/> contains "users".
    /// </summary>
    public IReadOnlyList<ulong> Users { get; init; } = [];

    /// <summary>
    /// Roles that may be notified, at most <see cref="DiscordLimits.AllowedMentionIds"/>; must be empty when
    /// <see cref="Parse"/> contains "roles".
    /// </summary>
    public IReadOnlyList<ulong> Roles { get; init; } = [];

    /// <summary>Whether the author of the message being replied to is notified.</summary>
    public bool RepliedUser { get; init; }

    /// <summary>Checks the lists against Discord's rules.</summary>
    /// <exception cref="DiscordLimitException">More than <see cref="DiscordLimits.AllowedMentionIds"/> users or roles.</exception>
    /// <exception cref="ArgumentException">An unknown parse type, or ids listed for a type that is also parsed.</exception>
    internal void Validate()
    {
        var parse = Parse ?? throw new ArgumentException("AllowedMentions.Parse is null.");
        var users = Users ?? throw new ArgumentException("AllowedMentions.Users is null.");
        var roles = Roles ?? throw new ArgumentException("AllowedMentions.Roles is null.");
        foreach (var type in parse)
        {
            if (type is not (AllowedMentionTypes.Users or AllowedMentionTypes.Roles or AllowedMentionTypes.Everyone))
            {
                throw new ArgumentException(
                    $"AllowedMentions.Parse contains '{type}'; allowed values are \"users\", \"roles\" and \"everyone\".");
            }
        }

        DiscordLimitException.ThrowIfOutside(
            users.Count, 0, DiscordLimits.AllowedMentionIds, nameof(DiscordLimits.AllowedMentionIds), "AllowedMentions.Users count", "");
        DiscordLimitException.ThrowIfOutside(
            roles.Count, 0, DiscordLimits.AllowedMentionIds, nameof(DiscordLimits.AllowedMentionIds), "AllowedMentions.Roles count", "");
        if (users.Count > 0 && parse.Contains(AllowedMentionTypes.Users))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"AllowedMentions lists {users.Count} users and also parses \"users\"; Discord allows only one of the two."));
        }

        if (roles.Count > 0 && parse.Contains(AllowedMentionTypes.Roles))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"AllowedMentions lists {roles.Count} roles and also parses \"roles\"; Discord allows only one of the two."));
        }
    }
}

/// <summary>The values of <see cref="AllowedMentions.Parse"/>.</summary>
public static class AllowedMentionTypes
{
    /// <summary>User mentions in the content notify.</summary>
    public const string Users = "users";

    /// <summary>Role mentions in the content notify.</summary>
    public const string Roles = "roles";

    /// <summary>@everyone and @here in the content notify.</summary>
    public const string Everyone = "everyone";
}
