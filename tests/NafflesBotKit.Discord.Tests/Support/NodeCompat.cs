using System.Diagnostics;
using System.Text.Json;

namespace NafflesBotKit.Discord.Tests.Support;

/// <summary>Runs the node scripts in tests/compat, installing their packages with npm first when needed.</summary>
internal static class NodeCompat
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string Directory { get; } = Path.Combine(RepoRoot(), "tests", "compat");

    public static async Task<JsonElement> RunAsync(string script, params string[] args)
    {
        await EnsureInstalledAsync();
        var run = await ExecAsync("node", [script, .. args]);
        Assert.True(run.ExitCode == 0, $"node {script} failed: {run.Output}");
        return JsonDocument.Parse(run.Output.Trim().Split('\n').Last()).RootElement.Clone();
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        using var crossProcess = await LockFileAsync(Path.Combine(Path.GetTempPath(), "nafflesbotkit-compat-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Directory)))[..16] + ".lock"));
        try
        {
            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Directory, "package.json")));
            var missing = manifest.RootElement.GetProperty("dependencies").EnumerateObject()
                .Any(d => !File.Exists(Path.Combine(Directory, "node_modules", d.Name, "package.json")));
            if (missing)
            {
                var useCi = File.Exists(Path.Combine(Directory, "package-lock.json"));
                var install = await ExecAsync("npm", useCi ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"]);
                Assert.True(install.ExitCode == 0, "npm failed: " + install.Output);
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Other test processes (e.g. the gateway tests) may install into tests/compat at the same time.</summary>
    private static async Task<FileStream> LockFileAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 3000)
            {
                await Task.Delay(100);
            }
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "NafflesBotKit.sln")))
        {
            dir = dir.Parent;
        }

        return dir.FullName;
    }

    private static async Task<(int ExitCode, string Output)> ExecAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return (process.ExitCode, await stdout + await stderr);
    }
}
