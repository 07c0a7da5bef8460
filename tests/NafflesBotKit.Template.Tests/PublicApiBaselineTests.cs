using System.Reflection;

namespace NafflesBotKit.Template.Tests;

/// <summary>
/// The SDK's public API baseline (core/NafflesBotKit.Abstractions/PublicAPI.*.txt) is enforced by the build:
/// a copy of the SDK project with one public type made internal and one public member added must fail to build,
/// naming both symbols.
/// </summary>
public sealed class PublicApiBaselineTests
{
    private static readonly string RepoRoot = typeof(PublicApiBaselineTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    [Fact]
    public async Task Sdk_BreakingOrUndeclaredPublicApiChange_FailsTheBuild()
    {
        var work = Directory.CreateTempSubdirectory("nbk-publicapi-").FullName;
        try
        {
            foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", ".editorconfig", "global.json" })
            {
                File.Copy(Path.Combine(RepoRoot, file), Path.Combine(work, file));
            }

            var source = Path.Combine(RepoRoot, "core", "NafflesBotKit.Abstractions");
            var copy = Path.Combine(work, "core", "NafflesBotKit.Abstractions");
            CopyTree(source, copy);

            // A removal (the type is in PublicAPI.Shipped.txt) and an addition (it is in neither file).
            var sdkVersion = Path.Combine(copy, "Plugins", "SdkVersion.cs");
            var text = await File.ReadAllTextAsync(sdkVersion);
            Assert.Contains("public static class SdkVersion", text, StringComparison.Ordinal);
            await File.WriteAllTextAsync(sdkVersion, text.Replace("public static class SdkVersion", "internal static class SdkVersion", StringComparison.Ordinal));
            var range = Path.Combine(copy, "Plugins", "VersionRange.cs");
            text = await File.ReadAllTextAsync(range);
            var at = text.LastIndexOf('}');
            await File.WriteAllTextAsync(range, text[..at] + "    /// <summary>Added without updating the baseline.</summary>\n    public bool IsUnbounded => Min is null && Max is null;\n}\n");

            var (exitCode, output) = await DotnetCli.RunAsync("dotnet", "build -c Release", copy);

            Assert.NotEqual(0, exitCode);
            Assert.Contains("error RS0017", output, StringComparison.Ordinal);
            Assert.Contains("NafflesBotKit.Plugins.SdkVersion", output, StringComparison.Ordinal);
            Assert.Contains("error RS0016", output, StringComparison.Ordinal);
            Assert.Contains("IsUnbounded", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var first = relative.Split(Path.DirectorySeparatorChar)[0];
            if (first is "bin" or "obj")
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
