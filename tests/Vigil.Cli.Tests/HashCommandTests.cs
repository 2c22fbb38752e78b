using System.Text.Json;

namespace Vigil.Cli.Tests;

public class HashCommandTests
{
    private static string[] StdoutLines(VigilProcess.Result r) => r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Prints_the_reference_tools_lines_matching_the_expected_fullres_hashes()
    {
        var expected = File.ReadAllLines(MediaTestData.PathOf("expected/fullres.csv"))
            .Select(l => l.Split(','))
            .Where(f => f[2].StartsWith("images/", StringComparison.Ordinal))
            .ToList();
        var result = VigilProcess.Run(MediaTestData.Pdq, ["hash", "--threads", "2", .. expected.Select(f => f[2])]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        var lines = StdoutLines(result);
        Assert.Equal(expected.Count, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            var (hash, quality, path) = (expected[i][0], int.Parse(expected[i][1]), expected[i][2]);
            var fields = lines[i].Split(',');
            Assert.Equal(3, fields.Length);
            Assert.Equal(path, fields[2]);
            Assert.Matches("^[0-9a-f]{64}$", fields[0]);
            if (path.EndsWith(".png", StringComparison.Ordinal))
            {
                // PNGs decode to the exact pixels the reference hashed: bit-exact.
                Assert.Equal($"{hash},{quality},{path}", lines[i]);
            }
            else if (quality >= 80)
            {
                // Upstream's rule for JPEGs (decoders differ): within distance 10.
                Assert.True(MediaTestData.Distance(hash, fields[0]) <= 10, $"{path}: distance {MediaTestData.Distance(hash, fields[0])}");
            }
        }
    }

    [Fact]
    public void Dihedral_prints_eight_hashes_then_quality_and_path()
    {
        var expected = File.ReadAllLines(MediaTestData.PathOf("expected/fullres-dihedral.csv"))
            .Single(l => l.EndsWith(",images/reg-test-input/pen-and-coaster.png", StringComparison.Ordinal));
        var result = VigilProcess.Run(MediaTestData.Pdq, "hash", "--dihedral", "images/reg-test-input/pen-and-coaster.png");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected, result.Stdout.TrimEnd('\n'));
    }

    [Fact]
    public void Json_adds_md5_and_sha256()
    {
        var result = VigilProcess.Run(MediaTestData.Pdq, "hash", "--format", "json", "images/misc-images/wee.jpg");
        Assert.Equal(0, result.ExitCode);
        var json = JsonDocument.Parse(StdoutLines(result).Single()).RootElement;
        Assert.Equal("images/misc-images/wee.jpg", json.GetProperty("path").GetString());
        Assert.Matches("^[0-9a-f]{64}$", json.GetProperty("pdq").GetString()!);
        Assert.Matches("^[0-9a-f]{32}$", json.GetProperty("md5").GetString()!);
        Assert.Matches("^[0-9a-f]{64}$", json.GetProperty("sha256").GetString()!);
        Assert.Equal(34, json.GetProperty("width").GetInt32());
    }

    [Fact]
    public void Bad_files_get_an_error_line_each_the_others_are_hashed_and_the_exit_code_says_so()
    {
        using var temp = new TempFolder();
        temp.WriteBytes("truncated.jpg", MediaTestData.Truncated());
        temp.WriteBytes("huge.jpg", MediaTestData.HugeDeclaredSize());
        temp.WriteBytes("corrupt.png", MediaTestData.CorruptPng());
        temp.Write("notes.txt", "not an image at all");
        temp.WriteBytes("empty.png", []);
        File.Copy(MediaTestData.PathOf(MediaTestData.BridgeJpeg), Path.Combine(temp.Path, "good.jpg"));

        var result = VigilProcess.Run(temp.Path, "hash", "truncated.jpg", "good.jpg", "huge.jpg", "corrupt.png", "notes.txt", "empty.png", "missing.jpg");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(StdoutLines(result));
        Assert.EndsWith(",100,good.jpg", line, StringComparison.Ordinal);
        var errors = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(errors, e => e.StartsWith("vigil hash: truncated.jpg: truncated image", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("vigil hash: huge.jpg: image too large", StringComparison.Ordinal) && e.Contains("65000x65000", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("vigil hash: corrupt.png: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("vigil hash: notes.txt: not an image", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("vigil hash: empty.png: empty file", StringComparison.Ordinal));
        Assert.Contains(errors, e => e == "vigil hash: missing.jpg: no such file");
        Assert.Contains("6 file(s) could not be hashed", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Folders_expand_to_the_images_in_them()
    {
        var result = VigilProcess.Run(MediaTestData.Pdq, "hash", "images/misc-images");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["c.png", "small.jpg", "wee.jpg"], StdoutLines(result).Select(l => Path.GetFileName(l.Split(',')[2])));
    }
}
