using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Discord.Interactions;
using NafflesBotKit.Interactions;
using NafflesBotKit.Testing.Discord;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Discord.Tests.Support;

/// <summary>A bot host on loopback Kestrel that maps the interactions endpoint over a scriptable dispatcher.</summary>
internal sealed class InteractionsHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InteractionsHost(WebApplication app, DiscordEmulator emulator, Uri endpoint, ValidationLog log)
    {
        _app = app;
        Emulator = emulator;
        Endpoint = endpoint;
        Validation = log;
    }

    public DiscordEmulator Emulator { get; }

    public Uri Endpoint { get; }

    public ValidationLog Validation { get; }

    public List<Interaction> Received { get; } = [];

    public Func<Interaction, IInteractionResponder, CancellationToken, ValueTask> Handler { get; set; } = (_, _, _) => ValueTask.CompletedTask;

    public static async Task<InteractionsHost> StartAsync(string? publicKeyHex = null, string deadline = "00:00:02.600")
    {
        var emulator = new DiscordEmulator();
        var urls = await emulator.StartAsync();
        var settings = DiscordTestContext.Settings(emulator, urls);
        settings["Discord:PublicKey"] = publicKeyHex ?? emulator.PublicKeyHex;
        settings["Discord:InteractionResponseDeadline"] = deadline;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var log = new ValidationLog();
        DiscordTestContext.Register(builder.Services, settings, TimeProvider.System, urls.RestBaseUrl.ToString(), log);
        InteractionsHost? self = null;
        builder.Services.AddSingleton<IInteractionDispatcher>(new DelegateInteractionDispatcher((i, r, ct) =>
        {
            lock (self!.Received)
            {
                self.Received.Add(i);
            }

            return self.Handler(i, r, ct);
        }));
        var app = builder.Build();
        app.MapDiscordInteractions("/interactions");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new InteractionsHost(app, emulator, new Uri(address.TrimEnd('/') + "/interactions"), log);
        emulator.Interactions.UseHttp(self.Endpoint);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
