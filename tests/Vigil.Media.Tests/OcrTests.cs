using System.Diagnostics;
using Vigil.Media.Ocr;

namespace Vigil.Media.Tests;

/// <summary>Renders text with ImageMagick (Debian's imagemagick, /usr/bin/convert) and reads it with Debian's tesseract-ocr.</summary>
public sealed class OcrTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vigil-ocr-").FullName;

    /// <summary>A PNG with black text on white, rendered by ImageMagick (called by its full path: another 'convert' may shadow it).</summary>
    internal static byte[] RenderText(string folder, string text, int width = 900, int height = 220, string rotate = "0", string font = "DejaVu-Sans") =>
        Convert(folder, ["-size", $"{width}x{height}", "xc:white", "-fill", "black", "-font", font, "-pointsize", "44",
            "-gravity", "center", "-annotate", "+0+0", text, "-rotate", rotate]);

    /// <summary>
    /// As <see cref="RenderText"/> but laid out by Pango, which shapes Arabic (joined letter forms, right to left); ImageMagick's
    /// own text drawing does not. The text must hold no '%', '\\' or '&amp;' (ImageMagick and Pango escapes).
    /// </summary>
    internal static byte[] RenderShaped(string folder, string text, string font = "DejaVu Sans") =>
        Convert(folder, ["-background", "white", "-fill", "black", "-font", font, "-pointsize", "44", "-size", "900x",
            "-define", "pango:markup=false", "pango: " + text, "-bordercolor", "white", "-border", "40"]);

    private static byte[] Convert(string folder, string[] arguments)
    {
        const string convert = "/usr/bin/convert";
        Assert.True(File.Exists(convert), "ImageMagick is needed for this test: apt-get install imagemagick (see .ci/run)");
        string path = Path.Combine(folder, $"text-{Guid.NewGuid():N}.png");
        var start = new ProcessStartInfo(convert) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[.. arguments, "-type", "TrueColor", path])
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

        var image = new ImageDecoder().Decode(RenderText(_folder, "Garden club meets on Friday"));
        var result = await ocr.ReadAsync(image);

        Assert.Equal(OcrStatus.Read, result.Status);
        Assert.Equal("Garden club meets on Friday", result.Text);
        Assert.StartsWith("tesseract", result.Engine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Variables_of_the_detected_script_replace_the_reading_parameters()
    {
        // A character blacklist for Latin script shows that the page, detected as Latin, was read with its own variables.
        var image = new ImageDecoder().Decode(RenderText(_folder, "new release from amaq, share it", font: "DejaVu-Serif"));
        var options = new TesseractOptions
        {
            ScriptParameters = new Dictionary<string, IReadOnlyList<string>> { ["Latin"] = ["tessedit_char_blacklist=e"], ["Arabic"] = [] },
        };
        var result = await new TesseractOcr(options).ReadAsync(image);

        Assert.Contains("script Latin", result.Engine, StringComparison.Ordinal);
        Assert.DoesNotContain('e', result.Text);
        Assert.Contains("amaq", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_a_proper_noun_in_latin_script_with_the_latin_models_alone()
    {
        // With every language in one pass (eng+ara+fra) Tesseract 5.3 read this render as "new release from 32230, share it":
        // the Arabic model won the unknown word. Script detection first reads it with eng+fra alone.
        var image = new ImageDecoder().Decode(RenderText(_folder, "new release from amaq, share it", font: "DejaVu-Serif"));
        var result = await new TesseractOcr().ReadAsync(image);
        Assert.Equal("new release from amaq, share it", result.Text);
        Assert.Contains("script Latin", result.Engine, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DejaVu-Sans")]
    [InlineData("DejaVu-Serif")]
    public async Task Reads_a_french_line_with_its_accents(string font)
    {
        var image = new ImageDecoder().Decode(RenderText(_folder, "Le marché ouvre à neuf heures près de l'église", width: 1200, font: font));
        var result = await new TesseractOcr().ReadAsync(image);
        Assert.Equal("Le marché ouvre à neuf heures près de l'église", result.Text);
        Assert.Contains("script Latin", result.Engine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_an_arabic_line_with_the_arabic_model()
    {
        const string line = "اجتماع نادي الحديقة يوم الجمعة"; // "the garden club meets on Friday"
        var image = new ImageDecoder().Decode(RenderShaped(_folder, line));
        var result = await new TesseractOcr().ReadAsync(image);
        Assert.Equal(line, result.Text);
        Assert.Contains("(ara; script Arabic", result.Engine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_detection_picks_the_languages_of_the_script()
    {
        var ocr = new TesseractOcr();
        var availability = await ocr.CheckAsync();
        Assert.Contains("script detection: Latin fra+eng, Arabic ara", availability.Description, StringComparison.Ordinal);

        var latin = await ocr.ReadAsync(new ImageDecoder().Decode(RenderText(_folder, "Garden club meets on Friday")));
        var arabic = await ocr.ReadAsync(new ImageDecoder().Decode(RenderShaped(_folder, "اجتماع نادي الحديقة يوم الجمعة")));
        Assert.StartsWith("tesseract", latin.Engine, StringComparison.Ordinal);
        Assert.Contains("(fra+eng; script Latin", latin.Engine, StringComparison.Ordinal);
        Assert.Contains("(ara; script Arabic", arabic.Engine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_without_text_is_read_with_every_language()
    {
        var blank = new DecodedImage(200, 100, Enumerable.Repeat((byte)255, 200 * 100 * 3).ToArray(), "PNG", 1);
        var result = await new TesseractOcr().ReadAsync(blank);
        Assert.Equal(OcrStatus.Read, result.Status);
        Assert.Equal("", result.Text);
        Assert.Contains("(fra+eng+ara; no script detected)", result.Engine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_combined_strategy_reads_with_every_language_in_one_pass()
    {
        var ocr = new TesseractOcr(new TesseractOptions(Strategy: OcrLanguageStrategy.Combined));
        var availability = await ocr.CheckAsync();
        Assert.Contains("(fra+eng+ara)", availability.Description, StringComparison.Ordinal);
        var result = await ocr.ReadAsync(new ImageDecoder().Decode(RenderText(_folder, "Garden club meets on Friday")));
        Assert.Equal("Garden club meets on Friday", result.Text);
        Assert.EndsWith("(fra+eng+ara)", result.Engine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_time_limit_covers_every_pass()
    {
        var ocr = new TesseractOcr(new TesseractOptions(Timeout: TimeSpan.FromMilliseconds(1)));
        await ocr.CheckAsync();
        var result = await ocr.ReadAsync(new ImageDecoder().Decode(RenderText(_folder, "hello there")));
        Assert.Equal(OcrStatus.Failed, result.Status);
        Assert.Contains("took longer than", result.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3", -3.0)]
    [InlineData("-2", 2.0)]
    [InlineData("0", 0.0)]
    public void Skew_is_measured_and_levelled(string rotate, double expected)
    {
        // ImageMagick turns clockwise for a positive angle: the line then falls to the right.
        var turned = Page.Upright(new ImageDecoder().Decode(RenderText(_folder, "The garden club meets on Friday at noon", width: 1100, rotate: rotate)));
        var (degrees, r, g, b) = Skew.Estimate(turned);
        Assert.InRange(degrees, expected - 0.3, expected + 0.3);
        Assert.All(new[] { r, g, b }, c => Assert.InRange(c, 245, 255)); // the ground: white, with a little of the letters' antialiased edges

        var level = Skew.Level(turned, degrees, r, g, b);
        Assert.InRange(Skew.Estimate(level).Degrees, -0.2, 0.2);
    }

    [Fact]
    public void Script_detection_report_is_parsed()
    {
        var found = ScriptDetection.Parse(
            "Page number: 0\nOrientation in degrees: 0\nRotate: 0\nOrientation confidence: 1.42\nScript: Arabic\nScript confidence: 10.00\n",
            "Estimating resolution as 334\nWarning. Invalid resolution 0 dpi. Using 70 instead.\n");
        Assert.Equal(new ScriptDetection("Arabic", 10.0, 334), found);

        var tooFew = ScriptDetection.Parse("", "Estimating resolution as 128\nToo few characters. Skipping this page\nError during processing.\n");
        Assert.Equal(new ScriptDetection(null, 0, 128), tooFew);
    }

    [Fact]
    public void A_tsv_reading_keeps_lines_and_paragraphs_and_weighs_confidence_by_length()
    {
        const string tsv = """
            level	page_num	block_num	par_num	line_num	word_num	left	top	width	height	conf	text
            1	1	0	0	0	0	0	0	900	220	-1	
            4	1	1	1	1	0	91	91	718	43	-1	
            5	1	1	1	1	1	91	101	89	25	90	club
            5	1	1	1	1	2	197	91	158	35	60	meets
            5	1	1	1	2	1	91	140	89	25	100	today
            5	1	2	1	1	1	91	200	89	25	-1	 
            5	1	2	1	1	2	91	200	89	25	80	here
            """;
        var reading = TsvReading.Parse(tsv);
        Assert.Equal("club meets\ntoday\n\nhere", reading.Text);
        Assert.Equal(((90.0 * 4) + (60 * 5) + (100 * 5) + (80 * 4)) / 18, reading.Confidence, 9);
        Assert.Equal(new TsvReading("", 0), TsvReading.Parse(""));
    }

    [Fact]
    public void A_sparse_reading_is_put_in_reading_order_by_position()
    {
        // Sparse text found the end of the first line (left, block 1) before its start (right, block 2); the second
        // line (block 3) lies below both.
        const string tsv = """
            level	page_num	block_num	par_num	line_num	word_num	left	top	width	height	conf	text
            5	1	1	1	1	1	176	60	81	45	92	c
            5	1	1	1	1	2	81	60	83	31	89	d
            5	1	2	1	1	1	973	59	64	45	91	a
            5	1	2	1	1	2	865	59	89	45	62	b
            5	1	3	1	1	1	984	135	53	63	93	e
            5	1	3	1	1	2	575	132	76	68	91	f
            """;
        Assert.Equal("c d\n\na b\n\ne f", TsvReading.Parse(tsv).Text);
        Assert.Equal("a b c d\ne f", TsvReading.Parse(tsv, rightToLeft: true).Text);
        Assert.Equal("c d a b\ne f", TsvReading.Parse(tsv, rightToLeft: false).Text);
    }

    [Fact]
    public void Languages_are_grouped_by_script_in_their_order()
    {
        Assert.Equal(["fra", "eng"], Scripts.LanguagesOf("Latin", ["fra", "ara", "eng"]));
        Assert.Equal(["ara"], Scripts.LanguagesOf("Arabic", ["fra", "ara", "eng"]));
        Assert.Empty(Scripts.LanguagesOf("Cyrillic", ["fra", "ara", "eng"]));
        Assert.Null(Scripts.Of("xyz"));
    }

    [Fact]
    public async Task An_image_over_the_pixel_budget_is_reduced_before_reading()
    {
        // 1,500 x 440 pixels (660,000) given to an engine of 165,000 at most: halved on each side, and still read.
        var image = new ImageDecoder().Decode(RenderText(_folder, "Garden club meets on Friday", width: 1500, height: 440));
        var result = await new TesseractOcr(new TesseractOptions { MaxPixels = 165_000 }).ReadAsync(image);
        Assert.Contains("reduced from 1500x440 to 750x220", result.Engine, StringComparison.Ordinal);
        Assert.Equal("Garden club meets on Friday", result.Text);
    }

    [Fact]
    public void A_page_is_reduced_in_proportion_to_fit_the_budget()
    {
        var page = new Page(new byte[7000 * 10 * 3], 7000, 10);
        Assert.Same(page, page.Reduced(70_000));
        var reduced = page.Reduced(17_500);
        Assert.Equal((3500, 5), (reduced.Width, reduced.Height));
        Assert.Equal(3500 * 5 * 3, reduced.Pixels.Length);
        Assert.True((long)reduced.Width * reduced.Height <= 17_500);
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
