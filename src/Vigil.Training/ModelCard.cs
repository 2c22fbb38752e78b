using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Training;

/// <summary>
/// <c>model/model.json</c>: what <c>vigil train</c> trained, on what, and the thresholds it tuned. Written in this
/// property order, names in snake case; a null stage or threshold set is written as null.
/// </summary>
public sealed record ModelCard(
    string Format,
    string TrainedOn,
    IReadOnlyList<string> Heads,
    ModelCard.FeatureCard Features,
    double L2,
    IReadOnlyDictionary<string, int> TrainingRows,
    IReadOnlyDictionary<string, string[]> UsedForHeads,
    ModelCard.EmbeddingStageCard? EmbeddingStage,
    ModelCard.ThresholdsCard Thresholds,
    ModelCard.ThresholdsCard? ThresholdsWithoutEmbeddings,
    double Seconds)
{
    /// <summary>The card's format name.</summary>
    public const string FormatName = "VIGIL-LINEAR-1";

    /// <summary>How cards are written and read: indented, properties in snake case (dictionary keys as they are).</summary>
    internal static JsonSerializerOptions Json { get; } = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The card as written to <c>model.json</c> (with a final newline).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    public sealed record FeatureCard(int Bits, int MinCharGram, int MaxCharGram, bool WordBigrams);

    public sealed record EmbeddingStageCard(string Model, TunedLayersCard? TunedLayers, IReadOnlyList<HeadCard> Heads, int DevShareEmbeddedPercent);

    public sealed record TunedLayersCard(string File, string Digest, int Tensors, long Parameters, string MadeBy);

    /// <summary>One stacked head (its name is written as <c>Name</c>, as the first cards had it).</summary>
    public sealed record HeadCard([property: JsonPropertyName("Name")] string Name, int Hidden, CombinerCard Combiner, float Screen);

    public sealed record CombinerCard(float Ngram, float Embedding, float Bias);

    public sealed record ThresholdsCard(
        double TerrorismReview,
        double TerrorismViolating,
        double HateReview,
        double HateViolating,
        IReadOnlyDictionary<string, LanguageThresholdsCard> HateByLanguage)
    {
        public static ThresholdsCard From(Tuning tuning) => new(
            tuning.TerrorismReview,
            tuning.TerrorismViolating,
            tuning.HateReview,
            tuning.HateViolating,
            tuning.HateByLanguage.ToDictionary(kv => kv.Key, kv => new LanguageThresholdsCard(kv.Value.Review, kv.Value.Violating)));
    }

    public sealed record LanguageThresholdsCard(double Review, double Violating);

    /// <summary>Who made the tuned layers with <paramref name="digest"/>, as the card at <paramref name="cardPath"/> says
    /// (when it describes the same file), so that retraining the heads keeps the record.</summary>
    public static string PreviousMaker(string cardPath, string? digest)
    {
        try
        {
            using var card = JsonDocument.Parse(System.IO.File.ReadAllText(cardPath));
            if (card.RootElement.TryGetProperty("embedding_stage", out var stage) && stage.ValueKind == JsonValueKind.Object
                && stage.TryGetProperty("tuned_layers", out var layers) && layers.ValueKind == JsonValueKind.Object
                && layers.TryGetProperty("digest", out var previous) && previous.ValueKind == JsonValueKind.String && previous.GetString() == digest
                && layers.TryGetProperty("made_by", out var maker) && maker.ValueKind == JsonValueKind.String)
            {
                return maker.GetString()!;
            }
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
        }

        return TrainingRecipe.TunedByUnknown;
    }
}
