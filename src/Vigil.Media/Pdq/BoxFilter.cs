using System.Runtime.Intrinsics;

namespace Vigil.Media;

/// <summary>Reads and writes one box-filter pass for 8 independent lanes.</summary>
internal interface IBoxLanes
{
    /// <summary>The 8 lane values at position <paramref name="index"/>.</summary>
    Vector256<float> Load(int index);

    /// <summary>Output <paramref name="index"/> is <paramref name="sum"/> / <paramref name="divisor"/> (the kernel may skip it).</summary>
    void Emit(int index, Vector256<float> sum, Vector256<float> divisor);
}

/// <summary>
/// The reference's one-dimensional box filter (box1DFloat): a running float sum with the window
/// growing at the start and shrinking at the end. The additions, subtractions and divisions happen
/// in exactly the reference's order, so every lane is bit-identical to it.
/// </summary>
internal static class BoxFilter
{
    /// <summary>Scalar form, literally the reference's four phases.</summary>
    internal static void Box1D(ReadOnlySpan<float> input, Span<float> output, int length, int stride, int window)
    {
        var half = (window + 2) / 2;
        int li = 0, ri = 0, oi = 0;
        var sum = 0f;
        var count = 0;

        for (var i = 0; i < half - 1; i++)
        {
            sum += input[ri];
            count++;
            ri += stride;
        }

        for (var i = 0; i < window - half + 1; i++)
        {
            sum += input[ri];
            count++;
            output[oi] = sum / count;
            ri += stride;
            oi += stride;
        }

        for (var i = 0; i < length - window; i++)
        {
            sum += input[ri];
            sum -= input[li];
            output[oi] = sum / count;
            li += stride;
            ri += stride;
            oi += stride;
        }

        for (var i = 0; i < half - 1; i++)
        {
            sum -= input[li];
            count--;
            output[oi] = sum / count;
            li += stride;
            oi += stride;
        }
    }

    /// <summary>The same four phases over 8 lanes at once.</summary>
    internal static void Run<TLanes>(ref TLanes lanes, int length, int window)
        where TLanes : IBoxLanes, allows ref struct
    {
        var half = (window + 2) / 2;
        var sum = Vector256<float>.Zero;
        var t = 0;

        for (; t < half - 1; t++)
        {
            sum += lanes.Load(t);
        }

        for (; t < window; t++)
        {
            sum += lanes.Load(t);
            lanes.Emit(t - half + 1, sum, Vector256.Create((float)(t + 1)));
        }

        var full = Vector256.Create((float)window);
        for (; t < length; t++)
        {
            sum += lanes.Load(t);
            sum -= lanes.Load(t - window);
            lanes.Emit(t - half + 1, sum, full);
        }

        for (var k = 0; k < half - 1; k++)
        {
            sum -= lanes.Load(length - window + k);
            lanes.Emit(length - half + 1 + k, sum, Vector256.Create((float)(window - 1 - k)));
        }
    }
}
