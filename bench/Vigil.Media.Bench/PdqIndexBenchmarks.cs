using BenchmarkDotNet.Attributes;

namespace Vigil.Media.Bench;

/// <summary>
/// Exact search within distance 31 among random hashes: the multi-index against a linear scan.
/// One operation is one lookup (lookups/s = 1 s / mean).
/// </summary>
[MemoryDiagnoser]
public class PdqIndexBenchmarks
{
    private const int IndexQueries = 2000;
    private const int ScanQueries = 10;

    private readonly List<PdqMatch> _results = new(64);
    private PdqIndex _index = null!;
    private LinearScanIndex _linear = null!;
    private PdqHash[] _queries = [];

    [Params(1_000_000, 10_000_000)]
    public int Count { get; set; }

    [GlobalSetup(Target = nameof(IndexLookup))]
    public void SetupIndex()
    {
        var (hashes, ids) = Entries();
        _index = PdqIndex.Build(hashes, ids);
    }

    [GlobalSetup(Target = nameof(LinearScanLookup))]
    public void SetupLinear()
    {
        var (hashes, ids) = Entries();
        _linear = new LinearScanIndex();
        for (var i = 0; i < hashes.Length; i++)
        {
            _linear.Add(hashes[i], ids[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = IndexQueries, Description = "PdqIndex lookup, d=31")]
    public int IndexLookup()
    {
        var found = 0;
        foreach (var query in _queries)
        {
            _results.Clear();
            _index.Search(query, 31, _results);
            found += _results.Count;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = ScanQueries, Description = "Linear scan lookup, d=31")]
    public int LinearScanLookup()
    {
        var found = 0;
        for (var q = 0; q < ScanQueries; q++)
        {
            _results.Clear();
            _linear.Search(_queries[q], 31, _results);
            found += _results.Count;
        }

        return found;
    }

    private (PdqHash[] Hashes, long[] Ids) Entries()
    {
        var random = new Random(20240601);
        var hashes = new PdqHash[Count];
        var ids = new long[Count];
        for (var i = 0; i < Count; i++)
        {
            hashes[i] = BenchData.RandomHash(random);
            ids[i] = i;
        }

        _queries = Enumerable.Range(0, IndexQueries).Select(_ => BenchData.RandomHash(random)).ToArray();
        return (hashes, ids);
    }
}
