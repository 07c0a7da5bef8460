using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(NafflesBotKit.Benchmarks.GatewayDecodeBenchmarks).Assembly).Run(args);
