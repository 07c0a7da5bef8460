using System.Collections.Concurrent;

namespace NafflesBotKit.Events;

/// <summary>A help page a plugin contributes to <c>/naffles-help</c>.</summary>
/// <param name="Id">A short unique id (lower case, used in the topic menu's values).</param>
/// <param name="Title">The menu label and page title (at most 100 characters).</param>
/// <param name="Body">The page text (markdown, at most 4,000 characters).</param>
/// <param name="Emoji">An emoji for the menu, or null.</param>
/// <param name="Order">Sort order in the menu (lower first).</param>
public sealed record HelpTopic(string Id, string Title, string Body, string? Emoji = null, int Order = 100);

/// <summary>
/// Published on the <see cref="IEventBus"/> by the plugin that renders help; every loaded plugin that wants a help page
/// handles it (<see cref="IEventHandler{TEvent}"/>) and calls <see cref="Add"/>. Because publishing completes when all
/// subscribers have run, the publisher reads <see cref="Topics"/> right after, and the list always matches the plugins
/// loaded at that moment (no registry to keep in sync across hot swaps).
/// </summary>
public sealed class HelpTopicsRequested
{
    private readonly ConcurrentDictionary<string, HelpTopic> _topics = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a request.</summary>
    /// <param name="guildId">The guild asking, or null in a DM.</param>
    /// <param name="guildLinked">Whether that guild is linked to a Naffles community.</param>
    public HelpTopicsRequested(ulong? guildId, bool guildLinked)
    {
        GuildId = guildId;
        GuildLinked = guildLinked;
    }

    /// <summary>The guild asking, or null in a DM.</summary>
    public ulong? GuildId { get; }

    /// <summary>Whether the guild is linked to a Naffles community (topics may differ).</summary>
    public bool GuildLinked { get; }

    /// <summary>The topics added so far, by <see cref="HelpTopic.Order"/> then title.</summary>
    public IReadOnlyList<HelpTopic> Topics => [.. _topics.Values.OrderBy(t => t.Order).ThenBy(t => t.Title, StringComparer.Ordinal)];

    /// <summary>Adds a topic (thread-safe; a later topic with the same id replaces the earlier one).</summary>
    /// <param name="topic">The topic.</param>
    public void Add(HelpTopic topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        _topics[topic.Id] = topic;
    }
}
