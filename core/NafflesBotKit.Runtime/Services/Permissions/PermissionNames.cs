using System.Globalization;
using NafflesBotKit.Interactions;

namespace NafflesBotKit.Runtime.Services.Permissions;

/// <summary>Discord permissions by the names Discord's client shows ("Manage Server", not MANAGE_GUILD).</summary>
public static class PermissionNames
{
    private static readonly (NafflesBotKit.Interactions.Permissions Flag, string Name)[] Names =
    [
        (NafflesBotKit.Interactions.Permissions.CreateInstantInvite, "Create Invite"),
        (NafflesBotKit.Interactions.Permissions.KickMembers, "Kick Members"),
        (NafflesBotKit.Interactions.Permissions.BanMembers, "Ban Members"),
        (NafflesBotKit.Interactions.Permissions.Administrator, "Administrator"),
        (NafflesBotKit.Interactions.Permissions.ManageChannels, "Manage Channels"),
        (NafflesBotKit.Interactions.Permissions.ManageGuild, "Manage Server"),
        (NafflesBotKit.Interactions.Permissions.AddReactions, "Add Reactions"),
        (NafflesBotKit.Interactions.Permissions.ViewAuditLog, "View Audit Log"),
        (NafflesBotKit.Interactions.Permissions.ViewChannel, "View Channels"),
        (NafflesBotKit.Interactions.Permissions.SendMessages, "Send Messages"),
        (NafflesBotKit.Interactions.Permissions.ManageMessages, "Manage Messages"),
        (NafflesBotKit.Interactions.Permissions.EmbedLinks, "Embed Links"),
        (NafflesBotKit.Interactions.Permissions.AttachFiles, "Attach Files"),
        (NafflesBotKit.Interactions.Permissions.ReadMessageHistory, "Read Message History"),
        (NafflesBotKit.Interactions.Permissions.MentionEveryone, "Mention @everyone, @here, and All Roles"),
        (NafflesBotKit.Interactions.Permissions.UseExternalEmojis, "Use External Emoji"),
        (NafflesBotKit.Interactions.Permissions.ManageRoles, "Manage Roles"),
        (NafflesBotKit.Interactions.Permissions.ManageWebhooks, "Manage Webhooks"),
        (NafflesBotKit.Interactions.Permissions.UseApplicationCommands, "Use Application Commands"),
        (NafflesBotKit.Interactions.Permissions.ModerateMembers, "Timeout Members"),
    ];

    /// <summary>The display names of every bit set in <paramref name="permissions"/>, lowest bit first.</summary>
    /// <param name="permissions">The permissions.</param>
    /// <returns>The names.</returns>
    public static IReadOnlyList<string> Describe(NafflesBotKit.Interactions.Permissions permissions)
    {
        var names = new List<string>();
        for (var bit = 0; bit < 64; bit++)
        {
            var flag = (NafflesBotKit.Interactions.Permissions)(1UL << bit);
            if ((permissions & flag) == 0)
            {
                continue;
            }

            var known = Array.FindIndex(Names, n => n.Flag == flag);
            names.Add(known >= 0 ? Names[known].Name : string.Create(CultureInfo.InvariantCulture, $"Permission bit {bit}"));
        }

        return names;
    }
}
