using System.Diagnostics.CodeAnalysis;
using System.Text;
using Vigil.Core.Signals;

namespace Vigil.Core.Banks;

/// <summary>Identifies an entry within a bank: its signal type and value.</summary>
public readonly record struct BankEntryKey(string SignalType, string Value)
{
    public override string ToString() => $"{SignalType} {Value}";
}

/// <summary>
/// One row of an import file: an entry to add (or update), a key to delete (Tech Against Terrorism's
/// <c>deleted</c> records), or a problem that made the row unusable.
/// </summary>
/// <param name="Line">1-based line the row starts on.</param>
public sealed record BankFileRow(long Line, BankEntry? Entry = null, BankEntryKey? Deletion = null, string? Problem = null);

/// <summary>What an import applies to entries that do not say it themselves.</summary>
/// <param name="Types">The signal types an import may name (by name or alias).</param>
/// <param name="SignalType">
/// The type of bare hashes in a plain list. Null: the one registered type whose values look like it, where a 64-digit
/// hex value is taken as pdq (a plain SHA-256 list names <c>sha256</c> here, since both are 64 digits).
/// </param>
/// <param name="Labels">Default labels (e.g. the category of a whole list).</param>
/// <param name="Source">Default source.</param>
public sealed record BankImportOptions(SignalTypeRegistry Types, SignalType? SignalType = null, BankLabels? Labels = null, string? Source = null)
{
    /// <summary>The signal type a file names, by name or alias.</summary>
    internal bool TryType([NotNullWhen(true)] string? name, [NotNullWhen(true)] out SignalType? type) => Types.TryGet(name, out type);

    /// <summary>Why a signal type name is not known, listing the known ones.</summary>
    internal string UnknownType(string? name) => $"unknown signal type '{PlainHashList.Shorten(name ?? "")}' ({Types.Names})";

    internal BankEntry Complete(BankEntry entry) => entry with
    {
        Labels = entry.LabelsOrNone.Or(Labels ?? BankLabels.None),
        Source = entry.Source ?? Source,
    };
}

/// <summary>
/// Reads bank import files row by row. A bad row is returned as a <see cref="BankFileRow"/> with a
/// <see cref="BankFileRow.Problem"/> and its line number; reading carries on with the next row.
/// </summary>
public static class BankImporter
{
    /// <summary>The rows of <paramref name="stream"/>, read lazily (a TAT JSON file is read whole first).</summary>
    public static IEnumerable<BankFileRow> Read(Stream stream, BankFileFormat format, BankImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        var rows = format switch
        {
            BankFileFormat.ThreatExchangeCsv => ThreatExchangeCsv.Read(Text(stream), options),
            BankFileFormat.TatJson => TatJson.Read(stream, options),
            BankFileFormat.Documents => DocumentList.Read(Text(stream), options),
            _ => PlainHashList.Read(Text(stream), options),
        };
        return rows.Select(row => row.Entry is { } entry ? Check(row with { Entry = options.Complete(entry) }, options.Types) : row);
    }

    /// <summary>The rows of documents given one by one (the files of a folder, say): document <c>n</c> is "line" n.</summary>
    public static IEnumerable<BankFileRow> ReadDocuments(IEnumerable<string> documents, BankImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(options);
        return documents
            .SelectMany((text, i) => DocumentList.Rows(i + 1, text, options))
            .Select(row => row.Entry is { } entry ? Check(row with { Entry = options.Complete(entry) }, options.Types) : row);
    }

    private static BankFileRow Check(BankFileRow row, SignalTypeRegistry types) =>
        row.Entry!.Validate(types) is { } problem ? new BankFileRow(row.Line, Problem: problem) : row;

    private static StreamReader Text(Stream stream) =>
        new(stream, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true);

    /// <summary>Parses a date as the hash lists write them: ISO 8601, <c>2025-03-03 23:05:22,587</c> (UTC), or Unix seconds.</summary>
    internal static bool TryParseDate(string text, out DateTimeOffset date)
    {
        text = text.Trim();
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return TryFromUnixSeconds(seconds, out date);
        }

        return DateTimeOffset.TryParse(
            text.Replace(',', '.'),
            System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal,
            out date);
    }

    internal static bool TryFromUnixSeconds(double seconds, out DateTimeOffset date)
    {
        date = default;
        if (double.IsNaN(seconds) || seconds < 0 || seconds > 253_402_300_799)
        {
            return false;
        }

        date = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
        return true;
    }

    /// <summary>Splits tags, taking out the first that is a taxonomy category id.</summary>
    internal static (IReadOnlyList<string> Tags, string? Category) SplitTags(string text)
    {
        var tags = new List<string>();
        string? category = null;
        foreach (var tag in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (category is null && Taxonomy.TryGet(tag, out _))
            {
                category = tag;
            }
            else if (!tags.Contains(tag, StringComparer.Ordinal) && tag != category)
            {
                tags.Add(tag);
            }
        }

        return (tags, category);
    }
}
