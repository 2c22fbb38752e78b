using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Vigil.Media;

/// <summary>
/// Moves 8 image rows to and from "strip" layout, where strip[j * 8 + k] is row k, column j, so
/// that one 256-bit vector holds column j of all 8 rows. Uses 8x8 AVX register transposes.
/// </summary>
internal static class StripTranspose
{
    /// <summary>8 rows of <paramref name="width"/> floats (row stride = width) into strip layout.</summary>
    internal static void RowsToStrip(ReadOnlySpan<float> rows, int width, Span<float> strip)
    {
        if (rows.Length < (7 * width) + width || strip.Length < 8 * width)
        {
            throw new ArgumentException("Strip buffers are too small.");
        }

        ref var src = ref MemoryMarshal.GetReference(rows);
        ref var dst = ref MemoryMarshal.GetReference(strip);
        var j = 0;
        for (; j + 8 <= width; j += 8)
        {
            Transpose8x8(ref Unsafe.Add(ref src, j), width, ref Unsafe.Add(ref dst, j * 8), 8);
        }

        for (; j < width; j++)
        {
            for (var k = 0; k < 8; k++)
            {
                strip[(j * 8) + k] = rows[(k * width) + j];
            }
        }
    }

    /// <summary>Strip layout back to 8 rows starting at <paramref name="rows"/> with the given row stride.</summary>
    internal static void StripToRows(ReadOnlySpan<float> strip, int width, Span<float> rows, int rowStride)
    {
        if (strip.Length < 8 * width || rows.Length < (7 * rowStride) + width)
        {
            throw new ArgumentException("Strip buffers are too small.");
        }

        ref var src = ref MemoryMarshal.GetReference(strip);
        ref var dst = ref MemoryMarshal.GetReference(rows);
        var j = 0;
        for (; j + 8 <= width; j += 8)
        {
            Transpose8x8(ref Unsafe.Add(ref src, j * 8), 8, ref Unsafe.Add(ref dst, j), rowStride);
        }

        for (; j < width; j++)
        {
            for (var k = 0; k < 8; k++)
            {
                rows[(k * rowStride) + j] = strip[(j * 8) + k];
            }
        }
    }

    /// <summary>dst[c * dstStride + r] = src[r * srcStride + c] for r, c in 0..7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(ref float src, int srcStride, ref float dst, int dstStride)
    {
        var r0 = Vector256.LoadUnsafe(ref src);
        var r1 = Vector256.LoadUnsafe(ref src, (nuint)srcStride);
        var r2 = Vector256.LoadUnsafe(ref src, (nuint)(2 * srcStride));
        var r3 = Vector256.LoadUnsafe(ref src, (nuint)(3 * srcStride));
        var r4 = Vector256.LoadUnsafe(ref src, (nuint)(4 * srcStride));
        var r5 = Vector256.LoadUnsafe(ref src, (nuint)(5 * srcStride));
        var r6 = Vector256.LoadUnsafe(ref src, (nuint)(6 * srcStride));
        var r7 = Vector256.LoadUnsafe(ref src, (nuint)(7 * srcStride));

        // Pairs: (r0[0] r1[0] r0[1] r1[1] | r0[4] r1[4] r0[5] r1[5]) and the high halves.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);

        // Quads: (r0..r3 [c] | r0..r3 [c + 4]).
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Permute2x128(s0, s4, 0x20).StoreUnsafe(ref dst);
        Avx.Permute2x128(s1, s5, 0x20).StoreUnsafe(ref dst, (nuint)dstStride);
        Avx.Permute2x128(s2, s6, 0x20).StoreUnsafe(ref dst, (nuint)(2 * dstStride));
        Avx.Permute2x128(s3, s7, 0x20).StoreUnsafe(ref dst, (nuint)(3 * dstStride));
        Avx.Permute2x128(s0, s4, 0x31).StoreUnsafe(ref dst, (nuint)(4 * dstStride));
        Avx.Permute2x128(s1, s5, 0x31).StoreUnsafe(ref dst, (nuint)(5 * dstStride));
        Avx.Permute2x128(s2, s6, 0x31).StoreUnsafe(ref dst, (nuint)(6 * dstStride));
        Avx.Permute2x128(s3, s7, 0x31).StoreUnsafe(ref dst, (nuint)(7 * dstStride));
    }
}
