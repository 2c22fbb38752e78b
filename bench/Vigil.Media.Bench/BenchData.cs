using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Vigil.Media.Bench;

/// <summary>Deterministic inputs: the bridge photo resized, or a synthetic image where it is missing.</summary>
internal static class BenchData
{
    /// <summary>The bridge photo from ../shared/pdq beside the repository root, if present.</summary>
    private static string? BridgePath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
        {
            dir = dir.Parent;
        }

        var path = dir is null ? null : Path.Combine(dir.FullName, "..", "shared", "pdq", "images", "reg-test-input", "dih", "bridge-1-original.jpg");
        return path is not null && File.Exists(path) ? path : null;
    }

    /// <summary>An RGB image of the given size and its JPEG encoding (quality 90).</summary>
    public static (byte[] Rgb24, byte[] Jpeg) Image(int width, int height)
    {
        using var image = BridgePath() is { } path ? Resized(path, width, height) : Synthetic(width, height);
        var rgb = new byte[width * height * 3];
        image.CopyPixelDataTo(rgb);
        using var jpeg = new MemoryStream();
        image.SaveAsJpeg(jpeg, new JpegEncoder { Quality = 90 });
        return (rgb, jpeg.ToArray());
    }

    public static PdqHash RandomHash(Random random) =>
        new((ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64());

    private static Image<Rgb24> Resized(string path, int width, int height)
    {
        var image = SixLabors.ImageSharp.Image.Load<Rgb24>(path);
        image.Mutate(x => x.Resize(width, height, KnownResamplers.Bicubic));
        return image;
    }

    private static Image<Rgb24> Synthetic(int width, int height)
    {
        var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image[x, y] = new Rgb24(
                    (byte)(128 + (100 * Math.Sin(x / 37.0))),
                    (byte)(128 + (100 * Math.Cos(y / 23.0))),
                    (byte)((x * y / 97) & 0xFF));
            }
        }

        return image;
    }
}
