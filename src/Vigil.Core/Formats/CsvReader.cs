using System.Text;

namespace Vigil.Core.Formats;

/// <summary>One CSV record: its fields, the 1-based line it starts on, and a problem if it is malformed.</summary>
public sealed record CsvRecord(long Line, IReadOnlyList<string> Fields, string? Error = null);

/// <summary>
/// A streaming RFC 4180 reader: quoted fields with doubled quotes, delimiters and line breaks inside quotes,
/// CRLF or LF line ends, any single-character delimiter. A malformed record is returned with an error and
/// reading carries on at the next line, so one bad row never costs the others.
/// </summary>
public sealed class CsvReader
{
    private readonly TextReader _reader;
    private readonly char _delimiter;
    private readonly int _maxFieldLength;
    private long _line = 1;
    private int _peeked = -2;

    public CsvReader(TextReader reader, char delimiter = ',', int maxFieldLength = 16 * 1024 * 1024)
    {
        if (delimiter is '"' or '\r' or '\n')
        {
            throw new ArgumentException("The delimiter cannot be a quote or a line break.", nameof(delimiter));
        }

        _reader = reader;
        _delimiter = delimiter;
        _maxFieldLength = maxFieldLength;
    }

    /// <summary>Reads every record. Blank lines are skipped.</summary>
    public IEnumerable<CsvRecord> ReadAll()
    {
        while (TryRead(out var record))
        {
            yield return record;
        }
    }

    public bool TryRead(out CsvRecord record)
    {
        while (true)
        {
            if (Peek() < 0)
            {
                record = null!;
                return false;
            }

            long startLine = _line;
            var fields = new List<string>();
            var field = new StringBuilder();
            string? error = null;
            bool atFieldStart = true;
            bool quoted = false;
            bool afterQuote = false;
            bool blank = true;

            while (true)
            {
                int c = Read();
                if (c < 0)
                {
                    if (quoted && !afterQuote)
                    {
                        error ??= $"unterminated quoted field starting on line {startLine}";
                    }

                    break;
                }

                if (quoted && !afterQuote)
                {
                    if (c == '"')
                    {
                        if (Peek() == '"')
                        {
                            Read();
                            Append(field, '"', ref error, startLine);
                        }
                        else
                        {
                            afterQuote = true;
                        }
                    }
                    else
                    {
                        Append(field, (char)c, ref error, startLine);
                    }

                    continue;
                }

                if (c == _delimiter)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    atFieldStart = true;
                    quoted = false;
                    afterQuote = false;
                    blank = false;
                    continue;
                }

                if (c is '\r' or '\n')
                {
                    if (c == '\r' && Peek() == '\n')
                    {
                        Read();
                    }

                    break;
                }

                blank = false;
                if (afterQuote)
                {
                    error ??= $"unexpected character '{(char)c}' after a closing quote on line {_line}";
                    Append(field, (char)c, ref error, startLine);
                    continue;
                }

                if (c == '"' && atFieldStart)
                {
                    quoted = true;
                    atFieldStart = false;
                    continue;
                }

                atFieldStart = false;
                Append(field, (char)c, ref error, startLine);
            }

            if (blank && fields.Count == 0 && field.Length == 0 && !quoted)
            {
                continue; // blank line
            }

            fields.Add(field.ToString());
            record = new CsvRecord(startLine, fields, error);
            return true;
        }
    }

    private void Append(StringBuilder field, char c, ref string? error, long startLine)
    {
        if (field.Length >= _maxFieldLength)
        {
            error ??= $"field longer than {_maxFieldLength} characters in the record starting on line {startLine}";
            return;
        }

        field.Append(c);
    }

    private int Peek()
    {
        if (_peeked == -2)
        {
            _peeked = _reader.Read();
        }

        return _peeked;
    }

    private int Read()
    {
        int c = Peek();
        _peeked = -2;
        if (c == '\n')
        {
            _line++;
        }

        return c;
    }
}
