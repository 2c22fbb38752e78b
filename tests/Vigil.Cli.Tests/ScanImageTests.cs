using System.Text.Json;

namespace Vigil.Cli.Tests;

public class ScanImageTests
{
    private static readonly string[] ContractFields = ["id", "verdict", "labels", "scores", "context", "language", "evidence", "legal_basis"];

    private static List<JsonElement> Lines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private static IEnumerable<string> Signals(JsonElement line) =>
        line.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("signal").GetString()!);

    [Fact]
    public void A_folder_of_images_and_text_goes_through_one_verdict_each_in_order()
    {
        using var temp = new TempFolder();
        string folder = Path.Combine(temp.Path, "posts");
        Directory.CreateDirectory(folder);
        File.Copy(MediaTestData.PathOf(MediaTestData.BridgeJpeg), Path.Combine(folder, "a-photo.jpg"));
        MediaTestData.RenderText(Path.Combine(folder, "b-leaflet.png"), "new release from amaq, share it");
        File.WriteAllText(Path.Combine(folder, "c-note.txt"), "gardening club meets on day 3");
        File.WriteAllBytes(Path.Combine(folder, "d-broken.jpg"), MediaTestData.Truncated());
        File.Copy(MediaTestData.PathOf("images/misc-images/wee.jpg"), Path.Combine(folder, "e-no-extension"));

        string hash = VigilProcess.Run(temp.Path, "hash", Path.Combine(folder, "a-photo.jpg")).Stdout.Split(',')[0];
        temp.Write("bank.txt", hash + "\n");
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "import", "tvec", "bank.txt", "--create", "--category", "terrorism.emblem").ExitCode);

        var result = VigilProcess.Run(temp.Path, "scan", folder, "--quiet", "--threads", "2");

        Assert.Equal(0, result.ExitCode);
        var lines = Lines(result.Stdout);
        Assert.Equal(["a-photo.jpg", "b-leaflet.png", "c-note.txt", "d-broken.jpg", "e-no-extension"], lines.Select(l => Path.GetFileName(l.GetProperty("id").GetString()!)));

        var photo = lines[0];
        Assert.Equal(ContractFields, photo.EnumerateObject().Select(p => p.Name));
        Assert.Equal("violating", photo.GetProperty("verdict").GetString());
        Assert.Equal(["terrorism.emblem"], photo.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1.0, photo.GetProperty("scores").GetProperty("terrorism.emblem").GetDouble());
        var evidence = photo.GetProperty("evidence")[0];
        Assert.Equal("pdq", evidence.GetProperty("signal").GetString());
        Assert.Contains("bank 'tvec' entry 1: pdq distance 0 of 31", evidence.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("UK TA 2000 s.13", photo.GetProperty("legal_basis")[0].GetString());

        var leaflet = lines[1];
        Assert.Equal(ContractFields, leaflet.EnumerateObject().Select(p => p.Name));
        Assert.Equal("review", leaflet.GetProperty("verdict").GetString());
        Assert.Contains("terrorism.propaganda", leaflet.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
        var ocr = leaflet.GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("signal").GetString() == "ocr");
        Assert.Contains("b-leaflet.png", ocr.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var lexicon = leaflet.GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("signal").GetString() == "lexicon");
        string text = "new release from amaq, share it";
        Assert.Equal(text.Length, ocr.GetProperty("end").GetInt32());
        Assert.Equal("amaq", text[lexicon.GetProperty("start").GetInt32()..lexicon.GetProperty("end").GetInt32()]);

        Assert.Equal("clear", lines[2].GetProperty("verdict").GetString());
        // An image that does not decode is not passed as clear: it goes to review, saying why.
        var broken = lines[3];
        Assert.Equal(ContractFields, broken.EnumerateObject().Select(p => p.Name));
        Assert.Equal("review", broken.GetProperty("verdict").GetString());
        var unreadable = broken.GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("signal").GetString() == "media.unreadable");
        Assert.Contains("d-broken.jpg' could not be analysed: truncated image", unreadable.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("clear", lines[4].GetProperty("verdict").GetString());
        Assert.DoesNotContain("pdq", Signals(lines[4]));
    }

    [Fact]
    public void Without_tesseract_or_banks_it_says_so_once_and_carries_on_with_hashes()
    {
        using var temp = new TempFolder();
        string folder = Path.Combine(temp.Path, "images");
        Directory.CreateDirectory(folder);
        MediaTestData.RenderText(Path.Combine(folder, "one.png"), "new release from amaq, share it");
        File.Copy(MediaTestData.PathOf(MediaTestData.BridgeJpeg), Path.Combine(folder, "two.jpg"));
        File.Copy(MediaTestData.PathOf("images/misc-images/c.png"), Path.Combine(folder, "three.png"));

        // PATH without the folder that holds tesseract.
        var environment = new Dictionary<string, string?> { ["PATH"] = Path.GetDirectoryName(Path.GetFullPath("/usr/share/dotnet/dotnet")) };
        var result = VigilProcess.RunWithEnvironment(temp.Path, null, environment, "scan", folder, "--quiet", "--threads", "2");

        Assert.Equal(0, result.ExitCode);
        var lines = Lines(result.Stdout);
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.Equal("clear", l.GetProperty("verdict").GetString()));
        Assert.Equal(1, Count(result.Stderr, "OCR is unavailable"));
        Assert.Equal(1, Count(result.Stderr, "no hash banks"));
        Assert.Contains("install Debian's tesseract-ocr", result.Stderr, StringComparison.Ordinal);

        var noOcr = VigilProcess.Run(temp.Path, "scan", folder, "--quiet", "--no-ocr");
        Assert.Equal(0, noOcr.ExitCode);
        Assert.DoesNotContain("OCR", noOcr.Stderr, StringComparison.Ordinal);
        Assert.All(Lines(noOcr.Stdout), l => Assert.DoesNotContain("ocr", Signals(l)));
    }

    [Fact]
    public void Unusable_images_go_to_review_and_files_too_large_to_read_become_error_records()
    {
        using var temp = new TempFolder();
        temp.WriteBytes("huge.jpg", MediaTestData.HugeDeclaredSize());
        temp.WriteBytes("corrupt.png", MediaTestData.CorruptPng());
        temp.WriteBytes("empty.gif", []);
        temp.Write("posts.jsonl", "{\"id\":\"p1\",\"text\":\"hello there\"}\n");

        using (var over = File.Create(Path.Combine(temp.Path, "over.png")))
        {
            over.SetLength((100 * 1024 * 1024) + 1); // over the decoder's limit, so not even read (sparse: nothing is written)
        }

        var result = VigilProcess.Run(temp.Path, "scan", "huge.jpg", "corrupt.png", "empty.gif", "over.png", "posts.jsonl", "--quiet", "--no-ocr");

        Assert.Equal(1, result.ExitCode);
        var lines = Lines(result.Stdout);
        Assert.Equal(5, lines.Count);
        foreach (var (line, why) in new[] { (lines[0], "image too large"), (lines[1], "corrupt image"), (lines[2], "empty file") })
        {
            Assert.Equal("review", line.GetProperty("verdict").GetString());
            var evidence = Assert.Single(line.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("signal").GetString() == "media.unreadable");
            Assert.Contains($"could not be analysed: {why}", evidence.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // The bytes that could be read are still matched by their exact hashes (an empty file has none worth matching).
        Assert.StartsWith("image too large", lines[3].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("over.png", lines[3].GetProperty("source").GetString());
        Assert.Equal("p1", lines[4].GetProperty("id").GetString());
    }

    private static int Count(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
