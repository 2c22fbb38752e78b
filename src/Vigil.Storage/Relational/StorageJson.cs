using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.Core;
using Vigil.Storage.Content;

namespace Vigil.Storage.Relational;

/// <summary>The JSON form of detection results inside the database (snake_case, enums by wire name).</summary>
internal static class StorageJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize(ContentResult result) => JsonSerializer.Serialize(
        new ResultFile(
            result.Verdict.Kind,
            result.Verdict.Labels,
            result.Verdict.Scores,
            result.Verdict.Context,
            result.Verdict.Language,
            result.Verdict.Evidence,
            result.Verdict.LegalBasis,
            result.Verdict.PolicyVersion,
            result.Signals,
            result.Action,
            result.Queue,
            result.Rule),
        Options);

    public static ContentResult DeserializeResult(string json)
    {
        var file = JsonSerializer.Deserialize<ResultFile>(json, Options) ?? throw new InvalidDataException("A stored result is empty.");
        var verdict = new Verdict(file.Verdict, file.Labels, file.Scores, file.Context, file.Language, file.Evidence, file.LegalBasis, file.PolicyVersion);
        return new ContentResult(verdict, file.Signals, file.Action, file.Queue, file.Rule);
    }

    public static string Labels(IEnumerable<string> labels) => "," + string.Join(',', labels) + (labels.Any() ? "," : "");

    public static IReadOnlyList<string> ParseLabels(string labels) => labels.Split(',', StringSplitOptions.RemoveEmptyEntries);

    private sealed record ResultFile(
        VerdictKind Verdict,
        IReadOnlyList<string> Labels,
        IReadOnlyDictionary<string, double> Scores,
        ContentContext Context,
        string? Language,
        IReadOnlyList<Evidence> Evidence,
        IReadOnlyList<string> LegalBasis,
        string PolicyVersion,
        IReadOnlyList<Signal> Signals,
        ModerationAction Action,
        string Queue,
        string? Rule);
}
