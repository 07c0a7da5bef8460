using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using NafflesBotKit.Host.Playground;
using NafflesBotKit.Testing.Discord;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace NafflesBotKit.Host.Sandbox;

/// <summary>Puts the host into sandbox mode when <see cref="SandboxSelection"/> says so.</summary>
internal static partial class SandboxHosting
{
    /// <summary>The sandbox's SQLite file when <c>Storage:Path</c> is not configured (relative to the working directory).</summary>
    public const string DefaultStoragePath = "data/sandbox/nafflesbot.db";

    /// <summary>
    /// Decides, and in sandbox mode starts the emulators, points the host's configuration at them and registers the
    /// start-up seeding. Returns null when the host runs for real. Call before the host's services are registered.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public static async Task<SandboxEnvironment?> StartIfSelectedAsync(WebApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var decision = SandboxSelection.Decide(builder.Configuration);
        if (!decision.Enabled)
        {
            return null;
        }

        var configuredStore = builder.Configuration["Storage:Path"];
        var storagePath = Path.GetFullPath(string.IsNullOrWhiteSpace(configuredStore) ? DefaultStoragePath : configuredStore);
        Directory.CreateDirectory(Path.GetDirectoryName(storagePath)!);
        if (string.IsNullOrWhiteSpace(configuredStore))
        {
            // The emulators start empty every time, so the sandbox's own store starts empty too.
            ResetStore(storagePath);
        }

        var sandbox = await SandboxEnvironment.StartAsync(cancellationToken).ConfigureAwait(false);
        builder.Configuration.AddInMemoryCollection(sandbox.HostConfiguration(storagePath));
        builder.Services.AddSingleton(sandbox);
        builder.Services.AddSingleton(new SandboxStatus(decision.Reason, storagePath));
        builder.Services.AddSingleton<PlaygroundChanges>();
        builder.Services.AddHttpClient();
        builder.Services.AddHostedService<SandboxSeeder>();
        return sandbox;
    }

    private static void ResetStore(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            File.Delete(file);
        }
    }
}

/// <summary>Why sandbox mode, where its data lives, and whether the demo is ready.</summary>
/// <param name="Reason">Why the host is in sandbox mode.</param>
/// <param name="StoragePath">The SQLite file.</param>
internal sealed class SandboxStatus(string Reason, string StoragePath)
{
    public string Reason { get; } = Reason;

    public string StoragePath { get; } = StoragePath;

    public Uri? PlaygroundUrl { get; set; }

    public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? Problem { get; set; }
}

/// <summary>
/// Once the host listens: points the emulators back at it, logs the banner, waits for the command sync, then links the
/// demo guild to the demo community and posts an allowlist — through the real commands, as the demo guild's owner.
/// </summary>
internal sealed partial class SandboxSeeder(
    SandboxEnvironment sandbox,
    SandboxStatus status,
    PlaygroundChanges changes,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<SandboxSeeder> logger) : BackgroundService
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(60);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        }

        var host = LoopbackAddress(server);
        sandbox.Attach(host);
        sandbox.Discord.RequestObserver = request =>
        {
            if (request.Method != "GET")
            {
                changes.Notify();
            }
        };
        status.PlaygroundUrl = new Uri(host, "/playground/");
        LogBanner(logger, status.Reason, status.PlaygroundUrl.AbsoluteUri, status.StoragePath);
        try
        {
            await WaitForCommandsAsync(stoppingToken).ConfigureAwait(false);
            await SeedThroughCommandsAsync(stoppingToken).ConfigureAwait(false);
            status.Ready.TrySetResult();
            changes.Notify();
            LogReady(logger, SandboxEnvironment.GuildName, SandboxEnvironment.CommunityName, status.PlaygroundUrl.AbsoluteUri);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            status.Problem = ex.Message;
            status.Ready.TrySetResult();
            LogSeedFailed(logger, ex);
        }
    }

    /// <summary>The address the emulators call back on: the host's first http address, with a wildcard host made loopback.</summary>
    private static Uri LoopbackAddress(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The host has no address for the emulators to call back.");
        var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "localhost" or "[::1]")
        {
            uri.Host = "127.0.0.1";
        }

        uri.Path = "/";
        return uri.Uri;
    }

    private async Task WaitForCommandsAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SyncTimeout);
        while (!Registered("naffles-link-community") || !Registered("naffles-connect-allowlist"))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token).ConfigureAwait(false);
        }
    }

    private bool Registered(string name) =>
        sandbox.Discord.Commands().Any(c => c?["name"]?.GetValue<string>() == name)
        || sandbox.Discord.Commands(sandbox.GuildId).Any(c => c?["name"]?.GetValue<string>() == name);

    private async Task SeedThroughCommandsAsync(CancellationToken cancellationToken)
    {
        var owner = sandbox.Owner.Discord;
        var link = await sandbox.Discord.Interactions.RunCommandAsync(owner, sandbox.GuildId, sandbox.ChannelId, "naffles-link-community", new Dictionary<string, object> { ["community_id"] = SandboxEnvironment.CommunityId }, cancellationToken).ConfigureAwait(false);
        await ExpectAsync(link, "Community Linked", cancellationToken).ConfigureAwait(false);

        var welcome = sandbox.Discord.SeedMessage(sandbox.ChannelId, content:
            $"👋 Welcome to the **{SandboxEnvironment.GuildName}** sandbox! This server is linked to **{SandboxEnvironment.CommunityName}** on (emulated) Naffles. "
            + "Act as the admin or the member, run the slash commands below, and fire Naffles events from the Simulate panel.");
        _ = welcome;

        var post = await sandbox.Discord.Interactions.RunCommandAsync(owner, sandbox.GuildId, sandbox.ChannelId, "naffles-connect-allowlist", new Dictionary<string, object> { ["allowlist_id"] = SandboxEnvironment.PostedAllowlistId }, cancellationToken).ConfigureAwait(false);
        await ExpectAsync(post, "Allowlist", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the command's answer and its final message, and fails the seeding when it is an error.</summary>
    private async Task ExpectAsync(SimulatedInteraction sent, string expectedTitle, CancellationToken cancellationToken)
    {
        await sandbox.Discord.WaitForResponseAsync(sent.Interaction.Id).WaitAsync(cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SyncTimeout);
        while (true)
        {
            var message = sandbox.Discord.ResponseMessage(sent.Interaction.Id);
            var titles = (message?.Embeds ?? []).OfType<JsonObject>().Select(e => e["title"]?.GetValue<string>() ?? "").ToList();
            if (message is { Loading: false } && titles.Count > 0)
            {
                if (titles.Any(t => t.Contains(expectedTitle, StringComparison.OrdinalIgnoreCase)))
                {
                    return;
                }

                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"the bot answered '{string.Join(" / ", titles)}' instead of '{expectedTitle}'"));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Warning, Message =
        "\n==================================================================================\n"
        + "  SANDBOX MODE: {Reason}.\n"
        + "  Discord and Naffles are emulated inside this process; nothing leaves this machine.\n"
        + "  Playground: {PlaygroundUrl}\n"
        + "  Data: {StoragePath} (reset at each start)\n"
        + "  To run for real, set DISCORD_BOT_TOKEN / NAFFLES_API_BASE_URL (see README.md).\n"
        + "==================================================================================")]
    private static partial void LogBanner(ILogger logger, string reason, string playgroundUrl, string storagePath);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Sandbox ready: demo guild {Guild} linked to {Community}; open {PlaygroundUrl}")]
    private static partial void LogReady(ILogger logger, string guild, string community, string playgroundUrl);

    [LoggerMessage(EventId = 902, Level = LogLevel.Error, Message = "Sandbox demo setup failed; the playground still runs, but the demo guild may not be linked")]
    private static partial void LogSeedFailed(ILogger logger, Exception exception);
}
