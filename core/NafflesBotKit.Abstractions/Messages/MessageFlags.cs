namespace NafflesBotKit.Messages;

/// <summary>The message flags a bot may set when sending or editing a message.</summary>
[Flags]
public enum MessageFlags
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>Do not show link previews (embeds generated from URLs in the content).</summary>
    SuppressEmbeds = 1 << 2,

    /// <summary>Only the user who ran the interaction sees the message (interaction responses only).</summary>
    Ephemeral = 1 << 6,

    /// <summary>Send without push or desktop notifications ("@silent").</summary>
    SuppressNotifications = 1 << 12,
}
