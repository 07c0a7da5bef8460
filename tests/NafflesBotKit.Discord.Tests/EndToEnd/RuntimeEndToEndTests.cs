using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Discord.Commands;
using NafflesBotKit.Discord.Interactions;
using NafflesBotKit.Discord.Tests.EndToEnd.Plugin;
using NafflesBotKit.Discord.Tests.Support;
using NafflesBotKit.Runtime.Plugins;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Testing.Discord;

namespace NafflesBotKit.Discord.Tests.EndToEnd;

/// <summary>
/// The whole path: a plugin loads, its command is synced to the emulator, a user runs it, the signed HTTP
/// interaction goes through the endpoint into the real InteractionRouter and the plugin's answer comes back inline.
/// </summary>
public sealed class RuntimeEndToEndTests
{
    [Fact]
    public async Task PluginCommand_SyncedRunAndAnsweredInline()
    {
        await using var emulator = new DiscordEmulator();
        var urls = await emulator.StartAsync();
        var settings = DiscordTestContext.Settings(emulator, urls);
        settings["Discord:CommandSync:Mode"] = "Global";
        settings["Discord:CommandSync:Debounce"] = "00:00:00.050";
        settings["Plugins:Path"] = Directory.CreateTempSubdirectory("nbk-e2e").FullName;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var log = new ValidationLog();
        DiscordTestContext.Register(builder.Services, settings, TimeProvider.System, urls.RestBaseUrl.ToString(), log);
        builder.Services.AddNafflesBotRuntime(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        // The bridge the host's DiscordWiring makes: router answers interactions, route changes trigger command sync.
        builder.Services.AddSingleton<IInteractionDispatcher>(sp =>
        {
            var router = sp.GetRequiredService<InteractionRouter>();
            return new DelegateInteractionDispatcher(async (interaction, responder, ct) => await router.DispatchAsync(interaction, responder, ct));
        });
        builder.Services.AddSingleton<ICommandCatalogChanges>(sp =>
        {
            var registry = sp.GetRequiredService<RouteRegistry>();
            return new DelegateCommandCatalogChanges(h => registry.Changed += h, h => registry.Changed -= h);
        });
        builder.Services.AddPluginExport<IDiscordClient>();
        await using var app = builder.Build();
        app.MapDiscordInteractions();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.Interactions.UseHttp(new Uri(address.TrimEnd('/') + "/interactions"));

        await app.Services.GetRequiredService<PluginManager>().AddInProcessAsync(new E2EPlugin(), CancellationToken.None);
        for (var i = 0; i < 3000 && emulator.Commands().Count < 2; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(["e2e-add", "e2e-announce"], emulator.Commands().Select(c => (string)c!["name"]!).Order());
        var (guild, channel) = emulator.AddGuild();
        var user = emulator.AddUser("erin");
        emulator.AddMember(guild.Id, user.Id);

        var sent = await emulator.Interactions.RunCommandAsync(user, guild.Id, channel, "e2e-add", new Dictionary<string, object> { ["a"] = 2, ["b"] = 40 });

        Assert.Equal(200, sent.Delivery.HttpStatus);
        Assert.True(sent.Interaction.Response!.Inline);
        Assert.Equal("sum 42", emulator.Message(sent.Interaction.OriginalMessageId!.Value)!.Content);

        // A plugin handler using IDiscordClient (exported to plugins) posts through the host's REST client.
        var announce = await emulator.Interactions.RunCommandAsync(user, guild.Id, channel, "e2e-announce", new Dictionary<string, object> { ["channel"] = channel });
        await emulator.WaitForResponseAsync(announce.Interaction.Id);
        var posted = emulator.Messages(channel).Single(m => m.InteractionId is null);
        Assert.Equal("Raffle live", (string)posted.Embeds[0]!["title"]!);
        Assert.Equal($"posted {posted.Id}", emulator.Message(announce.Interaction.OriginalMessageId!.Value)!.Content);
        Assert.Empty(log.Violations);
        await app.StopAsync();
    }
}
