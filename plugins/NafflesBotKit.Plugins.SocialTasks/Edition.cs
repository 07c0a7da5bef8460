using NafflesBotKit.Messages;

namespace NafflesBotKit.Plugins.SocialTasks;

/// <summary>
/// The plugin's version, and the one visible difference of the 2.0.0 build used by the hot-swap load test
/// (tests/Fixtures/SocialTasks.V2 compiles these same sources with <c>SOCIALTASKS_V2</c>): the task list and the detail
/// view carry a "Social Tasks 2.0" field, so every answer says which version produced it. The shipped plugin is 1.0.0.
/// </summary>
internal static class Edition
{
#if SOCIALTASKS_V2
    public const string Version = "2.0.0";
#else
    public const string Version = "1.0.0";
#endif

    /// <summary>The name of the field the 2.0.0 build adds.</summary>
    public const string V2FieldName = "🆕 Social Tasks 2.0";

    /// <summary>Adds the 2.0.0 build's field; the 1.0.0 build leaves the embed as it is.</summary>
    public static EmbedBuilder Mark(EmbedBuilder embed)
    {
#if SOCIALTASKS_V2
        embed.AddField(V2FieldName, "Task list and details from the new version.", inline: false);
#endif
        return embed;
    }
}
