// NafflesBotKit build script (Cake 7).   dotnet tool restore && dotnet cake [--target=Build] [--configuration=Debug]
// Targets: Clean, Restore, Build, Test, Pack; Default = Test.
// The README's test command is scripts/test.sh (what CI runs); this script is for local and release builds.

var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");

var solution = File("./NafflesBotKit.sln");
var artifacts = Directory("./artifacts");
var packagesDir = artifacts + Directory("packages");
var pluginZipsDir = artifacts + Directory("plugins");
var testResultsDir = artifacts + Directory("test-results");
var hostProject = File("./hosts/NafflesBotKit.Host/NafflesBotKit.Host.csproj");
// The packages third-party authors use: the SDK, and the test harness (with what it depends on).
var packedProjects = new[] { "Abstractions", "Runtime", "Discord", "Naffles", "Testing" }
    .Select(name => File($"./core/NafflesBotKit.{name}/NafflesBotKit.{name}.csproj"))
    .ToArray();
var templateProject = File("./plugin-template/NafflesBotKit.Templates.csproj");
// Where building the host lays out the first-party plugins (one folder per plugin).
var hostPluginsDir = Directory($"./hosts/NafflesBotKit.Host/bin/{configuration}/net10.0/plugins");

Task("Clean")
    .Description("Deletes build outputs (bin/, obj/) and artifacts/.")
    .Does(() =>
{
    CleanDirectories("./core/**/bin");
    CleanDirectories("./core/**/obj");
    CleanDirectories("./plugins/**/bin");
    CleanDirectories("./plugins/**/obj");
    CleanDirectories("./hosts/**/bin");
    CleanDirectories("./hosts/**/obj");
    CleanDirectories("./tests/**/bin");
    CleanDirectories("./tests/**/obj");
    CleanDirectory(artifacts);
});

Task("Restore")
    .Description("Restores NuGet packages for the solution.")
    .Does(() =>
{
    DotNetRestore(solution);
});

Task("Build")
    .Description("Builds the solution; the host's output then holds plugins/<Name>/ for each first-party plugin.")
    .IsDependentOn("Restore")
    .Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings
    {
        Configuration = configuration,
        NoRestore = true,
    });
});

Task("Test")
    .Description("Runs every test project against the build.")
    .IsDependentOn("Build")
    .Does(() =>
{
    DotNetTest(solution, new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        NoRestore = true,
        ResultsDirectory = testResultsDir,
        Loggers = new[] { "console;verbosity=minimal", "trx" },
    });
});

Task("Pack")
    .Description("Packs the SDK, the test harness and the dotnet new template into artifacts/packages and zips each built plugin into artifacts/plugins/<Name>.zip.")
    .IsDependentOn("Build")
    .Does(() =>
{
    CleanDirectory(packagesDir);
    foreach (var project in packedProjects)
    {
        DotNetPack(project, new DotNetPackSettings
        {
            Configuration = configuration,
            NoBuild = true,
            NoRestore = true,
            OutputDirectory = packagesDir,
        });
    }

    DotNetPack(templateProject, new DotNetPackSettings { Configuration = configuration, OutputDirectory = packagesDir });

    // Only the zips: artifacts/plugins/<Name>/ folders are where plugin projects lay themselves out.
    EnsureDirectoryExists(pluginZipsDir);
    DeleteFiles(GetFiles($"{pluginZipsDir}/*.zip"));
    var plugins = GetSubDirectories(hostPluginsDir);
    if (plugins.Count == 0)
    {
        throw new CakeException($"No plugins found in {hostPluginsDir}: build the host first.");
    }

    foreach (var plugin in plugins)
    {
        var zip = pluginZipsDir + File(plugin.GetDirectoryName() + ".zip");
        // Entries are relative to the plugin folder, so unzipping into plugins/<Name>/ installs the plugin.
        Zip(plugin, zip);
        Information("Plugin {0} -> {1}", plugin.GetDirectoryName(), zip);
    }
});

Task("Default").IsDependentOn("Test");

RunTarget(target);
