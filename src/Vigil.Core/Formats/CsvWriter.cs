namespace Vigil.Core.Formats;

/// <summary>Writes RFC 4180 CSV: a field is quoted when it holds the delimiter, a quote or a line break.</summary>
/// <param name="neutraliseFormulas">Whether cells a spreadsheet would run as a formula are written inert
/// (<see cref="CsvFormulas.Neutralise"/>); <see cref="CsvFormulas.Restore"/> reads them back exactly.</param>
public sealed class CsvWriter(TextWriter writer, char delimiter = ',', bool neutraliseFormulas = false)
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
            WriteField(neutraliseFormulas ? CsvFormulas.Neutralise(field ?? string.Empty) : field ?? string.Empty);
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

/// <summary>
/// Spreadsheet formula injection (CWE-1236): a CSV cell that starts with <c>= + - @</c>, a tab or a carriage return is
/// run as a formula by Excel, LibreOffice and Google Sheets when the file is opened. <see cref="Neutralise"/> puts an
/// apostrophe before such a cell (spreadsheets show the text as it is, and run nothing); so that every value still
/// reads back exactly, a cell that already starts with an apostrophe followed by one of those characters (or by another
/// apostrophe) gets one too, and <see cref="Restore"/> takes exactly that one apostrophe off again.
/// </summary>
public static class CsvFormulas
{
    /// <summary>The first characters that make a spreadsheet run a cell.</summary>
    public static ReadOnlySpan<char> Triggers => "=+-@\t\r";

    /// <summary>The cell as written: inert in a spreadsheet.</summary>
    public static string Neutralise(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return NeedsMark(cell) ? "'" + cell : cell;
    }

    /// <summary>The value a cell written by <see cref="Neutralise"/> holds (a cell it did not mark is returned as it is).</summary>
    public static string Restore(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.Length >= 2 && cell[0] == '\'' && (Triggers.Contains(cell[1]) || cell[1] == '\'') ? cell[1..] : cell;
    }

    private static bool NeedsMark(string cell) =>
        cell.Length > 0 && (Triggers.Contains(cell[0]) || (cell[0] == '\'' && cell.Length >= 2 && (Triggers.Contains(cell[1]) || cell[1] == '\'')));
}
