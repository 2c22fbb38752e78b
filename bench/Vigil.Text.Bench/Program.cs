using BenchmarkDotNet.Running;
using Vigil.Bench;

// dotnet run -c Release --project bench/Vigil.Text.Bench -- text-hash-banks    writes docs/quality/text-hash-banks.md and its plots
// dotnet run -c Release --project bench/Vigil.Text.Bench -- text-hash-memory   size and build time of the 1M text_minhash index
// dotnet run -c Release --project bench/Vigil.Text.Bench -- --filter '*' --job short
if (args is ["text-hash-banks"])
{
    TextHashReport.Run();
}
else if (args is ["text-hash-memory"])
{
    TextHashMemoryReport.Run();
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(TextPipelineBenchmarks).Assembly).Run(args);
}
