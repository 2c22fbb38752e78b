using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Vigil.Training.Embeddings.Tuning;

/// <summary>
/// The dense matrix arithmetic fine-tuning needs, over row-major <see cref="float"/> arrays. Products are split across
/// threads by rows of the result, and every element is summed in the same order whatever the thread count, so training
/// gives the same weights on one thread or many.
/// </summary>
internal static class Matrix
{
    /// <summary><c>c[m×n] = a[m×k] · b[k×n]</c>, or <c>+=</c> when <paramref name="accumulate"/>.</summary>
    public static void Multiply(float[] a, float[] b, float[] c, int m, int k, int n, bool accumulate, int threads)
    {
        if (threads <= 1 || (long)m * k * n < 1 << 18)
        {
            MultiplyRows(a, b, c, 0, m, k, n, accumulate);
            return;
        }

        // Chunks of whole four-row blocks, so each row goes through the same kernel whatever the thread count.
        int blocks = (m + 3) / 4;
        int chunks = Math.Min(threads * 4, blocks);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk =>
        {
            int from = blocks * chunk / chunks * 4, to = Math.Min(m, blocks * (chunk + 1) / chunks * 4);
            MultiplyRows(a, b, c, from, to, k, n, accumulate);
        });
    }

    /// <summary><paramref name="destination"/>[cols×rows] = transpose of <paramref name="source"/>[rows×cols].</summary>
    public static void Transpose(float[] source, int rows, int cols, float[] destination)
    {
        const int Tile = 32;
        for (int r0 = 0; r0 < rows; r0 += Tile)
        {
            int r1 = Math.Min(rows, r0 + Tile);
            for (int c0 = 0; c0 < cols; c0 += Tile)
            {
                int c1 = Math.Min(cols, c0 + Tile);
                for (int r = r0; r < r1; r++)
                {
                    for (int c = c0; c < c1; c++)
                    {
                        destination[(c * rows) + r] = source[(r * cols) + c];
                    }
                }
            }
        }
    }

    /// <summary>Adds the sum of the first <paramref name="rows"/> rows of <paramref name="source"/> to <paramref name="sums"/>.</summary>
    public static void AddColumnSums(float[] source, int rows, int cols, float[] sums)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = source.AsSpan(r * cols, cols);
            System.Numerics.Tensors.TensorPrimitives.Add(sums, row, sums);
        }
    }

    private static void MultiplyRows(float[] a, float[] b, float[] c, int from, int to, int k, int n, bool accumulate)
    {
        int i = from;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 4 <= to; i += 4)
            {
                FourRows(a, b, c, i, k, n, accumulate);
            }
        }

        for (; i < to; i++)
        {
            OneRow(a, b, c, i, k, n, accumulate);
        }
    }

    /// <summary>Rows i..i+3 of the product, sixteen columns at a time in eight vector accumulators.</summary>
    private static void FourRows(float[] a, float[] b, float[] c, int i, int k, int n, bool accumulate)
    {
        ref float ra = ref MemoryMarshal.GetArrayDataReference(a);
        ref float rb = ref MemoryMarshal.GetArrayDataReference(b);
        ref float rc = ref MemoryMarshal.GetArrayDataReference(c);
        nuint a0 = (nuint)(i * k), a1 = a0 + (nuint)k, a2 = a1 + (nuint)k, a3 = a2 + (nuint)k;
        int j = 0;
        for (; j + 16 <= n; j += 16)
        {
            nuint c0 = (nuint)((i * n) + j), c1 = c0 + (nuint)n, c2 = c1 + (nuint)n, c3 = c2 + (nuint)n;
            Vector256<float> s00, s01, s10, s11, s20, s21, s30, s31;
            if (accumulate)
            {
                s00 = Vector256.LoadUnsafe(ref rc, c0); s01 = Vector256.LoadUnsafe(ref rc, c0 + 8);
                s10 = Vector256.LoadUnsafe(ref rc, c1); s11 = Vector256.LoadUnsafe(ref rc, c1 + 8);
                s20 = Vector256.LoadUnsafe(ref rc, c2); s21 = Vector256.LoadUnsafe(ref rc, c2 + 8);
                s30 = Vector256.LoadUnsafe(ref rc, c3); s31 = Vector256.LoadUnsafe(ref rc, c3 + 8);
            }
            else
            {
                s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = Vector256<float>.Zero;
            }

            nuint bp = (nuint)j;
            for (nuint p = 0; p < (nuint)k; p++, bp += (nuint)n)
            {
                var b0 = Vector256.LoadUnsafe(ref rb, bp);
                var b1 = Vector256.LoadUnsafe(ref rb, bp + 8);
                var x = Vector256.Create(Unsafe.Add(ref ra, a0 + p));
                s00 = Vector256.FusedMultiplyAdd(x, b0, s00); s01 = Vector256.FusedMultiplyAdd(x, b1, s01);
                x = Vector256.Create(Unsafe.Add(ref ra, a1 + p));
                s10 = Vector256.FusedMultiplyAdd(x, b0, s10); s11 = Vector256.FusedMultiplyAdd(x, b1, s11);
                x = Vector256.Create(Unsafe.Add(ref ra, a2 + p));
                s20 = Vector256.FusedMultiplyAdd(x, b0, s20); s21 = Vector256.FusedMultiplyAdd(x, b1, s21);
                x = Vector256.Create(Unsafe.Add(ref ra, a3 + p));
                s30 = Vector256.FusedMultiplyAdd(x, b0, s30); s31 = Vector256.FusedMultiplyAdd(x, b1, s31);
            }

            s00.StoreUnsafe(ref rc, c0); s01.StoreUnsafe(ref rc, c0 + 8);
            s10.StoreUnsafe(ref rc, c1); s11.StoreUnsafe(ref rc, c1 + 8);
            s20.StoreUnsafe(ref rc, c2); s21.StoreUnsafe(ref rc, c2 + 8);
            s30.StoreUnsafe(ref rc, c3); s31.StoreUnsafe(ref rc, c3 + 8);
        }

        for (; j < n; j++)
        {
            for (int r = 0; r < 4; r++)
            {
                c[((i + r) * n) + j] = Dot(a, b, i + r, j, k, n, accumulate ? c[((i + r) * n) + j] : 0f);
            }
        }
    }

    private static void OneRow(float[] a, float[] b, float[] c, int i, int k, int n, bool accumulate)
    {
        ref float ra = ref MemoryMarshal.GetArrayDataReference(a);
        ref float rb = ref MemoryMarshal.GetArrayDataReference(b);
        ref float rc = ref MemoryMarshal.GetArrayDataReference(c);
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + 16 <= n; j += 16)
            {
                nuint c0 = (nuint)((i * n) + j);
                var s0 = accumulate ? Vector256.LoadUnsafe(ref rc, c0) : Vector256<float>.Zero;
                var s1 = accumulate ? Vector256.LoadUnsafe(ref rc, c0 + 8) : Vector256<float>.Zero;
                nuint bp = (nuint)j;
                for (int p = 0; p < k; p++, bp += (nuint)n)
                {
                    var x = Vector256.Create(Unsafe.Add(ref ra, (i * k) + p));
                    s0 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref rb, bp), s0);
                    s1 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref rb, bp + 8), s1);
                }

                s0.StoreUnsafe(ref rc, c0);
                s1.StoreUnsafe(ref rc, c0 + 8);
            }
        }

        for (; j < n; j++)
        {
            c[(i * n) + j] = Dot(a, b, i, j, k, n, accumulate ? c[(i * n) + j] : 0f);
        }
    }

    private static float Dot(float[] a, float[] b, int i, int j, int k, int n, float sum)
    {
        for (int p = 0; p < k; p++)
        {
            sum = MathF.FusedMultiplyAdd(a[(i * k) + p], b[(p * n) + j], sum);
        }

        return sum;
    }
}
