namespace NafflesBotKit.Plugins.Shared;

/// <summary>Which side of a Discord post / Naffles record pair is current (seed: <c>DataSynchronizer.determineSyncDirection</c>).</summary>
internal enum SyncDirection
{
    NoSyncNeeded,
    DiscordToNaffles,
    NafflesToDiscord,
    Conflict,
}

internal static class SyncRules
{
    /// <summary>Timestamps closer than this are "the same moment": the source of the sync decides.</summary>
    public static readonly TimeSpan Tie = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The seed's rule: a missing side loses; within 5 s the source's preference wins (a Discord-originated sync pushes
    /// to Naffles, anything else pulls from it); otherwise the newer side wins; equal timestamps with different data
    /// are a conflict.
    /// </summary>
    public static SyncDirection Decide(DateTimeOffset? discordUpdated, DateTimeOffset? nafflesUpdated, bool dataDiffers, bool sourceIsDiscord)
    {
        if (discordUpdated is null && nafflesUpdated is null)
        {
            return SyncDirection.NoSyncNeeded;
        }

        if (discordUpdated is not { } discord)
        {
            return SyncDirection.NafflesToDiscord;
        }

        if (nafflesUpdated is not { } naffles)
        {
            return SyncDirection.DiscordToNaffles;
        }

        if (discord == naffles)
        {
            return dataDiffers ? SyncDirection.Conflict : SyncDirection.NoSyncNeeded;
        }

        if ((discord - naffles).Duration() < Tie)
        {
            return sourceIsDiscord ? SyncDirection.DiscordToNaffles : SyncDirection.NafflesToDiscord;
        }

        return discord > naffles ? SyncDirection.DiscordToNaffles : SyncDirection.NafflesToDiscord;
    }
}
