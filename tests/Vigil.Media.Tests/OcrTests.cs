using System.Diagnostics;
using Vigil.Media.Ocr;

namespace Vigil.Media.Tests;

/// <summary>Renders text with ImageMagick (Debian's imagemagick, /usr/bin/convert) and reads it with Debian's tesseract-ocr.</summary>
public sealed class OcrTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vigil-ocr-").FullName;

    /// <summary>A PNG with black text on white, rendered by ImageMagick (called by its full path: another 'convert' may shadow it).</summary>
    internal static byte[] RenderText(string folder, string text, int width = 900, int height = 220, string rotate = "0")
    {
        const string convert = "/usr/bin/convert";
        Assert.True(File.Exists(convert), "ImageMagick is needed for this test: apt-get install imagemagick (see .ci/run)");
        string path = Path.Combine(folder, $"text-{Guid.NewGuid():N}.png");
        var start = new ProcessStartInfo(convert) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-size", $"{width}x{height}", "xc:white", "-fill", "black", "-font", "DejaVu-Sans", "-pointsize", "44",
            "-gravity", "center", "-annotate", "+0+0", text, "-rotate", rotate, "-type", "TrueColor", path])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"convert failed: {error}");
        return File.ReadAllBytes(path);
    }

    [Fact]
    public async Task Reads_text_rendered_in_the_test()
    {
        var ocr = new TesseractOcr();
        var availability = await ocr.CheckAsync();
        Assert.True(availability.Available, availability.Description);
        Assert.Contains("eng+ara+fra", availability.Description, StringComparison.Ordinal);

        var image = new ImageDecoder().Decode(RenderText(_folder, "Garden club meets on Friday"));
        var result = await ocr.ReadAsync(image);

        Assert.Equal(OcrStatus.Read, result.Status);
        Assert.Equal("Garden club meets on Friday", result.Text);
        Assert.StartsWith("tesseract", result.Engine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Applies_the_exif_orientation_before_reading()
    {
        // Stored rotated by 90 degrees anticlockwise; orientation 6 says "rotate 90 clockwise to display".
        var stored = new ImageDecoder().Decode(RenderText(_folder, "Bake sale at noon", rotate: "-90"));
        var result = await new TesseractOcr().ReadAsync(stored with { ExifOrientation = 6 });
        Assert.Equal("Bake sale at noon", result.Text);
    }

    [Fact]
    public async Task A_missing_tesseract_is_reported_not_thrown()
    {
        var ocr = new TesseractOcr(new TesseractOptions(Executable: Path.Combine(_folder, "no-such-tesseract")));
        var availability = await ocr.CheckAsync();
        Assert.False(availability.Available);
        Assert.Contains("not installed", availability.Description, StringComparison.Ordinal);

        var image = new ImageDecoder().Decode(RenderText(_folder, "hello"));
        var result = await ocr.ReadAsync(image);
        Assert.Equal(OcrStatus.Unavailable, result.Status);
        Assert.False(result.HasText);
    }

    [Fact]
    public async Task Missing_language_data_is_left_out_and_reported()
    {
        var ocr = new TesseractOcr(new TesseractOptions(Languages: ["eng", "xyz"]));
        var availability = await ocr.CheckAsync();
        Assert.True(availability.Available);
        Assert.Contains("(eng)", availability.Description, StringComparison.Ordinal);
        Assert.Contains("missing language data: xyz", availability.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_stops_the_process()
    {
        var image = new ImageDecoder().Decode(RenderText(_folder, "hello there"));
        var ocr = new TesseractOcr();
        await ocr.CheckAsync();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ocr.ReadAsync(image, cancel.Token));
    }

    [Fact]
    public void Orientation_turns_stored_pixels_upright()
    {
        // 3x2 stored image, pixel value = index; orientation 6 displays it 2 wide and 3 high.
        byte[] pixels = [.. Enumerable.Range(0, 6).SelectMany(i => new[] { (byte)i, (byte)i, (byte)i })];
        var image = new DecodedImage(3, 2, pixels, "PNG", 6);
        var (upright, width, height) = Orientation.Apply(image);
        Assert.Equal((2, 3), (width, height));
        // Stored rows [0 1 2] [3 4 5]; rotated clockwise: [3 0] [4 1] [5 2].
        Assert.Equal([3, 0, 4, 1, 5, 2], Enumerable.Range(0, 6).Select(i => (int)upright.Span[i * 3]));

        var (same, w1, h1) = Orientation.Apply(image with { ExifOrientation = 1 });
        Assert.Equal((3, 2), (w1, h1));
        Assert.Equal(pixels, same.ToArray());
    }

    [Fact]
    public void Clean_removes_form_feeds_and_trailing_blanks()
    {
        Assert.Equal("line one\n\nline two", OcrResult.Clean("\nline one  \n\nline two \n\f"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
