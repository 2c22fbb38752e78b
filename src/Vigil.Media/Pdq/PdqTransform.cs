using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Vigil.Media;

/// <summary>
/// The part of PDQ after the 64x64 downsample: quality metric, 64x64 to 16x16 DCT, median
/// threshold and the dihedral sign/transpose tricks. Float operations are done one by one in the
/// reference's order so that results are bit-identical to it.
/// </summary>
internal static class PdqTransform
{
    internal const int Size64 = 64;
    internal const int Size16 = 16;

    /// <summary>The reference's 16x64 DCT matrix (rows 1..16 of the DCT-II basis), row-major.</summary>
    internal static readonly float[] DctMatrix = BuildDctMatrix();

    /// <summary><see cref="DctMatrix"/> transposed (64x16), for the vectorised second product.</summary>
    private static readonly float[] DctMatrixTransposed = Transpose(DctMatrix, Size16, Size64);

    /// <summary>Jarosz box-filter window for one pass, as in the reference (half of old/64, rounded up).</summary>
    internal static int JaroszWindowSize(int oldDimension) =>
        (oldDimension + (2 * Size64) - 1) / (2 * Size64);

    /// <summary>Index in a dimension of <paramref name="inDimension"/> sampled for output <paramref name="outIndex"/> of 64.</summary>
    internal static int DecimationIndex(int outIndex, int inDimension) =>
        (int)((outIndex + 0.5) * inDimension / Size64);

    /// <summary>Image-domain quality (0-100) from the gradients of the 64x64 buffer.</summary>
    internal static int Quality(ReadOnlySpan<float> buffer64x64)
    {
        var gradientSum = 0;
        for (var i = 0; i < Size64 - 1; i++)
        {
            var row = buffer64x64.Slice(i * Size64, Size64);
            var next = buffer64x64.Slice((i + 1) * Size64, Size64);
            for (var j = 0; j < Size64; j++)
            {
                gradientSum += Math.Abs((int)((row[j] - next[j]) * 100f / 255f));
            }
        }

        for (var i = 0; i < Size64; i++)
        {
            var row = buffer64x64.Slice(i * Size64, Size64);
            for (var j = 0; j < Size64 - 1; j++)
            {
                gradientSum += Math.Abs((int)((row[j] - row[j + 1]) * 100f / 255f));
            }
        }

        return Math.Min(gradientSum / 90, 100);
    }

    /// <summary>
    /// B = D A Dᵀ with D the 16x64 DCT matrix: <paramref name="a"/> is 64x64, <paramref name="t"/>
    /// (16x64) is scratch, <paramref name="b"/> receives 16x16. Each output is a sequential float sum
    /// over k = 0..63 as in the reference; the vector path only computes 8 outputs side by side.
    /// </summary>
    internal static void Dct64To16(ReadOnlySpan<float> a, Span<float> t, Span<float> b)
    {
        if (a.Length < Size64 * Size64 || t.Length < Size16 * Size64 || b.Length < Size16 * Size16)
        {
            throw new ArgumentException("DCT buffers are too small.");
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Dct64To16Vector(a, t, b);
        }
        else
        {
            Dct64To16Scalar(a, t, b);
        }
    }

    internal static void Dct64To16Scalar(ReadOnlySpan<float> a, Span<float> t, Span<float> b)
    {
        var d = DctMatrix;
        for (var i = 0; i < Size16; i++)
        {
            for (var j = 0; j < Size64; j++)
            {
                var sum = 0f;
                for (var k = 0; k < Size64; k++)
                {
                    sum += d[(i * Size64) + k] * a[(k * Size64) + j];
                }

                t[(i * Size64) + j] = sum;
            }
        }

        for (var i = 0; i < Size16; i++)
        {
            for (var j = 0; j < Size16; j++)
            {
                var sum = 0f;
                for (var k = 0; k < Size64; k++)
                {
                    sum += t[(i * Size64) + k] * d[(j * Size64) + k];
                }

                b[(i * Size16) + j] = sum;
            }
        }
    }

    private static void Dct64To16Vector(ReadOnlySpan<float> a, Span<float> t, Span<float> b)
    {
        ref var d = ref MemoryMarshal.GetArrayDataReference(DctMatrix);
        ref var dt = ref MemoryMarshal.GetArrayDataReference(DctMatrixTransposed);
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var tr = ref MemoryMarshal.GetReference(t);
        ref var br = ref MemoryMarshal.GetReference(b);

        // T = D A: eight columns j at a time, k summed in order.
        for (var i = 0; i < Size16; i++)
        {
            for (nuint j = 0; j < Size64; j += 8)
            {
                var sum = Vector256<float>.Zero;
                for (var k = 0; k < Size64; k++)
                {
                    var dik = Vector256.Create(Unsafe.Add(ref d, (i * Size64) + k));
                    sum += dik * Vector256.LoadUnsafe(ref ar, ((nuint)k * Size64) + j);
                }

                sum.StoreUnsafe(ref tr, ((nuint)i * Size64) + j);
            }
        }

        // B = T Dᵀ: B[i][j] = sum_k T[i][k] D[j][k], with Dᵀ stored row-major so j is contiguous.
        for (var i = 0; i < Size16; i++)
        {
            var sum0 = Vector256<float>.Zero;
            var sum1 = Vector256<float>.Zero;
            for (var k = 0; k < Size64; k++)
            {
                var tik = Vector256.Create(Unsafe.Add(ref tr, (i * Size64) + k));
                sum0 += tik * Vector256.LoadUnsafe(ref dt, (nuint)k * Size16);
                sum1 += tik * Vector256.LoadUnsafe(ref dt, ((nuint)k * Size16) + 8);
            }

            sum0.StoreUnsafe(ref br, (nuint)i * Size16);
            sum1.StoreUnsafe(ref br, ((nuint)i * Size16) + 8);
        }
    }

    /// <summary>
    /// Bit k is set when coefficient k exceeds the median. The reference's Torben median of 256
    /// values is the 128th smallest (lower median), which is what sorting gives at index 127.
    /// </summary>
    internal static PdqHash ToHash(ReadOnlySpan<float> dct16x16)
    {
        const int n = Size16 * Size16;
        Span<float> sorted = stackalloc float[n];
        dct16x16[..n].CopyTo(sorted);
        foreach (var value in sorted)
        {
            if (!float.IsFinite(value))
            {
                throw new ArgumentException("The luma input contains non-finite values.");
            }
        }

        sorted.Sort();
        var median = sorted[(n / 2) - 1];

        Span<ulong> words = stackalloc ulong[4];
        for (var k = 0; k < n; k++)
        {
            if (dct16x16[k] > median)
            {
                words[k >> 6] |= 1UL << (k & 63);
            }
        }

        return new PdqHash(words[0], words[1], words[2], words[3]);
    }

    /// <summary>The eight dihedral hashes from one DCT output, in the reference's order and with its sign patterns.</summary>
    internal static PdqDihedralResult ToDihedral(ReadOnlySpan<float> dct, int quality)
    {
        Span<float> aux = stackalloc float[Size16 * Size16];
        var original = ToHash(dct);
        return new PdqDihedralResult(
            original,
            Rotate90: Derive(dct, aux, transpose: true, static (i, j) => (j & 1) == 0),
            Rotate180: Derive(dct, aux, transpose: false, static (i, j) => ((i + j) & 1) != 0),
            Rotate270: Derive(dct, aux, transpose: true, static (i, j) => (i & 1) == 0),
            FlipX: Derive(dct, aux, transpose: false, static (i, j) => (i & 1) == 0),
            FlipY: Derive(dct, aux, transpose: false, static (i, j) => (j & 1) == 0),
            FlipPlus1: Derive(dct, aux, transpose: true, static (_, _) => false),
            FlipMinus1: Derive(dct, aux, transpose: true, static (i, j) => ((i + j) & 1) != 0),
            Quality: quality);
    }

    /// <summary>
    /// Output[i][j] (or [j][i] when transposed) = ±input[i][j], negated where
    /// <paramref name="negate"/> says so (i, j index the input).
    /// </summary>
    private static PdqHash Derive(ReadOnlySpan<float> a, Span<float> b, bool transpose, Func<int, int, bool> negate)
    {
        for (var i = 0; i < Size16; i++)
        {
            for (var j = 0; j < Size16; j++)
            {
                var value = a[(i * Size16) + j];
                var target = transpose ? (j * Size16) + i : (i * Size16) + j;
                b[target] = negate(i, j) ? -value : value;
            }
        }

        return ToHash(b);
    }

    private static float[] BuildDctMatrix()
    {
        // As the reference: a float scale factor times a double cosine, rounded to float.
        var scale = (float)Math.Sqrt(2.0 / Size64);
        var matrix = new float[Size16 * Size64];
        for (var i = 0; i < Size16; i++)
        {
            for (var j = 0; j < Size64; j++)
            {
                matrix[(i * Size64) + j] = (float)(scale * Math.Cos(Math.PI / 2.0 / Size64 * (i + 1) * ((2 * j) + 1)));
            }
        }

        return matrix;
    }

    private static float[] Transpose(float[] source, int rows, int cols)
    {
        var result = new float[rows * cols];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < cols; j++)
            {
                result[(j * rows) + i] = source[(i * cols) + j];
            }
        }

        return result;
    }
}
