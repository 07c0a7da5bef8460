using Microsoft.Extensions.Hosting;

namespace NafflesBotKit.Discord.Gateway;

/// <summary>Runs the configured shards for the lifetime of the host.</summary>
public sealed class DiscordGatewayService : BackgroundService
{
    private readonly DiscordGatewayClient _client;

    /// <summary>Creates the service.</summary>
    /// <param name="client">The gateway client.</param>
    public DiscordGatewayService(DiscordGatewayClient client) => _client = client;

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _client.StopAsync(cancellationToken).ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _client.StartAsync(stoppingToken).ConfigureAwait(false);
        // Shards only end on request or on a fatal close code (logged as Critical); the host keeps running either way.
        await _client.Completion.WaitAsync(stoppingToken).ConfigureAwait(false);
    }
}
