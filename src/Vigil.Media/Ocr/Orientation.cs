namespace Vigil.Media.Ocr;

/// <summary>Turns stored pixels upright by their EXIF orientation (1-8), for reading text.</summary>
internal static class Orientation
{
    /// <summary>The pixels as displayed: packed RGB24, and the displayed width and height.</summary>
    public static (ReadOnlyMemory<byte> Pixels, int Width, int Height) Apply(DecodedImage image)
    {
        int w = image.Width, h = image.Height, o = image.ExifOrientation;
        if (o is < 2 or > 8)
        {
            return (image.Rgb24, w, h);
        }

        bool swap = o >= 5;
        int outWidth = swap ? h : w, outHeight = swap ? w : h;
        var source = image.Rgb24.Span;
        var result = new byte[source.Length];
        for (int y = 0; y < outHeight; y++)
        {
            for (int x = 0; x < outWidth; x++)
            {
                // Where the displayed pixel (x, y) is stored.
                var (sx, sy) = o switch
                {
                    2 => (w - 1 - x, y),
                    3 => (w - 1 - x, h - 1 - y),
                    4 => (x, h - 1 - y),
                    5 => (y, x),
                    6 => (y, h - 1 - x),
                    7 => (w - 1 - y, h - 1 - x),
                    _ => (w - 1 - y, x),
                };
                source.Slice(((sy * w) + sx) * 3, 3).CopyTo(result.AsSpan(((y * outWidth) + x) * 3, 3));
            }
        }

        return (result, outWidth, outHeight);
    }
}
