using System.Globalization;
using Vigil.Core.Formats;
using Vigil.Core.Signals;

namespace Vigil.Core.Banks;

/// <summary>
/// The CSV that python-threatexchange writes with <c>threatexchange dataset -P --csv</c> (and HMA exchanges):
/// a header, then <c>signal_type,signal_str,collab,category,tags</c>, where <c>category</c> is the opinion
/// (<c>TRUE_POSITIVE</c>, <c>WORTH_INVESTIGATING</c>, <c>FALSE_POSITIVE</c>) and <c>tags</c> are separated by spaces.
/// </summary>
/// <remarks>
/// Columns are found by their header names (any order, any case); only <c>signal_type</c> and <c>signal_str</c>
/// are required. Vigil writes further columns after ThreatExchange's so that an export imports back without loss:
/// <c>organisation, ideology, taxonomy_category, confidence, external_id, file_type, created_on, updated_on</c>.
/// A tag that is a taxonomy category id (e.g. <c>terrorism.emblem</c>) sets the entry's category.
/// </remarks>
internal static class ThreatExchangeCsv
{
    private static readonly string[] Header =
    [
        "signal_type", "signal_str", "collab", "category", "tags",
        "organisation", "ideology", "taxonomy_category", "confidence", "external_id", "file_type", "created_on", "updated_on",
    ];

    public static IEnumerable<BankFileRow> Read(TextReader reader, BankImportOptions options)
    {
        using (reader)
        {
            var csv = new CsvReader(reader, ',', 64 * 1024);
            Dictionary<string, int>? columns = null;
            foreach (var record in csv.ReadAll())
            {
                if (columns is null)
                {
                    columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                    for (int i = 0; i < record.Fields.Count; i++)
                    {
                        columns.TryAdd(record.Fields[i].Trim().TrimStart('\uFEFF'), i);
                    }

                    if (!columns.ContainsKey("signal_type") || !columns.ContainsKey("signal_str"))
                    {
                        yield return new BankFileRow(record.Line, Problem: "the header needs the columns signal_type and signal_str (ThreatExchange CSV: signal_type,signal_str,collab,category,tags)");
                        yield break;
                    }

                    continue;
                }

                yield return Parse(record, columns, options);
            }
        }
    }

    private static BankFileRow Parse(CsvRecord record, Dictionary<string, int> columns, BankImportOptions options)
    {
        if (record.Error is not null)
        {
            return new BankFileRow(record.Line, Problem: record.Error);
        }

        string? Field(string name)
        {
            if (!columns.TryGetValue(name, out int i) || i >= record.Fields.Count)
            {
                return null;
            }

            var value = record.Fields[i].Trim();
            return value.Length == 0 ? null : value;
        }

        if (record.Fields.Any(f => f.Contains('\uFFFD', StringComparison.Ordinal)))
        {
            return new BankFileRow(record.Line, Problem: "undecodable bytes (not UTF-8)");
        }

        if (!options.TryType(Field("signal_type"), out var type))
        {
            return new BankFileRow(record.Line, Problem: options.UnknownType(Field("signal_type")));
        }

        if (type.Normalize(Field("signal_str"), out var value) is { } valueProblem)
        {
            return new BankFileRow(record.Line, Problem: valueProblem);
        }

        BankOpinion opinion;
        switch (Field("category")?.ToUpperInvariant())
        {
            case null or "TRUE_POSITIVE" or "POSITIVE_CLASS":
                opinion = BankOpinion.Positive;
                break;
            case "WORTH_INVESTIGATING" or "INVESTIGATION_SEED":
                opinion = BankOpinion.Investigate;
                break;
            case "FALSE_POSITIVE" or "NEGATIVE_CLASS":
                opinion = BankOpinion.FalsePositive;
                break;
            default:
                return new BankFileRow(record.Line, Problem: $"unknown category '{PlainHashList.Shorten(Field("category")!)}' (TRUE_POSITIVE, WORTH_INVESTIGATING, FALSE_POSITIVE)");
        }

        var (tags, tagCategory) = BankImporter.SplitTags(Field("tags") ?? "");
        double? confidence = null;
        if (Field("confidence") is { } confidenceText)
        {
            if (!double.TryParse(confidenceText, NumberStyles.Float, CultureInfo.InvariantCulture, out var c))
            {
                return new BankFileRow(record.Line, Problem: $"confidence '{PlainHashList.Shorten(confidenceText)}' is not a number");
            }

            confidence = c;
        }

        DateTimeOffset? createdOn = null, updatedOn = null;
        foreach (var (name, set) in new (string, Action<DateTimeOffset>)[] { ("created_on", d => createdOn = d), ("updated_on", d => updatedOn = d) })
        {
            if (Field(name) is { } text)
            {
                if (!BankImporter.TryParseDate(text, out var date))
                {
                    return new BankFileRow(record.Line, Problem: $"{name} '{PlainHashList.Shorten(text)}' is not a date");
                }

                set(date);
            }
        }

        var category = Field("taxonomy_category") ?? tagCategory;
        if (category is not null && tagCategory is not null && tagCategory != category)
        {
            tags = [.. tags, tagCategory];
        }

        var labels = new BankLabels(Field("organisation"), Field("ideology"), category, tags.Count > 0 ? tags : null);
        return new BankFileRow(record.Line, new BankEntry(
            type.Name, value, labels, Field("collab"), Field("external_id"), opinion, confidence, Field("file_type"), createdOn, updatedOn));
    }

    public static long Write(TextWriter writer, IEnumerable<BankEntry> entries, SignalTypeRegistry types)
    {
        var csv = new CsvWriter(writer);
        csv.WriteRecord(Header);
        long count = 0;
        foreach (var e in entries)
        {
            var labels = e.LabelsOrNone;
            var tags = labels.Category is null ? labels.TagList : [.. labels.TagList, labels.Category];
            csv.WriteRecord([
                types.TryGet(e.SignalType, out var type) ? type.ThreatExchangeName : e.SignalType,
                e.Value,
                e.Source,
                e.Opinion switch
                {
                    BankOpinion.Investigate => "WORTH_INVESTIGATING",
                    BankOpinion.FalsePositive => "FALSE_POSITIVE",
                    _ => "TRUE_POSITIVE",
                },
                string.Join(' ', tags),
                labels.Organisation,
                labels.Ideology,
                labels.Category,
                e.Confidence?.ToString("R", CultureInfo.InvariantCulture),
                e.ExternalId,
                e.FileType,
                e.CreatedOn?.ToString("O", CultureInfo.InvariantCulture),
                e.UpdatedOn?.ToString("O", CultureInfo.InvariantCulture),
            ]);
            count++;
        }

        return count;
    }
}
