namespace Vigil.Core.Formats;

/// <summary>Writes RFC 4180 CSV: a field is quoted when it holds the delimiter, a quote or a line break.</summary>
public sealed class CsvWriter(TextWriter writer, char delimiter = ',')
{
    private readonly char[] _special = [delimiter, '"', '\r', '\n'];

    public void WriteRecord(IEnumerable<string?> fields)
    {
        bool first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                writer.Write(delimiter);
            }

            first = false;
            WriteField(field ?? string.Empty);
        }

        writer.Write('\n');
    }

    private void WriteField(string field)
    {
        if (field.IndexOfAny(_special) < 0)
        {
            writer.Write(field);
            return;
        }

        writer.Write('"');
        writer.Write(field.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }
}
