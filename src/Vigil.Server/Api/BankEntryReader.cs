using System.Text.Json;
using Vigil.Core.Banks;
using Vigil.Core.Signals;

namespace Vigil.Server.Api;

/// <summary>
/// Reads the JSON array of <c>POST /v1/banks/{name}/entries</c> element by element: each good element becomes an
/// entry (hash values canonicalised to lowercase hex), each bad one a problem naming its index, as an import names
/// the line of a bad row.
/// </summary>
public static class BankEntryReader
{
    public const int MaxTextLength = 256;

    /// <summary>The longest hash value accepted (a text MinHash signature is the longest).</summary>
    public const int MaxValueLength = 4096;

    private static readonly string[] Fields = ["signal_type", "value", "labels", "source", "external_id", "opinion", "confidence", "file_type", "created_on", "updated_on"];
    private static readonly string[] LabelFields = ["organisation", "ideology", "category", "tags"];

    /// <summary>The entries and problems of <paramref name="array"/>.</summary>
    /// <exception cref="ApiProblemException">The body is not a non-empty array.</exception>
    public static (List<BankEntry> Entries, List<EntryProblemDto> Problems) Read(JsonElement array, SignalTypeRegistry types)
    {
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            throw ApiProblemException.BadRequest("The body must be a non-empty JSON array of entries: [{\"signal_type\": \"pdq\", \"value\": \"…\", \"labels\": {…}}, …].");
        }

        var entries = new List<BankEntry>();
        var problems = new List<EntryProblemDto>();
        int index = 0;
        foreach (var element in array.EnumerateArray())
        {
            try
            {
                entries.Add(Entry(element, types));
            }
            catch (JsonFieldException e)
            {
                problems.Add(new EntryProblemDto(index, e.Message));
            }

            index++;
        }

        return (entries, problems);
    }

    private static BankEntry Entry(JsonElement element, SignalTypeRegistry types)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonFieldException($"an entry must be a JSON object, not {JsonFields.Kind(element)}");
        }

        JsonFields.OnlyKnown(element, Fields);
        string typeName = JsonFields.Text(element, "signal_type", 32) ?? throw new JsonFieldException($"'signal_type' is required ({types.Names})");
        if (!types.TryGet(typeName, out var type))
        {
            throw new JsonFieldException($"unknown signal type '{typeName}' ({types.Names})");
        }

        string raw = JsonFields.Text(element, "value", MaxValueLength) ?? throw new JsonFieldException("'value' is required: the hash");
        if (type.Normalize(raw, out var value) is { } problem)
        {
            throw new JsonFieldException(problem);
        }

        var entry = new BankEntry(
            type.Name,
            value,
            Labels(element),
            Text(JsonFields.Text(element, "source", MaxTextLength)),
            Text(JsonFields.Text(element, "external_id", MaxTextLength)),
            Opinion(JsonFields.Text(element, "opinion", 32)),
            JsonFields.Number(element, "confidence"),
            Text(JsonFields.Text(element, "file_type", 32)),
            JsonFields.Date(element, "created_on"),
            JsonFields.Date(element, "updated_on"));
        return entry.Validate(types) is { } invalid ? throw new JsonFieldException(invalid) : entry;
    }

    private static BankLabels? Labels(JsonElement element)
    {
        if (!element.TryGetProperty("labels", out var labels) || labels.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (labels.ValueKind != JsonValueKind.Object)
        {
            throw new JsonFieldException($"'labels' must be an object with organisation, ideology, category and tags, not {JsonFields.Kind(labels)}");
        }

        JsonFields.OnlyKnown(labels, LabelFields);
        return new BankLabels(
            Text(JsonFields.Text(labels, "organisation", MaxTextLength)),
            Text(JsonFields.Text(labels, "ideology", MaxTextLength)),
            Text(JsonFields.Text(labels, "category", 64)),
            JsonFields.Strings(labels, "tags", 50, 64));
    }

    private static BankOpinion Opinion(string? name) => name switch
    {
        null or "positive" => BankOpinion.Positive,
        "investigate" => BankOpinion.Investigate,
        "false_positive" => BankOpinion.FalsePositive,
        _ => throw new JsonFieldException($"unknown opinion '{name}' (positive, investigate, false_positive)"),
    };

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>positive, investigate or false_positive.</summary>
    public static string OpinionToWire(BankOpinion opinion) => opinion switch
    {
        BankOpinion.Investigate => "investigate",
        BankOpinion.FalsePositive => "false_positive",
        _ => "positive",
    };
}
