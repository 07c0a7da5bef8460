using System.Collections.Concurrent;
using NafflesBotKit.Events;

namespace NafflesBotKit.Runtime.Services.Permissions;

/// <summary>Tells who owns a guild. The default learns it from GUILD_CREATE events; a host may supply its own.</summary>
public interface IGuildOwnerLookup
{
    /// <summary>The owner's user id, or null when the guild has not been seen.</summary>
    /// <param name="guildId">The guild.</param>
    /// <returns>The owner id, or null.</returns>
    ulong? GetOwnerId(ulong guildId);
}

/// <summary>
/// Guild owners as learnt from <see cref="GuildAvailable"/> and <see cref="GuildJoined"/> on the event bus (forgotten
/// on <see cref="GuildLeft"/>), so permission checks need no REST call.
/// </summary>
public sealed class GuildDirectory : IGuildOwnerLookup, IDisposable
{
    private readonly ConcurrentDictionary<ulong, ulong> _owners = new();
    private readonly IDisposable[] _subscriptions;

    /// <summary>Subscribes to guild events.</summary>
    /// <param name="bus">The event bus.</param>
    public GuildDirectory(IEventBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        _subscriptions =
        [
            bus.Subscribe<GuildAvailable>((e, _) => Remember(e.Guild)),
            bus.Subscribe<GuildJoined>((e, _) => Remember(e.Guild)),
            bus.Subscribe<GuildLeft>((e, _) =>
            {
                _owners.TryRemove(e.GuildId, out var _);
                return ValueTask.CompletedTask;
            }),
        ];
    }

    /// <inheritdoc />
    public ulong? GetOwnerId(ulong guildId) => _owners.TryGetValue(guildId, out var owner) ? owner : null;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    private ValueTask Remember(DiscordGuild guild)
    {
        _owners[guild.Id] = guild.OwnerId;
        return ValueTask.CompletedTask;
    }
}
