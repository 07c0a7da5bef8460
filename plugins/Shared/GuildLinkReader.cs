using Microsoft.Extensions.Logging;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.Shared;

/// <summary>
/// Reads the guild's community link from the Communities plugin's shared store (see <see cref="GuildCommunityLinks"/>).
/// When the deployment does not share it, every guild reads as unlinked and a warning says what to configure.
/// </summary>
internal sealed class GuildLinkReader(IPluginStore store, ILogger<GuildLinkReader> logger)
{
    private int _warned;

    public async ValueTask<GuildCommunityLink?> GetAsync(ulong? guildId, CancellationToken cancellationToken)
    {
        if (guildId is not { } guild)
        {
            return null;
        }

        try
        {
            return await GuildCommunityLinks.ReadAsync(store, guild, cancellationToken).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException ex)
        {
            if (Interlocked.Exchange(ref _warned, 1) == 0)
            {
                logger.LogWarning(ex, "Guild links are not shared with {PluginId}: add it to Storage:Shares:{Owner}", store.PluginId, GuildCommunityLinks.OwnerPluginId);
            }

            return null;
        }
    }
}
