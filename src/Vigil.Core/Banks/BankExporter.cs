using System.Text;
using Vigil.Core.Signals;

namespace Vigil.Core.Banks;

/// <summary>Writes bank entries in one of the <see cref="BankFileFormat"/>s, which <see cref="BankImporter"/> reads back.</summary>
public static class BankExporter
{
    /// <summary>
    /// Writes <paramref name="entries"/> to <paramref name="stream"/>. A plain list holds one signal type only,
    /// <paramref name="plainType"/>; the other formats hold every entry with all its labels and dates.
    /// </summary>
    /// <returns>How many entries were written.</returns>
    public static long Write(Stream stream, IEnumerable<BankEntry> entries, BankFileFormat format, SignalTypeRegistry types, string plainType = "pdq")
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (format == BankFileFormat.TatJson)
        {
            return TatJson.Write(stream, entries);
        }

        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        return format == BankFileFormat.ThreatExchangeCsv
            ? ThreatExchangeCsv.Write(writer, entries, types)
            : PlainHashList.Write(writer, entries, plainType);
    }
}
