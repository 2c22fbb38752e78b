using System.Runtime.Intrinsics.X86;

namespace Vigil.Media;

/// <summary>
/// Meta's PDQ perceptual hash, "fullres" profile (as Java PDQHasher, pdqhash-python,
/// python-threatexchange and HMA): the core algorithm runs on the full-resolution image, with no
/// pre-resize. Output is bit-identical to the C++ reference for the same pixels.
/// </summary>
/// <remarks>
/// An instance reuses its working buffers between calls and is not thread-safe: use one per
/// thread. Images smaller than <see cref="MinDimension"/> in either dimension hash to
/// <see cref="PdqHash.Zero"/> with quality 0, as upstream.
/// </remarks>
public sealed class PdqHasher
{
    /// <summary>Smallest width and height that are hashed.</summary>
    public const int MinDimension = 5;

    private const int Size64 = PdqTransform.Size64;

    private readonly StripDownsampler? _strip;
    private readonly ScalarDownsampler? _scalar;
    private readonly float[] _buffer64x64 = new float[Size64 * Size64];
    private readonly float[] _buffer16x64 = new float[PdqTransform.Size16 * Size64];
    private readonly float[] _buffer16x16 = new float[PdqTransform.Size16 * PdqTransform.Size16];

    /// <summary>Creates a hasher, using the AVX2 path where the processor has it.</summary>
    public PdqHasher()
        : this(Avx2.IsSupported)
    {
    }

    /// <summary>For tests: <paramref name="vectorized"/> false forces the plain full-buffer path.</summary>
    internal PdqHasher(bool vectorized)
    {
        if (vectorized && !Avx2.IsSupported)
        {
            throw new PlatformNotSupportedException("The vectorised PDQ path needs AVX2.");
        }

        if (vectorized)
        {
            _strip = new StripDownsampler();
        }
        else
        {
            _scalar = new ScalarDownsampler();
        }
    }

    /// <summary>Hashes a row-major float luma plane (values nominally 0-255).</summary>
    public PdqResult Hash(ReadOnlySpan<float> luma, int width, int height)
    {
        CheckSize(luma.Length, width, height, 1, nameof(luma));
        var source = new FloatLumaSource(luma, width, height);
        return HashCore(source, allowDirect64: true, out _);
    }

    /// <summary>Hashes packed 8-bit RGB (3 bytes a pixel, row-major, no row padding).</summary>
    public PdqResult Hash(ReadOnlySpan<byte> rgb24, int width, int height)
    {
        CheckSize(rgb24.Length, width, height, 3, nameof(rgb24));
        var source = new Rgb24LumaSource(rgb24, width, height);
        return HashCore(source, allowDirect64: true, out _);
    }

    /// <summary>Hashes a decoded image.</summary>
    public PdqResult Hash(DecodedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Hash(image.Rgb24.Span, image.Width, image.Height);
    }

    /// <summary>The 8 dihedral hashes of a float luma plane.</summary>
    public PdqDihedralResult HashDihedral(ReadOnlySpan<float> luma, int width, int height)
    {
        CheckSize(luma.Length, width, height, 1, nameof(luma));
        var source = new FloatLumaSource(luma, width, height);
        return HashDihedralCore(source);
    }

    /// <summary>The 8 dihedral hashes of packed 8-bit RGB.</summary>
    public PdqDihedralResult HashDihedral(ReadOnlySpan<byte> rgb24, int width, int height)
    {
        CheckSize(rgb24.Length, width, height, 3, nameof(rgb24));
        var source = new Rgb24LumaSource(rgb24, width, height);
        return HashDihedralCore(source);
    }

    /// <summary>The 8 dihedral hashes of a decoded image.</summary>
    public PdqDihedralResult HashDihedral(DecodedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return HashDihedral(image.Rgb24.Span, image.Width, image.Height);
    }

    private PdqDihedralResult HashDihedralCore<TSource>(scoped in TSource source)
        where TSource : ILumaSource, allows ref struct
    {
        // The reference's dihedral entry point always blurs, even at 64x64.
        var result = HashCore(source, allowDirect64: false, out var hashed);
        if (!hashed)
        {
            var zero = PdqHash.Zero;
            return new PdqDihedralResult(zero, zero, zero, zero, zero, zero, zero, zero, 0);
        }

        return PdqTransform.ToDihedral(_buffer16x16, result.Quality);
    }

    private PdqResult HashCore<TSource>(scoped in TSource source, bool allowDirect64, out bool hashed)
        where TSource : ILumaSource, allows ref struct
    {
        hashed = source.Width >= MinDimension && source.Height >= MinDimension;
        if (!hashed)
        {
            return new PdqResult(PdqHash.Zero, 0);
        }

        var buffer64 = _buffer64x64.AsSpan();
        if (allowDirect64 && source.Width == Size64 && source.Height == Size64)
        {
            // As the reference's pdqFloat256FromFloatLuma: a 64x64 input is used as is.
            for (var row = 0; row < Size64; row++)
            {
                source.FillRow(row, buffer64.Slice(row * Size64, Size64));
            }
        }
        else if (_strip is not null)
        {
            _strip.Downsample(source, buffer64);
        }
        else
        {
            _scalar!.Downsample(source, buffer64);
        }

        var quality = PdqTransform.Quality(buffer64);
        PdqTransform.Dct64To16(buffer64, _buffer16x64, _buffer16x16);
        return new PdqResult(PdqTransform.ToHash(_buffer16x16), quality);
    }

    private static void CheckSize(int length, int width, int height, int channels, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        if ((long)width * height * channels != length)
        {
            throw new ArgumentException(
                $"Expected {width}x{height}x{channels} = {(long)width * height * channels} values, got {length}.", paramName);
        }
    }
}
