using System.Text;
using Vigil.Core.Signals;

namespace Vigil.Core.Banks;

/// <summary>Writes bank entries in one of the <see cref="BankFileFormat"/>s, which <see cref="BankImporter"/> reads back.</summary>
public static class BankExporter
{
    /// <summary>
    /// Writes <paramref name="entries"/> to <paramref name="stream"/>. A plain list holds one signal type only,
    /// <paramref name="plainType"/>; the other formats hold every entry with all its labels and dates. A ThreatExchange CSV
    /// has its spreadsheet formulas neutralised (<see cref="Formats.CsvFormulas"/>) unless <paramref name="rawCells"/>
    /// says to write every cell exactly as it is; the importer reads both back to the same entries.
    /// </summary>
    /// <returns>How many entries were written.</returns>
    public static long Write(Stream stream, IEnumerable<BankEntry> entries, BankFileFormat format, SignalTypeRegistry types, string plainType = "pdq", bool rawCells = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (format == BankFileFormat.TatJson)
        {
            return TatJson.Write(stream, entries);
        }

        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        return format == BankFileFormat.ThreatExchangeCsv
            ? ThreatExchangeCsv.Write(writer, entries, types, neutraliseFormulas: !rawCells)
            : PlainHashList.Write(writer, entries, plainType);
    }
}
