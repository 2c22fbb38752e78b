using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Vigil.Media.Ocr;

/// <summary>The pixels Tesseract reads: packed RGB24, upright.</summary>
internal sealed record Page(ReadOnlyMemory<byte> Pixels, int Width, int Height)
{
    /// <summary>The image as displayed, by its EXIF orientation.</summary>
    public static Page Upright(DecodedImage image)
    {
        var (pixels, width, height) = Orientation.Apply(image);
        return new Page(pixels, width, height);
    }

    /// <summary>The page <paramref name="factor"/> times wider and higher (bicubic), for text too small to read well.</summary>
    public Page Enlarged(int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        if (factor == 1)
        {
            return this;
        }

        using var image = Image.LoadPixelData<Rgb24>(Pixels.Span, Width, Height);
        image.Mutate(x => x.Resize(Width * factor, Height * factor, KnownResamplers.Bicubic));
        var pixels = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(pixels);
        return new Page(pixels, image.Width, image.Height);
    }

    /// <summary>The page reduced in proportion (bicubic) to at most <paramref name="maxPixels"/> pixels; itself when it fits.</summary>
    public Page Reduced(long maxPixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 1);
        long pixels = (long)Width * Height;
        if (pixels <= maxPixels)
        {
            return this;
        }

        double scale = Math.Sqrt((double)maxPixels / pixels);
        int width = Math.Max(1, (int)(Width * scale)), height = Math.Max(1, (int)(Height * scale));
        using var image = Image.LoadPixelData<Rgb24>(Pixels.Span, Width, Height);
        image.Mutate(x => x.Resize(width, height, KnownResamplers.Bicubic));
        var reduced = new byte[width * height * 3];
        image.CopyPixelDataTo(reduced);
        return new Page(reduced, width, height);
    }

    /// <summary>Writes the page as a binary PPM (P6).</summary>
    public async Task WritePpmAsync(Stream stream)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"P6\n{Width} {Height}\n255\n"));
        await stream.WriteAsync(Pixels);
    }
}
