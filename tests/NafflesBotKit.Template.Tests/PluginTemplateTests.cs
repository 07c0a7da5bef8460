using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using NafflesBotKit.Testing.Discord;
using NafflesBotKit.Testing.Hosting;

namespace NafflesBotKit.Template.Tests;

/// <summary>
/// The third-party author's path, end to end: pack the SDK and the harness into a local folder, install the
/// `dotnet new` template from the repository folder, create a plugin, build and test it against the packed packages
/// (not project references), then load the built plugin into the real host and use its command and button through
/// the Discord emulator (signed HTTP interactions).
/// </summary>
public sealed class PluginTemplateTests
{
    private static readonly string RepoRoot = Metadata("RepoRoot");
    private static readonly string Configuration = Metadata("Configuration");
    private static readonly string[] PackedProjects = ["Abstractions", "Runtime", "Discord", "Naffles", "Testing"];

    [Fact]
    public async Task Template_CreatesPluginThatBuildsTestsAndLoadsIntoHost()
    {
        var work = Directory.CreateTempSubdirectory("nbk-template-").FullName;
        var feed = Path.Combine(work, "feed");
        var version = "1.0.0-t" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        var hive = Path.Combine(work, "hive"); // a private template store: nothing leaks into the machine's
        foreach (var project in PackedProjects)
        {
            await RunAsync("dotnet", $"pack \"{Path.Combine(RepoRoot, "core", "NafflesBotKit." + project)}\" -c {Configuration} --no-build -o \"{feed}\" -p:Version={version}", RepoRoot);
        }

        // What authors download: the version asked for, the assembly with its XML docs (IntelliSense) and a README.
        foreach (var project in PackedProjects)
        {
            AssertPackage(Path.Combine(feed, $"NafflesBotKit.{project}.{version}.nupkg"), $"NafflesBotKit.{project}", version, $"lib/net10.0/NafflesBotKit.{project}.xml");
        }

        await RunAsync("dotnet", $"pack \"{Path.Combine(RepoRoot, "plugin-template", "NafflesBotKit.Templates.csproj")}\" -c {Configuration} -o \"{feed}\" -p:Version={version}", RepoRoot);
        AssertPackage(Path.Combine(feed, $"NafflesBotKit.Templates.{version}.nupkg"), "NafflesBotKit.Templates", version, "content/.template.config/template.json");

        await RunAsync("dotnet", $"new install \"{Path.Combine(RepoRoot, "plugin-template", "content")}\" --debug:custom-hive \"{hive}\"", work);
        var output = Path.Combine(work, "Acme.Greeter");
        await RunAsync("dotnet", $"new nafflesbot-plugin -n Acme.Greeter -o \"{output}\" --pluginId acme.greeter --commandName greet --sdkVersion {version} --debug:custom-hive \"{hive}\"", work);
        await File.WriteAllTextAsync(Path.Combine(output, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local-sdk" value="{feed}" />
              </packageSources>
            </configuration>
            """);

        var test = await RunAsync("dotnet", "test tests/Acme.Greeter.Tests -c Release", output);
        Assert.Contains("Passed!", test, StringComparison.Ordinal);
        Assert.DoesNotContain("ProjectReference", await File.ReadAllTextAsync(Path.Combine(output, "src", "Acme.Greeter", "Acme.Greeter.csproj")), StringComparison.Ordinal);

        // Deploy: publish into a host plugins folder, start the real host on it with Discord credentials pointing at
        // the emulator, and use the plugin as a Discord user would.
        var plugins = Path.Combine(work, "plugins");
        await RunAsync("dotnet", $"publish src/Acme.Greeter -c Release -o \"{Path.Combine(plugins, "Acme.Greeter")}\"", output);
        Assert.False(File.Exists(Path.Combine(plugins, "Acme.Greeter", "NafflesBotKit.Abstractions.dll")), "the SDK must not be shipped with the plugin");
        await using var discord = new DiscordEmulator();
        var urls = await discord.StartAsync();
        await using var host = BotHostProcess.Start(Path.Combine(RepoRoot, "hosts", "NafflesBotKit.Host", "bin", Configuration, "net10.0"), new Dictionary<string, string>
        {
            ["Plugins__Path"] = plugins,
            ["Storage__Path"] = Path.Combine(work, "store.db"),
            ["DISCORD_BOT_TOKEN"] = discord.BotToken,
            ["DISCORD_CLIENT_ID"] = discord.ApplicationId.ToString(CultureInfo.InvariantCulture),
            ["DISCORD_PUBLIC_KEY"] = discord.PublicKeyHex,
            ["DISCORD_API_BASE_URL"] = urls.RestBaseUrl.ToString(),
            ["Discord__Interactions"] = "Http",
        });
        var address = await host.WaitUntilListeningAsync();
        using (var http = new HttpClient { BaseAddress = address })
        {
            var status = await http.GetFromJsonAsync<JsonElement>("/");
            var plugin = status.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "acme.greeter");
            Assert.Equal("Active", plugin.GetProperty("state").GetString());
        }

        // The host syncs the plugin's command to Discord at start (a safety wait, not a timing assertion).
        for (var i = 0; i < 300 && !discord.Commands().Any(c => (string?)c?["name"] == "greet"); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(discord.Commands().Any(c => (string?)c?["name"] == "greet"), "/greet was not synced:\n" + host.Output);
        discord.Interactions.UseHttp(new Uri(address, "/interactions"));
        var user = discord.AddUser("member");
        var (guild, channel) = discord.AddGuild();
        var greeted = await discord.Interactions.RunCommandAsync(user, guild.Id, channel, "greet", new Dictionary<string, object> { ["name"] = "Naffles", ["times"] = 2L });

        Assert.Equal(200, greeted.Delivery.HttpStatus);
        var reply = discord.ResponseMessage(greeted.Interaction.Id) ?? throw new InvalidOperationException("no reply:\n" + host.Output);
        Assert.Contains("Hello, Naffles! Hello, Naffles!", reply.Embeds.ToJsonString(), StringComparison.Ordinal);

        // The button on the posted reply carries its capture back to the plugin.
        var waved = await discord.Interactions.ClickAsync(user, guild.Id, reply.Id, "hello:wave:Naffles");
        var wave = await discord.WaitForResponseAsync(waved.Interaction.Id);
        Assert.EndsWith("waves back at Naffles!", (string?)wave.Data?["content"], StringComparison.Ordinal);
        Assert.Equal(0, await host.StopAsync());
    }

    private static void AssertPackage(string path, string id, string version, string expectedFile)
    {
        using var package = ZipFile.OpenRead(path);
        var entries = package.Entries.Select(e => e.FullName).ToList();
        var nuspec = package.Entries.Single(e => e.FullName == id + ".nuspec");
        using var stream = nuspec.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        Assert.Equal(id, Field("id"));
        Assert.Equal(version, Field("version"));
        Assert.False(string.IsNullOrWhiteSpace(Field("description")), $"{id} has no description");
        Assert.Equal("README.md", Field("readme"));
        Assert.Contains("README.md", entries);
        Assert.Contains(expectedFile, entries);
        using var readme = new StreamReader(package.GetEntry("README.md")!.Open());
        Assert.Contains("NafflesBotKit", readme.ReadToEnd(), StringComparison.Ordinal);
    }

    private static async Task<string> RunAsync(string file, string arguments, string workingDirectory)
    {
        var (exitCode, output) = await DotnetCli.RunAsync(file, arguments, workingDirectory);
        Assert.True(exitCode == 0, $"`{file} {arguments}` exited {exitCode}:\n{output}");
        return output;
    }

    private static string Metadata(string key) => typeof(PluginTemplateTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
