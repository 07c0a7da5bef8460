using System.Reflection;
using NafflesBotKit.Testing.Hosting;

namespace NafflesBotKit.Plugins.Tests.Support;

/// <summary>The real host as built for this test run (see <see cref="BotHostProcess"/>).</summary>
internal static class HostProcess
{
    public static string OutputDirectory { get; } = typeof(HostProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "NafflesHostOutputDir").Value!;

    /// <summary>Starts the host with <paramref name="environment"/> on top of a cleaned environment.</summary>
    public static BotHostProcess Start(IReadOnlyDictionary<string, string>? environment = null, params string[] args) =>
        BotHostProcess.Start(OutputDirectory, environment, args);
}
