using System.ComponentModel.DataAnnotations;

namespace NafflesBotKit.Runtime.Routing;

/// <summary>Router settings (configuration section <c>Interactions</c>).</summary>
public sealed class InteractionRouterOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Interactions";

    /// <summary>
    /// When a handler has not answered after this long, the router defers for it (Discord's window is 3 s, and
    /// network time comes on top). Between 0.1 and 2.5 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:02.500")]
    public TimeSpan AutoDeferAfter { get; set; } = TimeSpan.FromSeconds(2);
}
