using System.Text;

namespace Vigil.Media.Tests;

public sealed class ContentHashesTests
{
    [Theory]
    [InlineData("", "d41d8cd98f00b204e9800998ecf8427e", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "900150983cd24fb0d6963f7d28e17f72", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("The quick brown fox jumps over the lazy dog", "9e107d9d372bb6826bd81d3542a419d6", "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592")]
    public void Known_vectors(string text, string md5, string sha256)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        Assert.Equal(new ContentHashes(md5, sha256), ContentHashes.Compute(bytes));
        using var stream = new MemoryStream(bytes);
        Assert.Equal(new ContentHashes(md5, sha256), ContentHashes.Compute(stream));
    }

    [Fact]
    public void Stream_and_span_agree_on_a_file_larger_than_the_read_buffer()
    {
        var bytes = File.ReadAllBytes(SharedData.PathOf("images/reg-test-input/pen-and-coaster.png"));
        Assert.True(bytes.Length > 81920 * 2);
        using var stream = File.OpenRead(SharedData.PathOf("images/reg-test-input/pen-and-coaster.png"));
        Assert.Equal(ContentHashes.Compute(bytes), ContentHashes.Compute(stream));
    }

    [Fact]
    public void Matches_coreutils_on_a_shared_image()
    {
        // md5sum / sha256sum of images/reg-test-input/pen-and-coaster.png.
        var bytes = File.ReadAllBytes(SharedData.PathOf("images/reg-test-input/pen-and-coaster.png"));
        Assert.Equal(
            new ContentHashes("e26b99893e82b864089da14d255df5a4", "9bb522d00383f83f462058e06a09cc01fde43c0cff0238031aaff8ca1cfdb36d"),
            ContentHashes.Compute(bytes));
    }
}
