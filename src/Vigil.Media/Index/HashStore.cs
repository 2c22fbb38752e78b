using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vigil.Media;

/// <summary>Helpers over hashes stored flat as 4 ulongs each (word 0 first).</summary>
internal static class HashStore
{
    internal const int Words = 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Distance(ref ulong entry, PdqHash query) =>
        BitOperations.PopCount(entry ^ query.Word0) +
        BitOperations.PopCount(Unsafe.Add(ref entry, 1) ^ query.Word1) +
        BitOperations.PopCount(Unsafe.Add(ref entry, 2) ^ query.Word2) +
        BitOperations.PopCount(Unsafe.Add(ref entry, 3) ^ query.Word3);

    /// <summary>
    /// A pinned array (never moved) holding <paramref name="count"/> hashes from element
    /// <paramref name="offset"/> on, which is 64-byte aligned so that no 32-byte hash straddles two
    /// cache lines: a search reads thousands of hashes at random, one cache miss each.
    /// </summary>
    internal static ulong[] AllocateAligned(int count, out int offset)
    {
        const int lineBytes = 64;
        var array = GC.AllocateUninitializedArray<ulong>(checked((count * Words) + (lineBytes / sizeof(ulong))), pinned: true);
        var address = (long)Marshal.UnsafeAddrOfPinnedArrayElement(array, 0);
        offset = (int)((lineBytes - (address % lineBytes)) % lineBytes / sizeof(ulong));
        return array;
    }

    internal static void Write(Span<ulong> store, int index, PdqHash hash)
    {
        var entry = store.Slice(index * Words, Words);
        entry[0] = hash.Word0;
        entry[1] = hash.Word1;
        entry[2] = hash.Word2;
        entry[3] = hash.Word3;
    }

    internal static PdqHash Read(ReadOnlySpan<ulong> store, int index)
    {
        var entry = store.Slice(index * Words, Words);
        return new PdqHash(entry[0], entry[1], entry[2], entry[3]);
    }

    /// <summary>Appends every entry of <paramref name="store"/>[0, count) within <paramref name="maxDistance"/>.</summary>
    internal static void Scan(
        ReadOnlySpan<ulong> store, ReadOnlySpan<long> ids, int count, PdqHash query, int maxDistance,
        ReadOnlySpan<ulong> deleted, List<PdqMatch> results)
    {
        ref var entry = ref MemoryMarshal.GetReference(store);
        for (var i = 0; i < count; i++)
        {
            var distance = Distance(ref Unsafe.Add(ref entry, i * Words), query);
            if (distance <= maxDistance && (deleted.IsEmpty || !IsSet(deleted, i)))
            {
                results.Add(new PdqMatch(ids[i], distance));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsSet(ReadOnlySpan<ulong> bits, int index) => (bits[index >> 6] & (1UL << (index & 63))) != 0;
}
