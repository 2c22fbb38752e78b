using BenchmarkDotNet.Attributes;
using Vigil.Text.Signals;

namespace Vigil.Bench;

/// <summary>Shared inputs of the text hash benchmarks: a bank of 1,000,000 synthetic posts' signatures and queries.</summary>
internal static class TextHashBenchData
{
    public const int BankSize = 1_000_000;
    public const int Queries = 2000;
    public const int Seed = 20261201;

    private static SyntheticPosts? s_posts;

    public static SyntheticPosts Posts => s_posts ??= SyntheticPosts.Load(BenchPaths.Datasets);

    /// <summary>The bank: signatures of <see cref="BankSize"/> synthetic posts, end to end.</summary>
    public static byte[] Bank() => Posts.Signatures(BankSize, Seed);

    /// <summary>Real posts, every <c>n</c>-th so that all sets are in: what a service sees (almost never in a bank).</summary>
    public static MinHashSignature[] RealPosts(int count) => [.. RealPostTexts(count).Select(TextMinHash.Compute).OfType<MinHashSignature>()];

    /// <summary>The texts of <see cref="RealPosts"/> (those without words included).</summary>
    public static string[] RealPostTexts(int count)
    {
        var real = Posts.RealPosts;
        return [.. Enumerable.Range(0, count).Select(i => real[(int)((long)i * real.Count / count)])];
    }

    /// <summary>Copies of banked posts (regenerated from the bank's seeds), with 10% of the words inserted and 10% substituted.</summary>
    public static MinHashSignature[] EditedEntries(int count)
    {
        var random = new Random(Seed ^ 0x5EED);
        var vocabulary = Posts.RealPosts.Take(5000).SelectMany(p => p.Split(' ')).ToList();
        var edited = new List<MinHashSignature>(count);
        var chunk = new Random(Seed); // the first chunk of the bank: its first posts
        for (int i = 0; i < count; i++)
        {
            Posts.NextSigned(chunk, out string post);
            string copy = TextEdits.Substitute(TextEdits.Insert(post, 0.10, vocabulary, random), 0.10, vocabulary, random);
            if (TextMinHash.Compute(copy) is { } signature)
            {
                edited.Add(signature);
            }
        }

        return [.. edited];
    }
}

/// <summary>
/// Lookups in a <see cref="MinHashLshIndex"/> of 1,000,000 entries at the default threshold, against comparing every
/// signature. One operation is one lookup (lookups/s = 1 s / mean).
/// </summary>
[MemoryDiagnoser]
public class MinHashIndexBenchmarks
{
    private const int ScanQueries = 10;

    private readonly List<MinHashMatch> _results = new(64);
    private MinHashLshIndex _index = null!;
    private MinHashSignature[] _real = [];
    private MinHashSignature[] _edited = [];

    [GlobalSetup]
    public void Setup()
    {
        var bank = TextHashBenchData.Bank();
        _index = MinHashLshIndex.Build(bank, [.. Enumerable.Range(0, TextHashBenchData.BankSize).Select(i => (long)i)], TextMinHash.DefaultThreshold);
        _real = TextHashBenchData.RealPosts(TextHashBenchData.Queries);
        _edited = TextHashBenchData.EditedEntries(TextHashBenchData.Queries);
        int found = _edited.Count(q => _index.Search(q).Count > 0);
        int falseMatches = _real.Count(q => _index.Search(q).Count > 0);
        Console.WriteLine($"// {_index.Count:N0} entries, {_index.Banding}, {_index.MemoryBytes / 1e6:F1} MB; edited copies found {found}/{_edited.Length}, " +
            $"real posts matching something {falseMatches}/{_real.Length}, candidates a real post {_real.Average(q => (double)_index.CountCandidates(q)):F1}");
    }

    [Benchmark(OperationsPerInvoke = TextHashBenchData.Queries, Description = "1M index lookup, real posts")]
    public int LookupRealPosts() => Lookup(_real);

    [Benchmark(OperationsPerInvoke = TextHashBenchData.Queries, Description = "1M index lookup, edited copies of entries")]
    public int LookupEditedEntries() => Lookup(_edited);

    [Benchmark(OperationsPerInvoke = ScanQueries, Description = "1M linear scan, real posts")]
    public int LinearScan()
    {
        int found = 0;
        for (int q = 0; q < ScanQueries; q++)
        {
            _results.Clear();
            _index.Search(_real[q], TextMinHash.DefaultThreshold - 0.1, _results); // below the index's threshold: every entry compared
            found += _results.Count;
        }

        return found;
    }

    private int Lookup(MinHashSignature[] queries)
    {
        int found = 0;
        foreach (var query in queries)
        {
            _results.Clear();
            _index.Search(query, TextMinHash.DefaultThreshold, _results);
            found += _results.Count;
        }

        return found;
    }
}

/// <summary>Building the index of 1,000,000 signatures (the signatures given); allocated = the index's memory.</summary>
[MemoryDiagnoser]
public class MinHashIndexBuildBenchmarks
{
    private byte[] _bank = [];
    private long[] _ids = [];

    [GlobalSetup]
    public void Setup()
    {
        _bank = TextHashBenchData.Bank();
        _ids = [.. Enumerable.Range(0, TextHashBenchData.BankSize).Select(i => (long)i)];
    }

    [Benchmark(Description = "Build the 1M index")]
    public int Build() => MinHashLshIndex.Build(_bank.ToArray(), _ids, TextMinHash.DefaultThreshold).Count;
}

/// <summary>The cost of the signals of one post, over the first 5,000 dev posts (one operation = one post).</summary>
[MemoryDiagnoser]
public class TextSignalBenchmarks
{
    private const int Posts = 5000;
    private string[] _texts = [];

    [GlobalSetup]
    public void Setup() => _texts = [.. TextHashBenchData.Posts.RealPosts.Take(Posts)];

    [Benchmark(OperationsPerInvoke = Posts, Description = "CanonicalText.Of")]
    public int Canonical()
    {
        int n = 0;
        foreach (var text in _texts)
        {
            n += CanonicalText.Of(text).Length;
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = Posts, Description = "TextSha256.Compute")]
    public int Sha256()
    {
        int n = 0;
        foreach (var text in _texts)
        {
            n += TextSha256.Compute(text)?.Length ?? 0;
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = Posts, Description = "TextMinHash.Compute")]
    public int MinHash()
    {
        int n = 0;
        foreach (var text in _texts)
        {
            n += TextMinHash.Compute(text)?.Values[0] ?? 0;
        }

        return n;
    }
}
