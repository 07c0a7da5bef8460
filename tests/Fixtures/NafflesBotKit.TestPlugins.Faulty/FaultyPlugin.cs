using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NafflesBotKit.Interactions;
using NafflesBotKit.Plugins;

namespace NafflesBotKit.TestPlugins.Faulty;

/// <summary>Fails where its configuration says: Plugins:Settings:test.faulty:FailOn = load | start | none.</summary>
public sealed class FaultyPlugin : BotPlugin
{
    private string _failOn = "none";

    public override PluginManifest Manifest { get; } = new("test.faulty", "0.9.0", "[1.0,2.0)", "Fixture: fails on purpose");

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        _failOn = configuration["FailOn"] ?? "none";
        if (_failOn == "load")
        {
            throw new InvalidOperationException("faulty plugin refuses to load");
        }
    }

    public override ValueTask StartAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        _failOn == "start" ? throw new InvalidOperationException("faulty plugin refuses to start") : ValueTask.CompletedTask;
}

[Command("faulty-boom", "Always throws")]
internal sealed class BoomCommand : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("boom from the faulty plugin");
}
