using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Vigil.Text.Signals;

/// <summary>
/// The <c>text_minhash</c> signal: a MinHash signature of a text's character 4-grams, to find near-duplicates
/// (words inserted or removed, sentences reordered, evasions) among banked texts without storing the texts.
/// </summary>
/// <remarks>
/// <para>Shingles: every run of <see cref="ShingleLength"/> consecutive characters (UTF-16 code units) of the text's
/// <see cref="CanonicalText"/>, spaces included. Each shingle is hashed to 64 bits (FNV-1a over its characters, then
/// MurmurHash3's 64-bit finaliser). A text of fewer than <see cref="MinWords"/> canonical words has no signature.</para>
/// <para>Signature: for each of <see cref="MinHashSignature.Size"/> hash functions <c>f_i(h) = x XOR (x &gt;&gt; 32)</c>
/// with <c>x = (h XOR s_i) · m_i</c> (64-bit wrapping arithmetic), where <c>s_i</c> and <c>m_i</c> (made odd) are the
/// outputs of SplitMix64 seeded with <c>0x5649474C54455854</c> ("VIGLTEXT") in the order s_0, m_0, s_1, …, the value is
/// the low 8 bits of the smallest <c>f_i</c> over the shingles (one-byte "b-bit" MinHash). The shingle hashes are
/// already well mixed, so one multiplication orders them independently enough: the measured error of the similarity is
/// what 128 independent functions give (<c>docs/quality/text-hash-banks.md</c>).</para>
/// <para>Similarity: two texts agree on a value with probability <c>J + (1 − J) / 256</c>, where J is the Jaccard
/// similarity of their shingle sets; <see cref="Similarity"/> inverts that, so it estimates J (standard error about
/// 0.044 at J = 0.5).</para>
/// <para>The choice of character 4-grams and of <see cref="DefaultThreshold"/> was measured on edited copies of
/// labelled posts against other posts on the same topics: <c>docs/quality/text-hash-banks.md</c>.</para>
/// </remarks>
public static class TextMinHash
{
    /// <summary>The signal type's name in banks and evidence.</summary>
    public const string Name = "text_minhash";

    /// <summary>Characters per shingle.</summary>
    public const int ShingleLength = 4;

    /// <summary>Canonical words a text needs for a signature. Shorter texts are too alike for near-duplicate matching
    /// ("we will win" and any post of three such words); they belong in <see cref="TextSha256"/> only.</summary>
    public const int MinWords = 5;

    /// <summary>The similarity at or above which a text is taken for a near-duplicate of a banked one, unless a bank
    /// sets its own (measured: <c>docs/quality/text-hash-banks.md</c>).</summary>
    public const double DefaultThreshold = 0.5;

    internal static Shingling DefaultShingling => new(ShingleKind.Characters, ShingleLength);

    private const int Size = MinHashSignature.Size;
    private const ulong FnvOffset = 0xCBF29CE484222325;
    private const ulong FnvPrime = 0x100000001B3;

    private static readonly ulong[] Seeds = Constants(odd: false);
    private static readonly ulong[] Multipliers = Constants(odd: true);

    /// <summary>Similarity of two signatures with m equal values, for m = 0 … <see cref="MinHashSignature.Size"/>.</summary>
    private static readonly double[] SimilarityByMatches = BuildSimilarityTable();

    [ThreadStatic]
    private static ulong[]? t_hashes;

    /// <summary>The signature of <paramref name="text"/>, or null when its canonical text (see <see cref="CanonicalText"/>) has
    /// fewer than <see cref="MinWords"/> words.</summary>
    public static MinHashSignature? Compute(string text) => FromCanonical(CanonicalText.Of(text), DefaultShingling);

    /// <summary>
    /// The estimated Jaccard similarity of the shingle sets of the two signed texts, in [0, 1]: the share of equal values
    /// corrected for one-byte values agreeing by chance, <c>max(0, (m / 128 − 1/256) / (1 − 1/256))</c> for m equal
    /// values. 1 for identical signatures.
    /// </summary>
    public static double Similarity(MinHashSignature a, MinHashSignature b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return SimilarityOf(MatchingValues(a.Values, b.Values));
    }

    /// <summary>The similarity of two signatures with <paramref name="matches"/> equal values.</summary>
    internal static double SimilarityOf(int matches) => SimilarityByMatches[matches];

    /// <summary>The fewest equal values whose similarity reaches <paramref name="threshold"/> (Size + 1 when none does).</summary>
    internal static int MatchesFor(double threshold)
    {
        int m = 0;
        while (m <= Size && SimilarityByMatches[m] < threshold)
        {
            m++;
        }

        return m;
    }

    /// <summary>The signature of a canonical text under <paramref name="shingling"/> (null when it has fewer than
    /// <see cref="MinWords"/> words).</summary>
    internal static MinHashSignature? FromCanonical(string canonical, Shingling shingling)
    {
        if (canonical.AsSpan().Count(' ') + 1 < MinWords)
        {
            return null;
        }

        var hashes = t_hashes is { } cached && cached.Length >= canonical.Length ? cached : new ulong[Math.Max(256, canonical.Length)];
        if (hashes.Length <= 1 << 16)
        {
            t_hashes = hashes;
        }

        int count = shingling.Kind switch
        {
            ShingleKind.Words => WordShingles(canonical, shingling.Length, hashes),
            ShingleKind.CharactersWithoutSpaces => CharacterShingles(canonical.Replace(" ", "", StringComparison.Ordinal), shingling.Length, hashes),
            _ => CharacterShingles(canonical, shingling.Length, hashes),
        };
        var values = new byte[Size];
        MinHash(hashes.AsSpan(0, count), values);
        return MinHashSignature.Wrap(values);
    }

    /// <summary>Hashes of the character n-grams of <paramref name="text"/>; as many as it has n-grams (at least one).</summary>
    private static int CharacterShingles(string text, int n, ulong[] hashes)
    {
        if (text.Length <= n)
        {
            hashes[0] = HashChars(text);
            return 1;
        }

        int count = text.Length - n + 1;
        for (int i = 0; i < count; i++)
        {
            hashes[i] = HashChars(text.AsSpan(i, n));
        }

        return count;
    }

    /// <summary>Hashes of the word n-grams of a canonical text (words one space apart); at least one.</summary>
    private static int WordShingles(string text, int n, ulong[] hashes)
    {
        // Word hashes first (at most one a character), then windows of n of them in place.
        int words = 0;
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == ' ')
            {
                hashes[words++] = HashChars(text.AsSpan(start, i - start));
                start = i + 1;
            }
        }

        int windows = Math.Max(1, words - n + 1);
        int width = Math.Min(n, words);
        for (int w = 0; w < windows; w++)
        {
            ulong h = FnvOffset;
            for (int k = 0; k < width; k++)
            {
                h = (h ^ hashes[w + k]) * FnvPrime;
            }

            hashes[w] = Finalize(h);
        }

        return windows;
    }

    private static ulong HashChars(ReadOnlySpan<char> chars)
    {
        ulong h = FnvOffset;
        foreach (char c in chars)
        {
            h = (h ^ c) * FnvPrime;
        }

        return Finalize(h);
    }

    /// <summary>MurmurHash3's 64-bit finaliser.</summary>
    internal static ulong Finalize(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCD;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53;
        h ^= h >> 33;
        return h;
    }

    /// <summary>s_i (or m_i, made odd): every other output of SplitMix64 from the fixed seed.</summary>
    private static ulong[] Constants(bool odd)
    {
        var constants = new ulong[Size];
        ulong state = 0x5649474C54455854;
        for (int i = 0; i < Size; i++)
        {
            ulong seed = SplitMix64(ref state);
            ulong multiplier = SplitMix64(ref state) | 1;
            constants[i] = odd ? multiplier : seed;
        }

        return constants;
    }

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>The low byte of each hash function's minimum over <paramref name="hashes"/> (vectorised where the
    /// hardware allows; the same values either way).</summary>
    internal static void MinHash(ReadOnlySpan<ulong> hashes, Span<byte> values)
    {
        if (Vector.IsHardwareAccelerated && Size % Vector<ulong>.Count == 0)
        {
            MinHashVector(hashes, values);
        }
        else
        {
            MinHashScalar(hashes, values);
        }
    }

    internal static void MinHashScalar(ReadOnlySpan<ulong> hashes, Span<byte> values)
    {
        for (int i = 0; i < Size; i++)
        {
            ulong seed = Seeds[i], multiplier = Multipliers[i];
            ulong min = ulong.MaxValue;
            foreach (ulong h in hashes)
            {
                ulong x = (h ^ seed) * multiplier;
                x ^= x >> 32;
                min = Math.Min(min, x);
            }

            values[i] = (byte)min;
        }
    }

    private static void MinHashVector(ReadOnlySpan<ulong> hashes, Span<byte> values)
    {
        int width = Vector<ulong>.Count;
        for (int i = 0; i < Size; i += width)
        {
            var seed = new Vector<ulong>(Seeds.AsSpan(i, width));
            var multiplier = new Vector<ulong>(Multipliers.AsSpan(i, width));
            var min = new Vector<ulong>(ulong.MaxValue);
            foreach (ulong h in hashes)
            {
                var x = (new Vector<ulong>(h) ^ seed) * multiplier;
                x ^= Vector.ShiftRightLogical(x, 32);
                min = Vector.Min(min, x);
            }

            for (int k = 0; k < width; k++)
            {
                values[i + k] = (byte)min[k];
            }
        }
    }

    /// <summary>How many of the two signatures' values are equal.</summary>
    internal static int MatchingValues(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        EqualMask(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), out ulong low, out ulong high);
        return BitOperations.PopCount(low) + BitOperations.PopCount(high);
    }

    /// <summary>Bit i of (<paramref name="low"/>, <paramref name="high"/>) is set when value i of the two signatures
    /// (<see cref="MinHashSignature.Size"/> bytes from each reference) is equal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void EqualMask(ref byte a, ref byte b, out ulong low, out ulong high)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            low = Vector512.Equals(Vector512.LoadUnsafe(ref a), Vector512.LoadUnsafe(ref b)).ExtractMostSignificantBits();
            high = Vector512.Equals(Vector512.LoadUnsafe(ref a, 64), Vector512.LoadUnsafe(ref b, 64)).ExtractMostSignificantBits();
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            low = Mask128(ref a, ref b, 0);
            high = Mask128(ref a, ref b, 64);
        }
        else
        {
            low = high = 0;
            for (int i = 0; i < 64; i++)
            {
                low |= (Unsafe.Add(ref a, i) == Unsafe.Add(ref b, i) ? 1UL : 0) << i;
                high |= (Unsafe.Add(ref a, 64 + i) == Unsafe.Add(ref b, 64 + i) ? 1UL : 0) << i;
            }
        }
    }

    private static ulong Mask128(ref byte a, ref byte b, nuint offset)
    {
        ulong mask = 0;
        for (int k = 0; k < 4; k++)
        {
            nuint at = offset + (nuint)(16 * k);
            mask |= (ulong)Vector128.Equals(Vector128.LoadUnsafe(ref a, at), Vector128.LoadUnsafe(ref b, at)).ExtractMostSignificantBits() << (16 * k);
        }

        return mask;
    }

    private static double[] BuildSimilarityTable()
    {
        var table = new double[Size + 1];
        const double chance = 1.0 / 256;
        for (int m = 0; m <= Size; m++)
        {
            table[m] = m == Size ? 1.0 : Math.Clamp(((double)m / Size - chance) / (1 - chance), 0, 1);
        }

        return table;
    }
}

/// <summary>How a canonical text is cut into shingles (the shipped signal uses character 4-grams; the others are
/// measured against it).</summary>
internal enum ShingleKind
{
    Characters,
    CharactersWithoutSpaces,
    Words,
}

/// <param name="Kind">Characters or words.</param>
/// <param name="Length">Characters or words per shingle.</param>
internal readonly record struct Shingling(ShingleKind Kind, int Length)
{
    public override string ToString() => Kind switch
    {
        ShingleKind.Words => $"word {Length}-grams",
        ShingleKind.CharactersWithoutSpaces => $"character {Length}-grams, spaces removed",
        _ => $"character {Length}-grams",
    };
}
