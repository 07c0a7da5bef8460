using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Discord.Tests.EndToEnd.Other;
using NafflesBotKit.Discord.Tests.EndToEnd.Plugin;
using NafflesBotKit.Discord.Tests.Support;
using NafflesBotKit.Runtime.Plugins;
using NafflesBotKit.Testing.Discord;

namespace NafflesBotKit.Discord.Tests.EndToEnd;

/// <summary>
/// Per-guild plugin switches and command sync, against the emulator's command store: in Guild mode a guild's command
/// set is overwritten without a switched-off plugin's commands (other guilds keep theirs); in Global mode the commands
/// stay and the guard answers "not enabled here".
/// </summary>
public sealed class GuildCommandSyncTests
{
    [Fact]
    public async Task GuildMode_SwitchingAPluginOffInOneGuild_OverwritesOnlyThatGuildsCommands_AndOnAgainRestoresThem()
    {
        await using var emulator = new DiscordEmulator();
        var urls = await emulator.StartAsync();
        var (one, _) = emulator.AddGuild();
        var (two, _) = emulator.AddGuild();
        await using var app = await StartAsync(emulator, urls, "Guild", one.Id, two.Id);
        var admin = app.Services.GetRequiredService<PluginAdministration>();

        await WaitForAsync(() => Names(emulator, one.Id).Count == 3 && Names(emulator, two.Id).Count == 3, "both guilds to get the commands");
        Assert.Equal(["e2e-add", "e2e-announce", "other-ping"], Names(emulator, one.Id));

        var off = await admin.SetGuildEnabledAsync(one.Id, "test.e2e", enabled: false, CancellationToken.None);

        Assert.True(off.Succeeded, off.Message);
        await WaitForAsync(() => Names(emulator, one.Id).Count == 1, "guild one's set without test.e2e");
        Assert.Equal(["other-ping"], Names(emulator, one.Id));
        Assert.Equal(["e2e-add", "e2e-announce", "other-ping"], Names(emulator, two.Id));
        Assert.Empty(emulator.Commands());

        await admin.SetGuildEnabledAsync(one.Id, "test.e2e", enabled: true, CancellationToken.None);
        await WaitForAsync(() => Names(emulator, one.Id).Count == 3, "guild one's full set again");
        Assert.Equal(["e2e-add", "e2e-announce", "other-ping"], Names(emulator, one.Id));
        await app.StopAsync();
    }

    [Fact]
    public async Task GlobalMode_SwitchingAPluginOff_KeepsTheGlobalCommands_AndTheGuardAnswersNotEnabledHere()
    {
        await using var emulator = new DiscordEmulator();
        var urls = await emulator.StartAsync();
        var (guild, channel) = emulator.AddGuild();
        var user = emulator.AddUser("erin");
        emulator.AddMember(guild.Id, user.Id);
        await using var app = await StartAsync(emulator, urls, "Global");
        await WaitForAsync(() => emulator.Commands().Count == 3, "the global commands");
        var overwrites = emulator.Requests.Count(r => r.Method == "PUT");

        await app.Services.GetRequiredService<PluginAdministration>().SetGuildEnabledAsync(guild.Id, "test.e2e", enabled: false, CancellationToken.None);
        var sent = await emulator.Interactions.RunCommandAsync(user, guild.Id, channel, "e2e-add", new Dictionary<string, object> { ["a"] = 1 });

        Assert.Equal(3, emulator.Commands().Count);
        Assert.Equal(overwrites, emulator.Requests.Count(r => r.Method == "PUT"));
        var answer = emulator.Message(sent.Interaction.OriginalMessageId!.Value)!;
        Assert.Equal("Not enabled here", ((string?)answer.Embeds[0]!["title"])?.Replace("❌ ", string.Empty, StringComparison.Ordinal));
        await app.StopAsync();
    }

    private static async Task<WebApplication> StartAsync(DiscordEmulator emulator, DiscordEmulatorUrls urls, string mode, params ulong[] guilds)
    {
        var settings = DiscordTestContext.Settings(emulator, urls);
        settings["Discord:CommandSync:Mode"] = mode;
        settings["Discord:CommandSync:Debounce"] = "00:00:00.050";
        for (var i = 0; i < guilds.Length; i++)
        {
            settings[$"Discord:CommandSync:GuildIds:{i}"] = guilds[i].ToString(CultureInfo.InvariantCulture);
        }

        var data = Directory.CreateTempSubdirectory("nbk-guild-sync").FullName;
        settings["Plugins:Path"] = data;
        settings["Storage:Path"] = Path.Combine(data, "store.db");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        DiscordTestContext.Register(builder.Services, settings, TimeProvider.System, urls.RestBaseUrl.ToString(), new ValidationLog());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        builder.Services.AddNafflesBotRuntime(configuration);
        builder.Services.AddNafflesBotServices(configuration);
        builder.Services.AddDiscordRuntimeBridge();
        var app = builder.Build();
        app.MapDiscordInteractions();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.Interactions.UseHttp(new Uri(address.TrimEnd('/') + "/interactions"));
        var plugins = app.Services.GetRequiredService<PluginManager>();
        await plugins.AddInProcessAsync(new E2EPlugin(), CancellationToken.None);
        await plugins.AddInProcessAsync(new OtherPlugin(), CancellationToken.None);
        return app;
    }

    private static List<string> Names(DiscordEmulator emulator, ulong guildId) =>
        [.. emulator.Commands(guildId).OfType<JsonObject>().Select(c => (string)c["name"]!).Order(StringComparer.Ordinal)];

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition(), "gave up waiting for " + what);
    }
}
