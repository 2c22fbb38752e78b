using System.Data.Common;
using System.Text.Json;
using Vigil.Core.Banks;
using Vigil.Storage.Banks;

namespace Vigil.Storage.Relational;

/// <summary>The columns of <c>hash_bank_entries</c> and the values of an entry in them.</summary>
internal static class BankEntryRows
{
    /// <summary>The columns <see cref="EntryReader"/> reads, in its order.</summary>
    public const string Columns =
        "id, signal_type, value, source, external_id, organisation, ideology, category, tags, opinion, confidence, file_type, created_on, updated_on, added_at";

    /// <summary>The columns an entry writes, in the order of <see cref="Values"/> (then <c>added_at</c>).</summary>
    public static readonly string[] ValueColumns =
        ["signal_type", "value", "source", "external_id", "organisation", "ideology", "category", "tags", "opinion", "confidence", "file_type", "created_on", "updated_on"];

    /// <summary>The entry's values for <see cref="ValueColumns"/> (nulls as null).</summary>
    public static object?[] Values(BankEntry entry)
    {
        var labels = entry.LabelsOrNone;
        return
        [
            entry.SignalType,
            entry.Value,
            entry.Source,
            entry.ExternalId,
            labels.Organisation,
            labels.Ideology,
            labels.Category,
            labels.TagList.Count == 0 ? null : JsonSerializer.Serialize(labels.TagList, StorageBankJson.Default.IReadOnlyListString),
            OpinionToWire(entry.Opinion),
            entry.Confidence,
            entry.FileType,
            entry.CreatedOn?.ToUnixTimeMilliseconds(),
            entry.UpdatedOn?.ToUnixTimeMilliseconds(),
        ];
    }

    public static string OpinionToWire(BankOpinion opinion) => opinion switch
    {
        BankOpinion.Investigate => "investigate",
        BankOpinion.FalsePositive => "false_positive",
        _ => "positive",
    };

    public static BankOpinion OpinionFromWire(string wire) => wire switch
    {
        "investigate" => BankOpinion.Investigate,
        "false_positive" => BankOpinion.FalsePositive,
        _ => BankOpinion.Positive,
    };

    public static HashBankException NoSuchBank(string name) => new($"There is no bank named '{name}'.");
}

/// <summary>
/// Reads entry rows (<see cref="BankEntryRows.Columns"/>), sharing labels and repeated strings between entries:
/// a bank of millions holds few distinct ones.
/// </summary>
internal sealed class EntryReader(DbDataReader reader)
{
    private const int MaxShared = 100_000;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<(string?, string?, string?, string?), BankLabels> _labels = [];

    public BankEntry Read()
    {
        var labelKey = (Text(5), Text(6), Text(7), Text(8));
        if (!_labels.TryGetValue(labelKey, out var labels))
        {
            var tags = labelKey.Item4 is { } json ? JsonSerializer.Deserialize(json, StorageBankJson.Default.IReadOnlyListString) : null;
            labels = labelKey is (null, null, null, null) ? BankLabels.None : new BankLabels(labelKey.Item1, labelKey.Item2, labelKey.Item3, tags);
            if (_labels.Count < MaxShared)
            {
                _labels[labelKey] = labels;
            }
        }

        return new BankEntry(
            Text(1)!,
            reader.GetString(2),
            labels,
            Text(3),
            Text(4),
            BankEntryRows.OpinionFromWire(reader.GetString(9)),
            reader.IsDBNull(10) ? null : reader.GetDouble(10),
            Text(11),
            Time(12),
            Time(13),
            reader.GetInt64(0),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(14)));
    }

    private string? Text(int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        var s = reader.GetString(ordinal);
        if (_strings.TryGetValue(s, out var shared))
        {
            return shared;
        }

        if (_strings.Count < MaxShared)
        {
            _strings[s] = s;
        }

        return s;
    }

    private DateTimeOffset? Time(int ordinal) => reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}

/// <summary>JSON of the tag lists (source-generated, no reflection).</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class StorageBankJson : System.Text.Json.Serialization.JsonSerializerContext;
