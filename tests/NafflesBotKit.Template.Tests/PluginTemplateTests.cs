using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace NafflesBotKit.Template.Tests;

/// <summary>
/// The third-party author's path, end to end: pack the SDK and the harness into a local folder, install the
/// `dotnet new` template from the repository folder, create a plugin, build and test it against the packed packages
/// (not project references), then load the built plugin into the real host.
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

        // Deploy: publish into a host plugins folder and start the real host on it.
        var plugins = Path.Combine(work, "plugins");
        await RunAsync("dotnet", $"publish src/Acme.Greeter -c Release -o \"{Path.Combine(plugins, "Acme.Greeter")}\"", output);
        Assert.False(File.Exists(Path.Combine(plugins, "Acme.Greeter", "NafflesBotKit.Abstractions.dll")), "the SDK must not be shipped with the plugin");
        var status = await HostStatusAsync(plugins);
        var plugin = status.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "acme.greeter");
        Assert.Equal("Active", plugin.GetProperty("state").GetString());
    }

    private static async Task<JsonElement> HostStatusAsync(string pluginsFolder)
    {
        var host = Path.Combine(RepoRoot, "hosts", "NafflesBotKit.Host", "bin", Configuration, "net10.0", "NafflesBotKit.Host.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{host}\" --urls http://127.0.0.1:0")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(pluginsFolder)!,
        };
        start.Environment["Plugins__Path"] = pluginsFolder;
        start.Environment["Storage__Path"] = Path.Combine(Path.GetDirectoryName(pluginsFolder)!, "store.db");
        start.Environment["Sandbox__Mode"] = "Off"; // only the plugin's loading is tested here, not the sandbox
        using var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (log)
            {
                log.AppendLine(e.Data);
            }

            var at = e.Data.IndexOf("Now listening on: ", StringComparison.Ordinal);
            if (at >= 0)
            {
                listening.TrySetResult(new Uri(e.Data[(at + "Now listening on: ".Length)..].Trim()));
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = address };
            return await http.GetFromJsonAsync<JsonElement>("/");
        }
        catch (TimeoutException)
        {
            lock (log)
            {
                throw new TimeoutException("the host did not start:\n" + log);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<string> RunAsync(string file, string arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"`{file} {arguments}` exited {process.ExitCode}:\n{output}");
        return output;
    }

    private static string Metadata(string key) => typeof(PluginTemplateTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
