using NafflesBotKit.Plugins;

namespace NafflesBotKit.Plugins.Diagnostics;

/// <summary>Small first-party plugin whose commands let operators check that the bot is alive.</summary>
public sealed class DiagnosticsPlugin : BotPlugin
{
    /// <inheritdoc />
    public override PluginManifest Manifest { get; } = new(
        "naffles.diagnostics",
        "1.0.0",
        "[1.0,2.0)",
        "Checks that the bot answers (/naffles-ping) and gives bot operators plugin controls (/naffles-admin).");
}
