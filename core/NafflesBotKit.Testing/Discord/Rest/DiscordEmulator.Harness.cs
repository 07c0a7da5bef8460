namespace NafflesBotKit.Testing.Discord;

public sealed partial class DiscordEmulator
{
    /// <summary>
    /// Adds a guild, its text channel and its members with ids chosen by the caller (the in-process harness uses
    /// fixed ids), so that what a plugin posts or reads through <c>IDiscordClient</c> lands in known places.
    /// </summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="channelId">Its text channel.</param>
    /// <param name="members">Users to add as members (no roles).</param>
    internal EmulatedGuild SeedGuild(ulong guildId, ulong channelId, params EmulatedUser[] members)
    {
        var guild = _guilds.GetOrAdd(guildId, id => new EmulatedGuild { Id = id });
        _channels[channelId] = guildId;
        lock (guild)
        {
            foreach (var user in members)
            {
                _users[user.Id] = user;
                guild.Members.TryAdd(user.Id, []);
            }
        }

        return guild;
    }
}
