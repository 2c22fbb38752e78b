using System.Numerics;
using System.Runtime.CompilerServices;

namespace Vigil.Media;

/// <summary>
/// How a multi-index splits the hash: <see cref="Tables"/> disjoint chunks of <see cref="Bits"/>
/// bits each, starting at bit 0 (bits past Tables x Bits are not indexed, which pigeonhole allows).
/// If two hashes are within distance d, the chunk distances sum to at most d. So with a probe
/// radius r_t per table such that the sum of (r_t + 1) exceeds d, some chunk t is within r_t of
/// the query's (pigeonhole), and probing every key within r_t in every table finds every match.
/// The radii are d / Tables, less one in as many trailing tables as the sum allows (a radius of
/// -1 skips a table).
/// </summary>
/// <remarks>
/// A table's entries are sorted by key and packed into one uint each: the low
/// <see cref="SubKeyBits"/> bits of the key above <see cref="PositionBits"/> bits of entry position.
/// Bucket boundaries are stored only per block of 2^SubKeyBits keys, a quarter of the memory of
/// per-key offsets; a probe scans its block (about 5 entries, usually one cache line) for its
/// sub-key. Measured at 10 million random hashes, 2 sub-key bits beat 3, 4 and 5.
/// </remarks>
internal readonly record struct MihLayout(int Tables, int Bits, int SubKeyBits, int PositionBits)
{
    /// <summary>Largest chunk width.</summary>
    internal const int MaxBits = 24;

    private const int MinBits = 8;
    private const int PreferredSubKeyBits = 2;

    /// <summary>
    /// Enough tables that the probe radius stays at most 2 up to <paramref name="maxDistance"/>,
    /// and chunks of about log2(count) bits, so that a bucket holds about one entry.
    /// </summary>
    public static MihLayout For(int maxDistance, int count)
    {
        var tables = (maxDistance / 3) + 1;
        var bits = (int)Math.Round(Math.Log2(Math.Max(count, 2)));
        bits = Math.Clamp(bits, MinBits, Math.Min(MaxBits, 256 / tables));
        var positionBits = Math.Max(1, 32 - BitOperations.LeadingZeroCount((uint)Math.Max(count - 1, 1)));
        var subKeyBits = Math.Min(PreferredSubKeyBits, bits);
        if (positionBits + subKeyBits > 32)
        {
            throw new NotSupportedException($"A PDQ index holds at most {1 << (32 - PreferredSubKeyBits)} entries.");
        }

        return new MihLayout(tables, bits, subKeyBits, positionBits);
    }

    /// <summary>Probe radius of <paramref name="table"/> for a search within <paramref name="maxDistance"/> (-1: skip the table).</summary>
    public int Radius(int maxDistance, int table)
    {
        var radius = maxDistance / Tables;
        var reduced = (Tables * (radius + 1)) - maxDistance - 1;
        return table >= Tables - reduced ? radius - 1 : radius;
    }

    /// <summary>Number of blocks of keys in a table.</summary>
    public int BlockCount => 1 << (Bits - SubKeyBits);

    public uint PositionMask => (uint)((1UL << PositionBits) - 1);

    /// <summary>Largest number of keys probed in one table: the Hamming ball of radius 2.</summary>
    public int MaxProbes => 1 + Bits + (Bits * (Bits - 1) / 2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Key(ulong w0, ulong w1, ulong w2, ulong w3, int table)
    {
        var start = table * Bits;
        var word = start >> 6;
        var shift = start & 63;
        var value = Word(w0, w1, w2, w3, word) >> shift;
        if (shift + Bits > 64)
        {
            value |= Word(w0, w1, w2, w3, word + 1) << (64 - shift);
        }

        return (int)(value & ((1UL << Bits) - 1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Key(PdqHash hash, int table) => Key(hash.Word0, hash.Word1, hash.Word2, hash.Word3, table);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Key(ReadOnlySpan<ulong> store, int index, int table)
    {
        var entry = store.Slice(index * HashStore.Words, HashStore.Words);
        return Key(entry[0], entry[1], entry[2], entry[3], table);
    }

    /// <summary>Writes every key within <paramref name="radius"/> (at most 2) of <paramref name="key"/>; returns how many.</summary>
    public int Neighbours(int key, int radius, Span<int> keys)
    {
        if (radius < 0)
        {
            return 0;
        }

        var n = 0;
        keys[n++] = key;
        if (radius >= 1)
        {
            for (var i = 0; i < Bits; i++)
            {
                keys[n++] = key ^ (1 << i);
            }
        }

        if (radius >= 2)
        {
            for (var i = 1; i < Bits; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    keys[n++] = key ^ (1 << i) ^ (1 << j);
                }
            }
        }

        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Word(ulong w0, ulong w1, ulong w2, ulong w3, int index) => index switch
    {
        0 => w0,
        1 => w1,
        2 => w2,
        _ => w3,
    };
}
