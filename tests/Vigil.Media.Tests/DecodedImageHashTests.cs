using Xunit.Abstractions;

namespace Vigil.Media.Tests;

/// <summary>Rule (2) of upstream's acceptance: on the image files, quality at least 80 implies distance at most 10.</summary>
public sealed class DecodedImageHashTests(ITestOutputHelper output)
{
    public static TheoryData<string> ImageFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in ExpectedHashes.FullRes.Keys.Where(k => k.StartsWith("images/", StringComparison.Ordinal)).Order())
        {
            data.Add(file);
        }

        return data;
    }

    [Fact]
    public void Every_image_file_is_listed()
    {
        var files = Directory.GetFiles(SharedData.PathOf("images"), "*", SearchOption.AllDirectories);
        Assert.Equal(31, files.Length);
        Assert.Equal(files.Length, ImageFiles().Count);
    }

    [Theory]
    [MemberData(nameof(ImageFiles))]
    public void ImageSharp_decoding_stays_within_upstream_tolerance(string file)
    {
        var (expectedHash, expectedQuality) = ExpectedHashes.FullRes[file];
        var image = new ImageDecoder().Decode(File.ReadAllBytes(SharedData.PathOf(file)));
        var result = new PdqHasher().Hash(image);
        var distance = result.Hash.Distance(expectedHash);
        output.WriteLine($"{file}: distance {distance}, quality {result.Quality} (expected {expectedQuality})");

        if (expectedQuality >= 80)
        {
            Assert.InRange(distance, 0, 10);
            Assert.InRange(result.Quality, 80, 100);
        }
        else
        {
            // Low-quality hashes carry no match guarantee upstream; the quality must still say so.
            Assert.InRange(result.Quality, 0, 49);
        }
    }
}
