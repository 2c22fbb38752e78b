using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;

namespace Vigil.Ocr.Bench;

/// <summary>How a post is printed and photographed.</summary>
internal enum Condition
{
    /// <summary>Black text on white, 22-34 pt at 72 dpi (x-height about 11-17 px), 1,000 px wide.</summary>
    Clean,

    /// <summary>9-11 pt (x-height about 5 px) in a 360 px column: a small screenshot or a leaflet far from the camera.</summary>
    Small,

    /// <summary>As clean, turned by 1.5 to 3.5 degrees either way.</summary>
    Rotated,

    /// <summary>As clean, dark grey on off-white paper, with Gaussian and impulse noise.</summary>
    Noise,

    /// <summary>A phone photo of a printed page: perspective, blur, uneven light, noise, JPEG at quality 70.</summary>
    Photo,

    /// <summary>A phone camera's full-size photo of a leaflet: 4,032 x 3,024 pixels (12 megapixels), 20-110 pt text on paper, slight blur and noise, JPEG at quality 85.</summary>
    Large,
}

/// <summary>Renders posts as leaflet-like images with ImageMagick (Debian's imagemagick, by its full path) and Pango.</summary>
internal sealed class Renderer(string folder)
{
    public const string Convert = "/usr/bin/convert";

    /// <summary>Fonts for Latin script, and their Debian packages.</summary>
    public static readonly (string Family, string Package)[] LatinFonts =
    [
        ("DejaVu Sans", "fonts-dejavu-core"), ("DejaVu Serif", "fonts-dejavu-core"), ("Liberation Sans", "fonts-liberation"), ("Noto Serif", "fonts-noto-core"),
    ];

    /// <summary>Fonts for Arabic script, and their Debian packages.</summary>
    public static readonly (string Family, string Package)[] ArabicFonts =
    [
        ("DejaVu Sans", "fonts-dejavu-core"), ("Noto Naskh Arabic", "fonts-noto-core"), ("Noto Sans Arabic", "fonts-noto-core"), ("Amiri", "fonts-hosny-amiri"),
    ];

    private static readonly int[] CleanSizes = [22, 26, 30, 34];
    private static readonly int[] SmallSizes = [9, 10, 11];
    private static readonly int[] LargeSizes = [20, 28, 40, 56, 80, 110];
    private static readonly double[] Angles = [-3.5, -2.5, -1.5, 1.5, 2.5, 3.5];

    /// <summary>Fonts that fontconfig does not know, with the packages that hold them.</summary>
    public static IReadOnlyList<string> MissingFonts()
    {
        var start = new ProcessStartInfo("fc-list") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(":");
        start.ArgumentList.Add("family");
        using var process = Process.Start(start)!;
        var families = process.StandardOutput.ReadToEnd().Split('\n').SelectMany(l => l.Split(',')).Select(f => f.Trim()).ToHashSet(StringComparer.Ordinal);
        process.WaitForExit();
        return [.. LatinFonts.Concat(ArabicFonts).Distinct().Where(f => !families.Contains(f.Family)).Select(f => $"{f.Family} ({f.Package})")];
    }

    /// <summary>The font a post is printed in (the same in every condition).</summary>
    public static string FontOf(BenchPost post)
    {
        var fonts = post.Language == "ar" ? ArabicFonts : LatinFonts;
        return fonts[Sample.Pick(post, "font", fonts.Length)].Family;
    }

    /// <summary>The image of a post in a condition, rendered unless already there; returns its path.</summary>
    public async Task<string> RenderAsync(BenchPost post, Condition condition, CancellationToken cancellationToken)
    {
        string name = $"{post.Key}-{condition.ToString().ToLowerInvariant()}";
        string path = Path.Combine(folder, name + (condition is Condition.Photo or Condition.Large ? ".jpg" : ".png"));
        if (File.Exists(path))
        {
            return path;
        }

        string font = FontOf(post);
        bool small = condition == Condition.Small;
        bool large = condition == Condition.Large;
        int size = small ? SmallSizes[Sample.Pick(post, "small", SmallSizes.Length)]
            : large ? LargeSizes[(post.Number - 1) % LargeSizes.Length] // each size in each language: from far away to close up
            : CleanSizes[Sample.Pick(post, "size", CleanSizes.Length)];
        bool paper = condition is Condition.Noise or Condition.Photo or Condition.Large;
        List<string> args =
        [
            "-background", paper ? "#f4efe1" : "white", "-fill", paper ? "#262626" : "black", "-font", font, "-pointsize", Num(size),
            "-size", small ? "360x" : large ? "3400x" : "1000x", "-define", "pango:markup=false", "-define", "pango:wrap=word",
            "pango:" + Escape(post.Printed), "-bordercolor", paper ? "#f4efe1" : "white", "-border", small ? "10" : "40",
        ];
        string temporary = Path.Combine(folder, $"{name}.{Environment.CurrentManagedThreadId}.tmp.png");
        switch (condition)
        {
            case Condition.Rotated:
                args.AddRange(["-rotate", Num(Angles[Sample.Pick(post, "angle", Angles.Length)])]);
                break;
            case Condition.Noise:
                args.AddRange(["-attenuate", "0.6", "+noise", "Gaussian", "-attenuate", "0.05", "+noise", "Impulse"]);
                break;
            case Condition.Large:
                args.AddRange(["-gravity", "center", "-extent", "4032x3024", "-blur", "0x1.2", "-attenuate", "0.3", "+noise", "Gaussian", "-quality", "85"]);
                break;
        }

        if (large)
        {
            args.AddRange(["-type", "TrueColor", path + ".tmp.jpg"]);
            await RunAsync(args, name, cancellationToken);
            File.Move(path + ".tmp.jpg", path, overwrite: true);
            return path;
        }

        args.AddRange(["-type", "TrueColor", condition == Condition.Photo ? temporary : path + ".tmp.png"]);
        await RunAsync(args, name, cancellationToken);
        if (condition != Condition.Photo)
        {
            File.Move(path + ".tmp.png", path, overwrite: true);
            return path;
        }

        // The photo: the corners moved by 1-4% inwards (the page seen at an angle), out of focus, lit from one side.
        var (width, height) = PngSize(temporary);
        double Inset(string corner, int of) => of * (0.01 + (0.03 * Sample.Pick(post, corner, 100) / 100.0));
        string perspective = string.Join(' ', new[]
        {
            $"0,0,{Num(Inset("x0", width))},{Num(Inset("y0", height))}",
            $"{width},0,{Num(width - Inset("x1", width))},{Num(Inset("y1", height))}",
            $"0,{height},{Num(Inset("x2", width))},{Num(height - Inset("y2", height))}",
            $"{width},{height},{Num(width - Inset("x3", width))},{Num(height - Inset("y3", height))}",
        });
        string light = Sample.Pick(post, "light", 2) == 0 ? "white-#9a9a9a" : "#a4a4a4-white";
        await RunAsync(
            [
                temporary, "-virtual-pixel", "background", "-background", "#5a5a5a", "-distort", "Perspective", perspective,
                "-blur", "0x1.1",
                "(", "-size", $"{width}x{height}", "gradient:" + light, "-rotate", "90", "-resize", $"{width}x{height}!", ")",
                "-compose", "Multiply", "-composite",
                "-attenuate", "0.35", "+noise", "Gaussian", "-quality", "70", path + ".tmp.jpg",
            ],
            name,
            cancellationToken);
        File.Move(path + ".tmp.jpg", path, overwrite: true);
        File.Delete(temporary);
        return path;
    }

    /// <summary>Text for ImageMagick's pango: coder: a leading space (a leading @ would name a file), and its
    /// escapes (%, backslash) and Pango's entities (&amp;) doubled so that the text is printed as it is.</summary>
    private static string Escape(string text) =>
        " " + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "%%", StringComparison.Ordinal).Replace("&", "&amp;", StringComparison.Ordinal);

    private static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static (int Width, int Height) PngSize(string path)
    {
        Span<byte> header = stackalloc byte[24];
        using var file = File.OpenRead(path);
        file.ReadExactly(header);
        return (BinaryPrimitives.ReadInt32BigEndian(header[16..]), BinaryPrimitives.ReadInt32BigEndian(header[20..]));
    }

    /// <summary>Runs convert, once more if it fails (it has been seen to abort now and then on a loaded machine).</summary>
    private static async Task RunAsync(IReadOnlyList<string> arguments, string image, CancellationToken cancellationToken)
    {
        try
        {
            await RunOnceAsync(arguments, image, cancellationToken);
        }
        catch (InvalidOperationException)
        {
            await RunOnceAsync(arguments, image, cancellationToken);
        }
    }

    private static async Task RunOnceAsync(IReadOnlyList<string> arguments, string image, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Convert) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MAGICK_THREAD_LIMIT"] = "1";
        start.Environment["OMP_THREAD_LIMIT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Convert} could not be started");
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Convert} failed on {image} (exit code {process.ExitCode}): {error.Trim()[..Math.Min(300, error.Trim().Length)]}");
        }
    }
}
