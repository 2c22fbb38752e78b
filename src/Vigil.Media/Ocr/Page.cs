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

    /// <summary>Writes the page as a binary PPM (P6).</summary>
    public async Task WritePpmAsync(Stream stream)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"P6\n{Width} {Height}\n255\n"));
        await stream.WriteAsync(Pixels);
    }
}
