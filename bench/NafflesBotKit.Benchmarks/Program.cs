using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In-process (no generated project: central package management and the repo's analyzers stay out of the way).
// Default job is BenchmarkDotNet's ShortRun; pass --job to override, e.g. `--job dry` for a smoke run.
if (args.Length > 0 && args[0] == "swap-load")
{
    return await NafflesBotKit.Benchmarks.SwapLoadHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "swap-load-socialtasks")
{
    return await NafflesBotKit.Benchmarks.SocialTasksSwapLoadScenario.RunAsync(args[1..]);
}

var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).AsDefault())
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
