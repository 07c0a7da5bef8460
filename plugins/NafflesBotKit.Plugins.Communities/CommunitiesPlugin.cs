using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace NafflesBotKit.Plugins.Communities;

/// <summary>
/// Links Discord servers to Naffles communities (<c>/naffles-link-community</c>, <c>/naffles-unlink-community</c>), greets
/// new servers, cleans up on leave, and renders <c>/naffles-help</c> from the commands and help topics the loaded plugins
/// offer. It owns the guild-to-community links and shares them read-only with the other feature plugins
/// (<see cref="Services.GuildCommunityLinks"/>; configuration <c>Storage:Shares:naffles.communities</c>).
/// </summary>
public sealed class CommunitiesPlugin : BotPlugin
{
    /// <inheritdoc />
    public override PluginManifest Manifest { get; } = new(
        "naffles.communities",
        "1.0.0",
        "[1.0,2.0)",
        "Naffles communities: server linking, setup message, help.");

    /// <inheritdoc />
    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<LinkStore>();
        services.AddSingleton<CommunityCache>();
        services.AddSingleton<HelpRenderer>();
    }
}
