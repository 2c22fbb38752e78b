using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Vigil.Bench.TextPipelineBenchmarks).Assembly).Run(args);
