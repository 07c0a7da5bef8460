using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace NafflesBotKit.Testing.Hosting;

/// <summary>
/// The real host, started as its own process from its build output (so its plugins/ folder, appsettings.json and
/// environment handling are exercised exactly as an operator runs it), listening on a free loopback port.
/// </summary>
public sealed partial class BotHostProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Variables that would let the developer's own shell change what the host sees.</summary>
    private static readonly string[] InheritedPrefixes = ["DISCORD", "NAFFLES", "WEBHOOK", "Discord__", "Naffles__", "Webhooks__", "Plugins__", "Serilog__", "Admin__", "Storage__", "Redis__", "Sandbox__", "ASPNETCORE_", "DOTNET_ENVIRONMENT", "URLS", "HTTP_PORTS", "HTTPS_PORTS"];

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BotHostProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Everything the host wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the host with <paramref name="environment"/> on top of a cleaned environment, with <c>Sandbox__Mode=Off</c>
    /// unless <paramref name="environment"/> sets it.
    /// </summary>
    /// <param name="outputDirectory">The host's build output folder (holding NafflesBotKit.Host.dll and plugins/).</param>
    /// <param name="environment">Variables on top of a cleaned environment.</param>
    /// <param name="args">Command-line arguments.</param>
    public static BotHostProcess Start(string outputDirectory, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var assembly = Path.Combine(outputDirectory, "NafflesBotKit.Host.dll");
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"The host is not built at {assembly}; build the solution in the same configuration first.");
        }

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            // Not the output folder: the host must find its appsettings and plugins wherever it is started from.
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => InheritedPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";

        // Without credentials the host would start its sandbox (in-process emulators); tests about the host itself opt in
        // by passing Sandbox__Mode explicitly.
        start.Environment["Sandbox__Mode"] = "Off";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new BotHostProcess(process);
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        process.Exited += (_, _) => host._listening.TrySetException(new InvalidOperationException("The host exited before it listened."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits until the host listens and returns its address.</summary>
    public async Task<Uri> WaitUntilListeningAsync()
    {
        try
        {
            return await _listening.Task.WaitAsync(StartTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"The host did not start listening ({ex.Message}). Its output:\n{Output}", ex);
        }
    }

    /// <summary>Sends SIGTERM, as a service manager or container runtime does, and waits for the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }

        return await WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>Kills the host at once (SIGKILL, as <c>kill -9</c>): no shutdown, no close frames, nothing released.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the host to exit by itself.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            _listening.TrySetResult(new Uri(match.Groups["url"].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningLine();
}
