using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Vigil.Media;

/// <summary>Row access to the luma plane of an image, whatever its pixel format.</summary>
internal interface ILumaSource
{
    int Width { get; }

    int Height { get; }

    /// <summary>Writes the luma of one row (<see cref="Width"/> values).</summary>
    void FillRow(int row, Span<float> destination);

    /// <summary>
    /// Writes rows [row0, row0 + 8) transposed: destination[j * 8 + k] = luma(row0 + k, j). Needs
    /// <see cref="Avx2"/>; <paramref name="scratch"/> holds 8 rows.
    /// </summary>
    void FillStrip(int row0, Span<float> destination, Span<float> scratch);
}

/// <summary>A float luma plane, row-major.</summary>
internal readonly ref struct FloatLumaSource : ILumaSource
{
    private readonly ReadOnlySpan<float> _luma;

    public FloatLumaSource(ReadOnlySpan<float> luma, int width, int height)
    {
        _luma = luma;
        Width = width;
        Height = height;
    }

    public int Width { get; }

    public int Height { get; }

    public void FillRow(int row, Span<float> destination) =>
        _luma.Slice(row * Width, Width).CopyTo(destination);

    public void FillStrip(int row0, Span<float> destination, Span<float> scratch) =>
        StripTranspose.RowsToStrip(_luma[(row0 * Width)..], Width, destination);
}

/// <summary>
/// Packed 8-bit RGB, row-major. Luma is 0.299 R + 0.587 G + 0.114 B in float32, summed left to
/// right, as the reference's fillFloatLumaFromRGB.
/// </summary>
internal readonly ref struct Rgb24LumaSource : ILumaSource
{
    internal const float RedCoefficient = 0.299f;
    internal const float GreenCoefficient = 0.587f;
    internal const float BlueCoefficient = 0.114f;

    private readonly ReadOnlySpan<byte> _rgb;

    public Rgb24LumaSource(ReadOnlySpan<byte> rgb, int width, int height)
    {
        _rgb = rgb;
        Width = width;
        Height = height;
    }

    public int Width { get; }

    public int Height { get; }

    public void FillRow(int row, Span<float> destination)
    {
        var pixels = _rgb.Slice(row * Width * 3, Width * 3);
        var j = 0;
        if (Avx2.IsSupported)
        {
            j = FillRowVector(pixels, destination);
        }

        for (; j < Width; j++)
        {
            destination[j] = Luma(pixels[3 * j], pixels[(3 * j) + 1], pixels[(3 * j) + 2]);
        }
    }

    public void FillStrip(int row0, Span<float> destination, Span<float> scratch)
    {
        for (var k = 0; k < 8; k++)
        {
            FillRow(row0 + k, scratch.Slice(k * Width, Width));
        }

        StripTranspose.RowsToStrip(scratch, Width, destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Luma(byte r, byte g, byte b) =>
        (RedCoefficient * r) + (GreenCoefficient * g) + (BlueCoefficient * b);

    /// <summary>Eight pixels at a time: two overlapping 16-byte loads, byte shuffles to R, G, B lanes.</summary>
    private static int FillRowVector(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        // Each 128-bit half holds 4 pixels in its first 12 bytes; a 0x80 index yields zero.
        var redMask = Vector256.Create(
            (byte)0, 0x80, 0x80, 0x80, 3, 0x80, 0x80, 0x80, 6, 0x80, 0x80, 0x80, 9, 0x80, 0x80, 0x80,
            0, 0x80, 0x80, 0x80, 3, 0x80, 0x80, 0x80, 6, 0x80, 0x80, 0x80, 9, 0x80, 0x80, 0x80);
        var greenMask = Vector256.Create(
            (byte)1, 0x80, 0x80, 0x80, 4, 0x80, 0x80, 0x80, 7, 0x80, 0x80, 0x80, 10, 0x80, 0x80, 0x80,
            1, 0x80, 0x80, 0x80, 4, 0x80, 0x80, 0x80, 7, 0x80, 0x80, 0x80, 10, 0x80, 0x80, 0x80);
        var blueMask = Vector256.Create(
            (byte)2, 0x80, 0x80, 0x80, 5, 0x80, 0x80, 0x80, 8, 0x80, 0x80, 0x80, 11, 0x80, 0x80, 0x80,
            2, 0x80, 0x80, 0x80, 5, 0x80, 0x80, 0x80, 8, 0x80, 0x80, 0x80, 11, 0x80, 0x80, 0x80);
        var cr = Vector256.Create(RedCoefficient);
        var cg = Vector256.Create(GreenCoefficient);
        var cb = Vector256.Create(BlueCoefficient);

        ref var src = ref MemoryMarshal.GetReference(pixels);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        var width = destination.Length;
        var j = 0;

        // The second load reads bytes [3j + 12, 3j + 28): stay inside the row.
        for (; j + 8 <= width && (3 * j) + 28 <= pixels.Length; j += 8)
        {
            var offset = (nuint)(3 * j);
            var bytes = Vector256.Create(
                Vector128.LoadUnsafe(ref src, offset),
                Vector128.LoadUnsafe(ref src, offset + 12));
            var r = Vector256.ConvertToSingle(Avx2.Shuffle(bytes, redMask).AsInt32());
            var g = Vector256.ConvertToSingle(Avx2.Shuffle(bytes, greenMask).AsInt32());
            var b = Vector256.ConvertToSingle(Avx2.Shuffle(bytes, blueMask).AsInt32());
            ((cr * r) + (cg * g) + (cb * b)).StoreUnsafe(ref dst, (nuint)j);
        }

        return j;
    }
}
