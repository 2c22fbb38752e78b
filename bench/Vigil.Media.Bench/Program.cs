using BenchmarkDotNet.Running;
using Vigil.Media.Bench;

// dotnet run -c Release --project bench/Vigil.Media.Bench -- memory     index size and build time
// dotnet run -c Release --project bench/Vigil.Media.Bench -- --filter * --job short
if (args is ["memory"])
{
    IndexMemoryReport.Run();
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(PdqHashBenchmarks).Assembly).Run(args);
}
