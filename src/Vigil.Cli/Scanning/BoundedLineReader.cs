using System.Text;

namespace Vigil.Cli.Scanning;

/// <summary>
/// Reads UTF-8 lines from a stream without ever holding more than a set number of characters of one line:
/// a longer line is skipped to its end and reported, so a single oversized or binary line cannot exhaust memory.
/// Invalid UTF-8 in a line is reported for that line only.
/// </summary>
internal sealed class BoundedLineReader(Stream stream, long maxLineChars)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly List<byte> _line = [];
    private readonly UTF8Encoding _strict = new(false, throwOnInvalidBytes: true);
    private int _position;
    private int _length;
    private long _lineNumber;
    private long _bytesRead;
    private bool _eof;

    public long TakeBytesRead()
    {
        long n = _bytesRead;
        _bytesRead = 0;
        return n;
    }

    public bool TryReadLine(out string line, out long number, out string? error)
    {
        _line.Clear();
        bool tooLong = false;
        bool sawAny = false;
        while (true)
        {
            if (_position == _length)
            {
                if (_eof)
                {
                    break;
                }

                _length = stream.Read(_buffer, 0, _buffer.Length);
                _position = 0;
                _bytesRead += _length;
                if (_length == 0)
                {
                    _eof = true;
                    break;
                }
            }

            sawAny = true;
            int newline = Array.IndexOf(_buffer, (byte)'\n', _position, _length - _position);
            int end = newline < 0 ? _length : newline;
            if (!tooLong)
            {
                if (_line.Count + (end - _position) > maxLineChars * 3)
                {
                    tooLong = true;
                    _line.Clear();
                }
                else
                {
                    _line.AddRange(new ArraySegment<byte>(_buffer, _position, end - _position));
                }
            }

            _position = newline < 0 ? _length : newline + 1;
            if (newline >= 0)
            {
                break;
            }
        }

        if (!sawAny)
        {
            line = "";
            number = _lineNumber;
            error = null;
            return false;
        }

        number = ++_lineNumber;
        if (tooLong)
        {
            line = "";
            error = $"line longer than {maxLineChars} characters; skipped";
            return true;
        }

        int count = _line.Count;
        if (count > 0 && _line[count - 1] == '\r')
        {
            count--;
        }

        int start = number == 1 && count >= 3 && _line[0] == 0xEF && _line[1] == 0xBB && _line[2] == 0xBF ? 3 : 0;
        try
        {
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_line).Slice(start, count - start);
            line = _strict.GetString(span);
            error = null;
        }
        catch (DecoderFallbackException)
        {
            line = "";
            error = "undecodable bytes (not UTF-8)";
        }

        return true;
    }
}

/// <summary>Counts the bytes read through it, for progress reporting.</summary>
internal sealed class CountingStream(Stream inner) : Stream
{
    private long _bytesRead;

    public long TakeBytesRead()
    {
        long n = _bytesRead;
        _bytesRead = 0;
        return n;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = inner.Read(buffer, offset, count);
        _bytesRead += n;
        return n;
    }

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        _bytesRead += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
