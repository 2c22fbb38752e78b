using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vigil.Text.Signals;

/// <summary>An indexed entry at or above the search threshold: its id and its similarity to the query.</summary>
public readonly record struct MinHashMatch(long Id, double Similarity);

/// <summary>
/// Locality-sensitive hashing of <see cref="MinHashSignature"/>s: the <see cref="MinHashSignature.Size"/> values are cut
/// into <see cref="Bands"/> bands of <see cref="Rows"/> values; two signatures are candidates when all the values of
/// at least one band are equal.
/// </summary>
/// <param name="Bands">Number of bands.</param>
/// <param name="Rows">Values per band (1 to 8).</param>
public readonly record struct LshBanding(int Bands, int Rows)
{
    /// <summary>The banding the index uses for a lowest search threshold: the most rows a band (fewest chance
    /// candidates) that still makes a pair 0.05 above the threshold a candidate with probability 0.95 or more.</summary>
    /// <remarks>0.2 and 0.3 → 64 × 2, 0.4 → 42 × 3, 0.5 → 32 × 4, 0.6 → 25 × 5, 0.7 → 21 × 6, 0.8 → 16 × 8 (see the table in
    /// <c>docs/quality/text-hash-banks.md</c>).</remarks>
    public static LshBanding For(double threshold)
    {
        var chosen = new LshBanding(MinHashSignature.Size, 1);
        for (int rows = 2; rows <= 8; rows++)
        {
            var banding = new LshBanding(MinHashSignature.Size / rows, rows);
            if (banding.CandidateProbability(Math.Min(1, threshold + 0.05)) >= 0.95)
            {
                chosen = banding;
            }
        }

        return chosen;
    }

    /// <summary>The probability that two texts whose shingle sets have Jaccard similarity <paramref name="similarity"/>
    /// become candidates: <c>1 − (1 − p^Rows)^Bands</c> with <c>p = J + (1 − J) / 256</c>, the chance that one value agrees.</summary>
    public double CandidateProbability(double similarity)
    {
        double p = similarity + ((1 - similarity) / 256);
        return 1 - Math.Pow(1 - Math.Pow(p, Rows), Bands);
    }

    public override string ToString() => $"{Bands} bands × {Rows} rows";
}

/// <summary>
/// Finds the <see cref="MinHashSignature"/>s similar to a query among many: <see cref="Search(MinHashSignature, double)"/>
/// returns the entries whose <see cref="TextMinHash.Similarity"/> to the query is at or above the threshold, each with
/// its id and similarity, most similar first.
/// </summary>
/// <remarks>
/// <para>Locality-sensitive hashing: for each band of <see cref="Banding"/>, a table from the band's values to the
/// entries that have them; the entries that share a band with the query are candidates, and each candidate is kept
/// when its similarity over all the values reaches the threshold. Nothing below the threshold is ever returned; an entry
/// above it is missed only when no band of it is equal to the query's, which the banding (chosen from
/// <see cref="MinThreshold"/> by <see cref="LshBanding.For"/>) makes rare: 5% or fewer of the entries 0.05 above
/// <see cref="MinThreshold"/>, fewer the more similar. A search below <see cref="MinThreshold"/> compares every entry
/// (exact, slower).</para>
/// <para>Banks with different thresholds share one index built for the lowest of them and searched at it; the caller
/// then holds each match to its own bank's threshold.</para>
/// <para>Immutable: any number of threads may search at once. Build a new index when the entries change. Memory: the
/// signatures (128 bytes an entry), the ids (8 bytes) and each band's table (4 bytes an entry, plus about 1 byte an entry
/// for its buckets): about 300 bytes an entry with 32 bands.</para>
/// </remarks>
public sealed class MinHashLshIndex
{
    /// <summary>The lowest <see cref="MinThreshold"/> an index can be built for.</summary>
    public const double MinSupportedThreshold = 0.2;

    private const int Size = MinHashSignature.Size;

    private readonly byte[] _values;
    private readonly long[] _ids;
    private readonly int[][] _bucketStarts;
    private readonly int[][] _members;
    private readonly ulong[] _bandLow;
    private readonly ulong[] _bandHigh;
    private readonly int _bucketShift;

    private MinHashLshIndex(double minThreshold, byte[] values, long[] ids)
    {
        MinThreshold = minThreshold;
        Banding = LshBanding.For(minThreshold);
        _values = values;
        _ids = ids;
        int bits = Math.Clamp((int)Math.Ceiling(Math.Log2(Math.Max(ids.Length, 1))) - 2, 4, 30);
        _bucketShift = 64 - bits;
        _bandLow = new ulong[Banding.Bands];
        _bandHigh = new ulong[Banding.Bands];
        for (int band = 0; band < Banding.Bands; band++)
        {
            for (int row = band * Banding.Rows; row < (band + 1) * Banding.Rows; row++)
            {
                if (row < 64)
                {
                    _bandLow[band] |= 1UL << row;
                }
                else
                {
                    _bandHigh[band] |= 1UL << (row - 64);
                }
            }
        }

        _bucketStarts = new int[Banding.Bands][];
        _members = new int[Banding.Bands][];
        var bucketOf = new int[ids.Length];
        for (int band = 0; band < Banding.Bands; band++)
        {
            var starts = new int[(1 << bits) + 1];
            for (int e = 0; e < ids.Length; e++)
            {
                int bucket = Bucket(_values.AsSpan(e * Size, Size), band);
                bucketOf[e] = bucket;
                starts[bucket + 1]++;
            }

            for (int b = 1; b < starts.Length; b++)
            {
                starts[b] += starts[b - 1];
            }

            var members = new int[ids.Length];
            var next = starts[..^1];
            for (int e = 0; e < ids.Length; e++)
            {
                members[next[bucketOf[e]]++] = e;
            }

            _bucketStarts[band] = starts;
            _members[band] = members;
        }
    }

    /// <summary>The lowest threshold searched through the bands; lower ones compare every entry.</summary>
    public double MinThreshold { get; }

    /// <summary>The bands and rows the index was built with (<see cref="LshBanding.For"/> of <see cref="MinThreshold"/>).</summary>
    public LshBanding Banding { get; }

    /// <summary>Number of entries.</summary>
    public int Count => _ids.Length;

    /// <summary>Bytes held by the index's arrays.</summary>
    internal long MemoryBytes =>
        _values.LongLength + (8L * _ids.Length) + _bucketStarts.Sum(s => 4L * s.Length) + _members.Sum(m => 4L * m.Length);

    /// <summary>Builds the index over parallel arrays of signatures and ids (ids need not be unique).</summary>
    /// <param name="minThreshold">The lowest threshold it will be searched at, from <see cref="MinSupportedThreshold"/> to 1.</param>
    public static MinHashLshIndex Build(ReadOnlySpan<MinHashSignature> signatures, ReadOnlySpan<long> ids, double minThreshold = TextMinHash.DefaultThreshold)
    {
        CheckLengths(signatures.Length, ids.Length);
        var values = GC.AllocateUninitializedArray<byte>(checked(signatures.Length * Size));
        for (int i = 0; i < signatures.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(signatures[i], nameof(signatures));
            signatures[i].Values.CopyTo(values.AsSpan(i * Size, Size));
        }

        return Build(values, ids, minThreshold);
    }

    /// <summary>Builds the index over signature values laid end to end (<see cref="MinHashSignature.Size"/> bytes each);
    /// takes ownership of <paramref name="values"/>.</summary>
    internal static MinHashLshIndex Build(byte[] values, ReadOnlySpan<long> ids, double minThreshold)
    {
        CheckLengths(values.Length / Size, ids.Length);
        if (values.Length % Size != 0)
        {
            throw new ArgumentException($"{values.Length} bytes are not whole signatures", nameof(values));
        }

        if (double.IsNaN(minThreshold) || minThreshold < MinSupportedThreshold || minThreshold > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(minThreshold), minThreshold, $"from {MinSupportedThreshold} to 1");
        }

        return new MinHashLshIndex(minThreshold, values, ids.ToArray());
    }

    /// <summary>Every entry with a similarity of at least <see cref="MinThreshold"/> to <paramref name="query"/>.</summary>
    public IReadOnlyList<MinHashMatch> Search(MinHashSignature query) => Search(query, MinThreshold);

    /// <summary>Every entry with a similarity of at least <paramref name="threshold"/> to <paramref name="query"/>, most similar first.</summary>
    public IReadOnlyList<MinHashMatch> Search(MinHashSignature query, double threshold)
    {
        var results = new List<MinHashMatch>();
        Search(query, threshold, results);
        return results;
    }

    /// <summary>Appends the matches to <paramref name="results"/>, most similar first (then by id); no allocation
    /// once it has room.</summary>
    public void Search(MinHashSignature query, double threshold, List<MinHashMatch> results)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(results);
        if (double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "a similarity from 0 to 1");
        }

        int required = TextMinHash.MatchesFor(threshold);
        if (required > Size || _ids.Length == 0)
        {
            return;
        }

        int first = results.Count;
        if (threshold < MinThreshold)
        {
            Scan(query.Values, required, results);
        }
        else
        {
            SearchBands(query.Values, required, results, out _);
        }

        results.Sort(first, results.Count - first, MostSimilarFirst.Instance);
    }

    /// <summary>How many entries share a band with <paramref name="query"/> (the candidates a search verifies), for
    /// benchmarks.</summary>
    internal int CountCandidates(MinHashSignature query)
    {
        SearchBands(query.Values, Size + 1, [], out int candidates);
        return candidates;
    }

    private void SearchBands(ReadOnlySpan<byte> query, int required, List<MinHashMatch> results, out int candidates)
    {
        candidates = 0;
        ref byte q = ref MemoryMarshal.GetReference(query);
        ref byte values = ref MemoryMarshal.GetArrayDataReference(_values);
        for (int band = 0; band < _members.Length; band++)
        {
            int bucket = Bucket(query, band);
            var starts = _bucketStarts[band];
            var members = _members[band];
            ulong bandLow = _bandLow[band], bandHigh = _bandHigh[band];
            for (int k = starts[bucket], end = starts[bucket + 1]; k < end; k++)
            {
                int entry = members[k];
                TextMinHash.EqualMask(ref Unsafe.Add(ref values, (nint)entry * Size), ref q, out ulong low, out ulong high);
                // Another band's values in the same bucket, or a band before this one already equal (the entry was
                // seen there): skip.
                if ((low & bandLow) != bandLow || (high & bandHigh) != bandHigh || EqualBandBefore(band, low, high))
                {
                    continue;
                }

                candidates++;
                int matches = BitOperations.PopCount(low) + BitOperations.PopCount(high);
                if (matches >= required)
                {
                    results.Add(new MinHashMatch(_ids[entry], TextMinHash.SimilarityOf(matches)));
                }
            }
        }
    }

    /// <summary>Compares every entry: exact, for thresholds below <see cref="MinThreshold"/> (and tests).</summary>
    internal void Scan(ReadOnlySpan<byte> query, int required, List<MinHashMatch> results)
    {
        ref byte q = ref MemoryMarshal.GetReference(query);
        ref byte values = ref MemoryMarshal.GetArrayDataReference(_values);
        for (int entry = 0; entry < _ids.Length; entry++)
        {
            TextMinHash.EqualMask(ref Unsafe.Add(ref values, (nint)entry * Size), ref q, out ulong low, out ulong high);
            int matches = BitOperations.PopCount(low) + BitOperations.PopCount(high);
            if (matches >= required)
            {
                results.Add(new MinHashMatch(_ids[entry], TextMinHash.SimilarityOf(matches)));
            }
        }
    }

    private bool EqualBandBefore(int band, ulong low, ulong high)
    {
        for (int b = 0; b < band; b++)
        {
            if ((low & _bandLow[b]) == _bandLow[b] && (high & _bandHigh[b]) == _bandHigh[b])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The bucket of a signature's band: its values as a little-endian integer, mixed with the band number.</summary>
    private int Bucket(ReadOnlySpan<byte> signature, int band)
    {
        int rows = Banding.Rows;
        ulong key = 0;
        var values = signature.Slice(band * rows, rows);
        for (int r = 0; r < rows; r++)
        {
            key |= (ulong)values[r] << (8 * r);
        }

        return (int)(TextMinHash.Finalize(key ^ ((ulong)(band + 1) * 0x9E3779B97F4A7C15)) >> _bucketShift);
    }

    private static void CheckLengths(int signatures, int ids)
    {
        if (signatures != ids)
        {
            throw new ArgumentException($"{signatures} signatures but {ids} ids.", nameof(ids));
        }
    }

    private sealed class MostSimilarFirst : IComparer<MinHashMatch>
    {
        public static readonly MostSimilarFirst Instance = new();

        public int Compare(MinHashMatch x, MinHashMatch y) =>
            x.Similarity != y.Similarity ? y.Similarity.CompareTo(x.Similarity) : x.Id.CompareTo(y.Id);
    }
}
