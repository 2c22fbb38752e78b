using System.Numerics;
using System.Runtime.CompilerServices;

namespace Vigil.Text.Classification;

/// <summary>Which n-grams become features, and how many hash buckets hold them.</summary>
/// <param name="Bits">log2 of the number of buckets.</param>
/// <param name="MinCharGram">Shortest character n-gram (within words, padded with a space each side).</param>
/// <param name="MaxCharGram">Longest character n-gram.</param>
/// <param name="WordBigrams">Whether adjacent word pairs are features.</param>
/// <param name="CharWeight">Scale of the character block against the word block (each block is L2-normalised).</param>
public sealed record FeatureOptions(int Bits = 18, int MinCharGram = 2, int MaxCharGram = 5, bool WordBigrams = true, float CharWeight = 1f)
{
    public int Buckets => 1 << Bits;
}

/// <summary>A sparse feature vector: sorted bucket indices with their values.</summary>
internal sealed class SparseVector
{
    public int[] Indices = new int[256];
    public float[] Values = new float[256];
    public int Count;

    public SparseVector Clone() => new() { Indices = Indices[..Count], Values = Values[..Count], Count = Count };
}

/// <summary>
/// Turns normalised text into hashed word and character n-gram features: word unigrams and bigrams, and
/// character n-grams inside words; counts are log-scaled (1 + ln tf) and each block is L2-normalised.
/// Mentions, URLs and numbers are replaced by placeholders. Allocation-free after warm-up; not thread-safe
/// (use one per thread).
/// </summary>
internal sealed class FeatureHasher(FeatureOptions options)
{
    private const uint WordSeed = 0x9E3779B1u;
    private const uint BigramSeed = 0x85EBCA77u;
    private const uint CharSeed = 0xC2B2AE3Du;
    private const uint ExtraSeed = 0x27D4EB2Fu;

    private readonly int _mask = options.Buckets - 1;
    private readonly CountTable _words = new();
    private readonly CountTable _chars = new();
    private readonly List<(int Start, int Length, uint Hash)> _tokens = [];

    public FeatureOptions Options { get; } = options;

    /// <summary>
    /// Extracts the features of <paramref name="text"/> (already normalised) into <paramref name="into"/>. With
    /// <paramref name="merge"/>, indices come out sorted and unique (for training); without, a bucket may appear
    /// once per block, which a dot product does not mind (for scoring).
    /// </summary>
    public void Extract(ReadOnlySpan<char> text, SparseVector into, bool merge = true, ReadOnlySpan<string> extraFeatures = default)
    {
        _words.Clear();
        _chars.Clear();
        _tokens.Clear();
        Tokenize(text);

        uint previous = 0;
        bool hasPrevious = false;
        foreach (var (start, length, hash) in _tokens)
        {
            _words.Add(Bucket(hash, WordSeed));
            if (Options.WordBigrams && hasPrevious)
            {
                _words.Add(Bucket(previous * 31 + hash, BigramSeed));
            }

            previous = hash;
            hasPrevious = true;
            if (length > 0)
            {
                AddCharGrams(text.Slice(start, length));
            }
            else
            {
                // placeholders take part as a single character-block token too
                _chars.Add(Bucket(hash, CharSeed));
            }
        }

        foreach (var extra in extraFeatures)
        {
            _words.Add(Bucket(HashString(extra), ExtraSeed));
        }

        into.Count = 0;
        Emit(_words, 1f, into);
        Emit(_chars, Options.CharWeight, into);
        if (merge)
        {
            SortAndMerge(into);
        }
    }

    private void Tokenize(ReadOnlySpan<char> text)
    {
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == ' ')
            {
                i++;
                continue;
            }

            int end = i;
            while (end < text.Length && text[end] != ' ')
            {
                end++;
            }

            var chunk = text[i..end];
            if (chunk.StartsWith("http", StringComparison.Ordinal) || chunk.StartsWith("www.", StringComparison.Ordinal))
            {
                _tokens.Add((i, 0, HashString("<url>")));
            }
            else if (chunk[0] == '@' && chunk.Length > 1)
            {
                _tokens.Add((i, 0, HashString("<user>")));
            }
            else
            {
                // words inside the chunk: runs of letters and digits; a leading '#' is dropped (hashtag = word)
                int j = 0;
                while (j < chunk.Length)
                {
                    if (!IsWordChar(chunk[j]))
                    {
                        j++;
                        continue;
                    }

                    int k = j;
                    bool digits = true;
                    while (k < chunk.Length && IsWordChar(chunk[k]))
                    {
                        digits &= char.IsDigit(chunk[k]);
                        k++;
                    }

                    if (digits)
                    {
                        _tokens.Add((i + j, 0, HashString("<num>")));
                    }
                    else
                    {
                        _tokens.Add((i + j, k - j, HashSpan(chunk[j..k])));
                    }

                    j = k;
                }
            }

            i = end;
        }
    }

    private void AddCharGrams(ReadOnlySpan<char> word)
    {
        // The word padded with one space each side, n-grams of every length in [min, max].
        int n = word.Length + 2;
        int min = Options.MinCharGram, max = Options.MaxCharGram;
        for (int start = 0; start < n; start++)
        {
            uint h = 2166136261u;
            for (int len = 1; len <= max && start + len <= n; len++)
            {
                int at = start + len - 1;
                char c = at == 0 || at == n - 1 ? ' ' : word[at - 1];
                h = (h ^ c) * 16777619u;
                if (len >= min)
                {
                    _chars.Add(Bucket(h, CharSeed + (uint)len));
                }
            }
        }
    }

    private static void Emit(CountTable table, float scale, SparseVector into)
    {
        if (table.Count == 0)
        {
            return;
        }

        double norm = 0;
        for (int i = 0; i < table.Count; i++)
        {
            int count = table.Counts[i];
            float v = count < LogTable.Length ? LogTable[count] : 1f + MathF.Log(count);
            table.Weights[i] = v;
            norm += v * v;
        }

        float inv = scale / (float)Math.Sqrt(norm);
        EnsureCapacity(into, into.Count + table.Count);
        for (int i = 0; i < table.Count; i++)
        {
            into.Indices[into.Count] = table.Keys[i];
            into.Values[into.Count] = table.Weights[i] * inv;
            into.Count++;
        }
    }

    // 1 + ln(count) for small counts, the common case.
    private static readonly float[] LogTable = [.. Enumerable.Range(0, 64).Select(c => c == 0 ? 0f : 1f + MathF.Log(c))];

    private static void SortAndMerge(SparseVector v)
    {
        Array.Sort(v.Indices, v.Values, 0, v.Count);
        int w = 0;
        for (int r = 0; r < v.Count; r++)
        {
            if (w > 0 && v.Indices[w - 1] == v.Indices[r])
            {
                v.Values[w - 1] += v.Values[r];
            }
            else
            {
                v.Indices[w] = v.Indices[r];
                v.Values[w] = v.Values[r];
                w++;
            }
        }

        v.Count = w;
    }

    private static void EnsureCapacity(SparseVector v, int size)
    {
        if (v.Indices.Length < size)
        {
            int n = Math.Max(size, v.Indices.Length * 2);
            Array.Resize(ref v.Indices, n);
            Array.Resize(ref v.Values, n);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Bucket(uint hash, uint seed)
    {
        // murmur3 finaliser over the hash mixed with the block's seed
        uint h = hash ^ seed;
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        h ^= h >> 16;
        return (int)(h & (uint)_mask);
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static uint HashSpan(ReadOnlySpan<char> s)
    {
        uint h = 2166136261u;
        foreach (char c in s)
        {
            h = (h ^ c) * 16777619u;
        }

        return h;
    }

    internal static uint HashString(string s) => HashSpan(s.AsSpan());

    /// <summary>Open-addressing count table with O(1) clear (generation stamps).</summary>
    private sealed class CountTable
    {
        private int[] _slots = new int[1024];     // index into Keys + 1, or 0
        private int[] _stamps = new int[1024];
        private int _generation = 1;
        public int[] Keys = new int[512];
        public int[] Counts = new int[512];
        public float[] Weights = new float[512];
        public int Count;

        public void Clear()
        {
            Count = 0;
            _generation++;
            if (_generation == int.MaxValue)
            {
                Array.Clear(_stamps);
                _generation = 1;
            }
        }

        public void Add(int key)
        {
            if (Count * 2 >= _slots.Length)
            {
                Grow();
            }

            int mask = _slots.Length - 1;
            int slot = (int)(BitOperations.RotateLeft((uint)key * 0x9E3779B1u, 7) & (uint)mask);
            while (true)
            {
                if (_stamps[slot] != _generation)
                {
                    _stamps[slot] = _generation;
                    _slots[slot] = Count + 1;
                    if (Count == Keys.Length)
                    {
                        Array.Resize(ref Keys, Count * 2);
                        Array.Resize(ref Counts, Count * 2);
                        Array.Resize(ref Weights, Count * 2);
                    }

                    Keys[Count] = key;
                    Counts[Count] = 1;
                    Count++;
                    return;
                }

                int entry = _slots[slot] - 1;
                if (Keys[entry] == key)
                {
                    Counts[entry]++;
                    return;
                }

                slot = (slot + 1) & mask;
            }
        }

        private void Grow()
        {
            int size = _slots.Length * 2;
            _slots = new int[size];
            _stamps = new int[size];
            int mask = size - 1;
            _generation++;
            for (int e = 0; e < Count; e++)
            {
                int slot = (int)(BitOperations.RotateLeft((uint)Keys[e] * 0x9E3779B1u, 7) & (uint)mask);
                while (_stamps[slot] == _generation)
                {
                    slot = (slot + 1) & mask;
                }

                _stamps[slot] = _generation;
                _slots[slot] = e + 1;
            }
        }
    }
}
