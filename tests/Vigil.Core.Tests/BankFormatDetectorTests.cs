using System.Text;
using Vigil.Core.Banks;

namespace Vigil.Core.Tests;

public class BankFormatDetectorTests
{
    private const string Pdq = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

    [Theory]
    [InlineData(Pdq + ",100,photos/x.jpg\n", BankFileFormat.Plain)] // vigil hash's output
    [InlineData("# known\n\n" + Pdq + "\n", BankFileFormat.Plain)]
    [InlineData("pdq " + Pdq + "\n", BankFileFormat.Plain)]
    [InlineData("signal_type,signal_str,collab,category,tags\npdq," + Pdq + ",c,TRUE_POSITIVE,\n", BankFileFormat.ThreatExchangeCsv)]
    [InlineData("\uFEFF\"Signal_Str\",\"signal_type\"\n", BankFileFormat.ThreatExchangeCsv)]
    [InlineData("id,signal_type_name,signal_string\n", BankFileFormat.Plain)]
    [InlineData("  [\n{\"hash_digest\": \"x\"}]", BankFileFormat.TatJson)]
    [InlineData("{\"hash_digest\": \"x\"}\n", BankFileFormat.TatJson)]
    [InlineData("", BankFileFormat.Plain)]
    public void Tells_the_format_from_the_content(string content, BankFileFormat expected) =>
        Assert.Equal(expected, BankFormatDetector.Detect(Encoding.UTF8.GetBytes(content)));

    [Fact]
    public void A_stream_that_cannot_seek_is_read_whole_after_detection()
    {
        var content = "signal_type,signal_str\n" + string.Concat(Enumerable.Repeat("pdq," + Pdq + "\n", 2000));
        using var pipe = new NonSeekable(Encoding.UTF8.GetBytes(content));
        Assert.Equal(BankFileFormat.ThreatExchangeCsv, BankFormatDetector.Detect(pipe, out var replay));
        using var reader = new StreamReader(replay);
        Assert.Equal(content, reader.ReadToEnd());

        using var file = new MemoryStream(Encoding.UTF8.GetBytes(content));
        Assert.Equal(BankFileFormat.ThreatExchangeCsv, BankFormatDetector.Detect(file, out var same));
        Assert.Same(file, same);
        Assert.Equal(0, file.Position);
    }

    [Fact]
    public void Advice_says_how_the_file_was_read_and_how_to_name_a_format()
    {
        string advice = BankFormatDetector.Advice(BankFileFormat.Plain, detected: true, "--format");
        Assert.Contains("read as plain (format auto, from its content", advice, StringComparison.Ordinal);
        Assert.All(BankFileFormats.Names, name => Assert.Contains(name + " (", advice, StringComparison.Ordinal));
        Assert.EndsWith("with --format", advice, StringComparison.Ordinal);
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 100));
    }
}
