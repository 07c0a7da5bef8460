using System.Text.Json.Nodes;
using NafflesBotKit.Testing.Discord;

namespace NafflesBotKit.Host.Tests.EndToEnd;

/// <summary>
/// The real host against the Discord emulator: credentials from the seed's environment variables, commands synced at
/// start, a signed HTTP interaction answered by a first-party plugin through the router.
/// </summary>
public sealed class DiscordEndToEndTests
{
    [Fact]
    public async Task Host_WithDiscordCredentials_SyncsCommandsAndAnswersSignedInteraction()
    {
        await using var discord = new DiscordEmulator();
        var urls = await discord.StartAsync();
        await using var naffles = await NafflesBotKit.Testing.Naffles.NafflesEmulator.StartAsync();
        var store = Directory.CreateTempSubdirectory("nbk-discord-e2e-").FullName;
        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["DISCORD_BOT_TOKEN"] = discord.BotToken,
            ["DISCORD_CLIENT_ID"] = discord.ApplicationId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DISCORD_PUBLIC_KEY"] = discord.PublicKeyHex,
            ["DISCORD_API_BASE_URL"] = urls.RestBaseUrl.ToString(),
            ["Discord__Interactions"] = "Http",
            ["NAFFLES_API_BASE_URL"] = naffles.BaseUrl.ToString(),
            ["NAFFLES_API_KEY"] = naffles.ApiKey,
            ["Storage__Path"] = Path.Combine(store, "store.db"),
        });
        var address = await host.WaitUntilListeningAsync();

        // Command sync runs at start: the bot's commands appear at Discord.
        JsonArray commands = [];
        for (var i = 0; i < 200 && !commands.Any(c => c?["name"]?.GetValue<string>() == "naffles-create-task"); i++)
        {
            await Task.Delay(100);
            commands = discord.Commands();
        }

        Assert.True(commands.Any(c => c?["name"]?.GetValue<string>() == "naffles-ping"), "commands were not synced:\n" + host.Output);
        Assert.Contains(commands, c => c?["name"]?.GetValue<string>() == "naffles-create-task");

        discord.Interactions.UseHttp(new Uri(address, "/interactions"));
        var user = discord.AddUser("member");
        var (guild, channel) = discord.AddGuild();
        var sent = await discord.Interactions.RunCommandAsync(user, guild.Id, channel, "naffles-ping");

        Assert.Equal(200, sent.Delivery.HttpStatus);
        var response = sent.Interaction.Response!;
        Assert.Equal(4, response.Type);
        Assert.StartsWith("🏓 Pong (naffles.diagnostics", response.Data?["content"]?.GetValue<string>(), StringComparison.Ordinal);

        // The host exports its Discord probe to the HealthMonitor plugin: GET {DISCORD_API_BASE_URL}/gateway, shown to
        // admins in /naffles-status.
        for (var i = 0; i < 200 && !discord.Requests.Any(r => r is { Method: "GET", Path: "/gateway" }); i++)
        {
            await Task.Delay(50);
        }

        Assert.Contains(discord.Requests, r => r is { Method: "GET", Path: "/gateway", Status: 200 });
        var admin = discord.AddUser("admin");
        discord.AddMember(guild.Id, admin.Id);
        discord.Interactions.SetMemberPermissions(guild.Id, admin.Id, NafflesBotKit.Interactions.Permissions.Administrator);
        var status = await discord.Interactions.RunCommandAsync(admin, guild.Id, channel, "naffles-status");
        await discord.WaitForResponseAsync(status.Interaction.Id);
        string? diagnostics = null;
        for (var i = 0; i < 200 && diagnostics is null; i++)
        {
            diagnostics = discord.ResponseMessage(status.Interaction.Id)?.Embeds.OfType<JsonObject>()
                .SelectMany(e => e["fields"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(f => ((string?)f["name"])?.Contains("Diagnostics", StringComparison.Ordinal) == true)
                .Select(f => (string?)f["value"]).FirstOrDefault();
            await Task.Delay(diagnostics is null ? 50 : 0);
        }

        Assert.Contains("🟢 **discord**", diagnostics, StringComparison.Ordinal);
        await host.StopAsync();
        Assert.DoesNotContain(discord.BotToken, host.Output, StringComparison.Ordinal);
    }
}
