using System.Text;

namespace Vigil.Core.Banks;

/// <summary>
/// The <c>auto</c> format of bank imports (<c>vigil bank import</c> and <c>POST /v1/banks/{name}/import</c>): told from
/// the file's content, never its name, so that Vigil imports its own output (<c>vigil hash x.jpg &gt; hashes.csv</c> is a
/// plain list). The first line that is not blank or a <c>#</c> comment decides: JSON (<c>{</c> or <c>[</c>) is Tech
/// Against Terrorism JSON; a CSV header with the columns <c>signal_type</c> and <c>signal_str</c> is ThreatExchange CSV;
/// anything else (<c>HASH</c>, <c>TYPE HASH</c>, <c>HASH,quality,path</c>) is a plain list. Documents are never
/// guessed: they are named.
/// </summary>
public static class BankFormatDetector
{
    /// <summary>How much of the start of a file detection reads.</summary>
    public const int SampleBytes = 16 * 1024;

    /// <summary>How <c>auto</c> decides, for messages.</summary>
    public const string Rule = "tat-json if it starts with { or [, te-csv if its first line is a header with signal_type and signal_str, else plain";

    /// <summary>The formats an import reads, for messages.</summary>
    public const string Formats =
        "plain (a hash a line, 'TYPE HASH', or HASH,quality,path as vigil hash writes), te-csv (ThreatExchange CSV with a signal_type,signal_str header), " +
        "tat-json (Tech Against Terrorism hash list JSON), documents (texts, one a line)";

    /// <summary>The format of a file that starts with <paramref name="start"/> (its first <see cref="SampleBytes"/> bytes, or all of it).</summary>
    public static BankFileFormat Detect(ReadOnlySpan<byte> start)
    {
        var text = Encoding.UTF8.GetString(start[..Math.Min(start.Length, SampleBytes)]);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim().TrimStart('\uFEFF').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line[0] is '{' or '[')
            {
                return BankFileFormat.TatJson;
            }

            var columns = line.Split(',').Select(c => c.Trim().Trim('"').Trim()).ToList();
            return columns.Contains("signal_type", StringComparer.OrdinalIgnoreCase) && columns.Contains("signal_str", StringComparer.OrdinalIgnoreCase)
                ? BankFileFormat.ThreatExchangeCsv
                : BankFileFormat.Plain;
        }

        return BankFileFormat.Plain;
    }

    /// <summary>
    /// The format of <paramref name="stream"/>, from its first bytes; <paramref name="content"/> reads the whole stream from
    /// where it was (a seekable stream is rewound, any other is read again from what detection read).
    /// </summary>
    public static BankFileFormat Detect(Stream stream, out Stream content)
    {
        ArgumentNullException.ThrowIfNull(stream);
        long position = stream.CanSeek ? stream.Position : 0;
        var buffer = new byte[SampleBytes];
        int length = 0;
        while (length < buffer.Length && stream.Read(buffer, length, buffer.Length - length) is > 0 and var read)
        {
            length += read;
        }

        var format = Detect(buffer.AsSpan(0, length));
        if (stream.CanSeek)
        {
            stream.Position = position;
            content = stream;
        }
        else
        {
            content = new PrefixedStream(buffer.AsMemory(0, length), stream);
        }

        return format;
    }

    /// <summary>
    /// What to tell someone whose file gave no usable row: how it was read, which formats there are, and how to name one
    /// (<paramref name="howToName"/>: <c>--format</c>, say).
    /// </summary>
    public static string Advice(BankFileFormat format, bool detected, string howToName) =>
        (detected ? $"it was read as {format.ToWire()} (format auto, from its content: {Rule})" : $"it was read as {format.ToWire()}") +
        $"; the formats are {Formats}: name the file's with {howToName}";

    /// <summary>Reads the bytes detection read, then the rest of the stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;
        private readonly Stream _rest = rest;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty)
            {
                return _rest.Read(buffer);
            }

            int n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _rest.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
