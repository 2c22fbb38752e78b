using System.Diagnostics;
using Vigil.Text.Signals;

namespace Vigil.Bench;

/// <summary>
/// "text-hash-memory" mode: builds the index over 1,000,000 synthetic posts' signatures and prints its size three ways
/// (the index's own array accounting, the managed-heap growth, and the bytes allocated while building), the build time,
/// and what lookups of real posts and of edited entries find and cost.
/// </summary>
internal static class TextHashMemoryReport
{
    public static void Run()
    {
        var stopwatch = Stopwatch.StartNew();
        var bank = TextHashBenchData.Bank();
        var ids = Enumerable.Range(0, TextHashBenchData.BankSize).Select(i => (long)i).ToArray();
        Console.WriteLine($"{TextHashBenchData.BankSize:N0} signatures of synthetic posts in {stopwatch.Elapsed.TotalSeconds:F1} s (all cores)");

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        stopwatch.Restart();
        var index = MinHashLshIndex.Build(bank.ToArray(), ids, TextMinHash.DefaultThreshold); // with its own copy of the signatures
        var buildTime = stopwatch.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        GC.KeepAlive(bank);
        GC.KeepAlive(ids);
        Console.WriteLine(
            $"index of {index.Count:N0}: arrays {index.MemoryBytes / 1e6:F1} MB ({index.MemoryBytes / (double)index.Count:F0} B/entry), heap growth {heapGrowth / 1e6:F1} MB, " +
            $"allocated while building {allocated / 1e6:F1} MB, build {buildTime.TotalSeconds:F2} s (one thread), {index.Banding}");

        foreach (var (name, queries) in new[] { ("real posts", TextHashBenchData.RealPosts(TextHashBenchData.Queries)), ("edited entries", TextHashBenchData.EditedEntries(TextHashBenchData.Queries)) })
        {
            var results = new List<MinHashMatch>();
            int matched = 0;
            long candidates = 0, matches = 0;
            stopwatch.Restart();
            foreach (var query in queries)
            {
                results.Clear();
                index.Search(query, TextMinHash.DefaultThreshold, results);
                matched += results.Count > 0 ? 1 : 0;
                matches += results.Count;
            }

            var elapsed = stopwatch.Elapsed;
            foreach (var query in queries)
            {
                candidates += index.CountCandidates(query);
            }

            Console.WriteLine(
                $"{name}: {queries.Length:N0} lookups at {TextMinHash.DefaultThreshold:0.00}, {queries.Length / elapsed.TotalSeconds:N0}/s (one thread, first pass), " +
                $"{matched} with a match ({matches} matches), {candidates / (double)queries.Length:F1} candidates a lookup");
        }

        // Which real posts match synthetic entries: by their length in canonical words (under five: no signature).
        foreach (var (low, high) in new[] { (5, 9), (10, 19), (20, int.MaxValue) })
        {
            var texts = TextHashBenchData.RealPostTexts(TextHashBenchData.Queries)
                .Where(t => TextHashCorpus.WordCount(CanonicalText.Of(t)) is var w && w >= low && w <= high).ToList();
            int matched = texts.Count(t => index.Search(TextMinHash.Compute(t)!).Count > 0);
            Console.WriteLine($"real posts of {low}-{(high == int.MaxValue ? "" : high.ToString(System.Globalization.CultureInfo.InvariantCulture))} words: {matched} of {texts.Count} match an entry");
        }

        GC.KeepAlive(index);
    }
}
