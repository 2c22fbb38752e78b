using System.Diagnostics;

namespace Vigil.Media.Bench;

/// <summary>
/// "memory" mode: builds the index at 1M and 10M random hashes and prints its size three ways
/// (the index's own array accounting, the managed-heap growth, and the bytes allocated while
/// building), plus build time.
/// </summary>
internal static class IndexMemoryReport
{
    public static void Run()
    {
        foreach (var count in new[] { 1_000_000, 10_000_000 })
        {
            var random = new Random(20240601);
            var hashes = new PdqHash[count];
            var ids = new long[count];
            for (var i = 0; i < count; i++)
            {
                hashes[i] = BenchData.RandomHash(random);
                ids[i] = i;
            }

            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var stopwatch = Stopwatch.StartNew();
            var index = PdqIndex.Build(hashes, ids);
            var buildTime = stopwatch.Elapsed;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            GC.KeepAlive(hashes); // the inputs must not be collected between the two readings
            GC.KeepAlive(ids);

            Console.WriteLine(
                $"{count,11:N0} hashes: index arrays {index.MemoryBytes / 1e6,7:F1} MB ({index.MemoryBytes / (double)count,5:F1} B/hash), " +
                $"heap growth {heapGrowth / 1e6,7:F1} MB, allocated while building {allocated / 1e6,7:F1} MB, " +
                $"build {buildTime.TotalSeconds:F2} s, layout {index.Layout}");
            GC.KeepAlive(index);
        }
    }
}
