using System.Reflection;
using System.Text.Json.Nodes;
using NafflesBotKit.Testing.Hosting;

namespace NafflesBotKit.Playground.Tests;

/// <summary>The real host, as built, started without credentials in sandbox mode, and its playground.</summary>
internal sealed class SandboxHost : IAsyncDisposable
{
    private static readonly string OutputDirectory = Metadata("NafflesHostOutputDir");

    private readonly string _data;

    private SandboxHost(BotHostProcess process, Uri address, string data)
    {
        Process = process;
        Address = address;
        _data = data;
        Http = new HttpClient { BaseAddress = address };
    }

    public BotHostProcess Process { get; }

    public Uri Address { get; }

    public Uri Playground => new(Address, "/playground/");

    public HttpClient Http { get; }

    public static string RepoRoot { get; } = Metadata("RepoRoot");

    public static async Task<SandboxHost> StartAsync()
    {
        var data = Directory.CreateTempSubdirectory("nbk-playground-").FullName;
        var process = BotHostProcess.Start(OutputDirectory, new Dictionary<string, string>
        {
            ["Sandbox__Mode"] = "Auto",
            ["Storage__Path"] = Path.Combine(data, "store.db"),
        });
        var address = await process.WaitUntilListeningAsync();
        var host = new SandboxHost(process, address, data);
        for (var i = 0; i < 600; i++)
        {
            var state = JsonNode.Parse(await host.Http.GetStringAsync(new Uri("/playground/api/state", UriKind.Relative)))!;
            if ((bool?)state["ready"] == true)
            {
                Assert.True(state["problem"] is null, $"sandbox setup failed: {state["problem"]}\n{process.Output}");
                return host;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("The sandbox did not get ready:\n" + process.Output);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.StopAsync();
        await Process.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Metadata(string key) => typeof(SandboxHost).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
