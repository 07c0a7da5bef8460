using BenchmarkDotNet.Running;

namespace NafflesBotKit.Benchmarks;

/// <summary>Runs the benchmarks; see docs/performance.md for how and for the latest figures.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
