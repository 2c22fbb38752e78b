using Vigil.Core;
using Vigil.Training.Data;

namespace Vigil.Training;

/// <summary>The policy thresholds <see cref="ThresholdTuner.Tune"/> chose, and its report of them.</summary>
public sealed record Tuning(
    double TerrorismReview,
    double TerrorismViolating,
    double HateReview,
    double HateViolating,
    IReadOnlyDictionary<string, CategoryThresholds> HateByLanguage,
    IReadOnlyList<string> Report)
{
    /// <summary>The hate thresholds for a post identified in <paramref name="language"/>, as the policy will apply them.</summary>
    public CategoryThresholds HateFor(string? language) =>
        language is not null && HateByLanguage.TryGetValue(language, out var own) ? own : new CategoryThresholds(HateReview, HateViolating);

    /// <summary>The policy's thresholds by category: every terrorism category shares the terrorism head's.</summary>
    public Dictionary<string, CategoryThresholds> Categories() => Taxonomy.All.ToDictionary(
        c => c.Id,
        c => c.IsTerrorism ? new CategoryThresholds(TerrorismReview, TerrorismViolating) : new CategoryThresholds(HateReview, HateViolating),
        StringComparer.Ordinal);

    /// <summary>The policy's thresholds by language: hate's own for each language that has them.</summary>
    public Dictionary<string, IReadOnlyDictionary<string, CategoryThresholds>> Languages() => HateByLanguage.ToDictionary(
        kv => kv.Key,
        kv => (IReadOnlyDictionary<string, CategoryThresholds>)new Dictionary<string, CategoryThresholds>(StringComparer.Ordinal) { [Taxonomy.Hate.Id] = kv.Value },
        StringComparer.Ordinal);
}

/// <summary>
/// Tunes the policy's review and violating thresholds on scored dev posts, as <c>vigil train</c> does for the shipped
/// policy and <c>vigil eval</c> does again on parts of the dev posts (<see cref="Evaluation.CrossFitting"/>).
/// </summary>
public static class ThresholdTuner
{
    /// <summary>Precision the violating thresholds aim for on the dev split.</summary>
    public const double ViolatingPrecision = 0.9;

    /// <summary>Languages other than English whose posts get their own hate thresholds (the classifier's calibration
    /// differs by language): those of the hate sets, in catalogue order.</summary>
    private static readonly string[] HateLanguages =
        [.. DatasetCatalogue.HateSets.Select(d => d.Language).Where(l => l != "en").Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Review thresholds maximise F1 on the dev splits (terrorism: the terrorism set; hate: the posts of the hate sets,
    /// pooled, by the language Vigil identifies in them: French, Arabic, and the rest, which is mostly English, for the
    /// default); violating thresholds are the lowest at which the same data shows <see cref="ViolatingPrecision"/> with 95% confidence.
    /// </summary>
    /// <param name="dev">The posts; those of sets outside the catalogue's terrorism and hate sets are not used.</param>
    /// <param name="scores">Each post's classifier probabilities, by head.</param>
    /// <param name="languages">The language Vigil identifies in each post.</param>
    public static Tuning Tune(IReadOnlyList<LabelledPost> dev, float[][] scores, int terrorismHead, int hateHead, string?[] languages)
    {
        var report = new List<string>();
        var sets = dev.Select(p => DatasetCatalogue.Find(p.Set)).ToArray();
        var isis = Enumerable.Range(0, dev.Count).Where(i => sets[i]?.Task == DatasetTask.Terrorism).ToList();
        var truth = isis.Select(i => sets[i]!.IsPositive(dev[i])).ToList();
        var terror = isis.Select(i => (double)scores[i][terrorismHead]).ToList();
        var (terrorismReview, terrorismF1) = BinaryMetrics.BestF1Threshold(truth, terror);
        double terrorismViolating = PrecisionThreshold(truth, terror, ViolatingPrecision, terrorismReview);
        report.Add($"terrorism: review >= {terrorismReview:F3} (dev F1 {terrorismF1:F3}), violating >= {terrorismViolating:F3}");

        var hateRows = Enumerable.Range(0, dev.Count).Where(i => sets[i]?.Task == DatasetTask.Hate).ToList();
        CategoryThresholds HateThresholds(List<int> rows, string who)
        {
            var hateTruth = rows.Select(i => sets[i]!.IsPositive(dev[i])).ToList();
            var hateScores = rows.Select(i => (double)scores[i][hateHead]).ToList();
            var (review, f1) = BinaryMetrics.BestF1Threshold(hateTruth, hateScores);
            double violating = PrecisionThreshold(hateTruth, hateScores, ViolatingPrecision, review);
            report.Add($"hate, {who}: review >= {review:F3} (dev F1 {f1:F3} over {rows.Count:N0} posts of the hate sets), violating >= {violating:F3}");
            return new CategoryThresholds(Math.Round(review, 4), Math.Round(violating, 4));
        }

        var byLanguage = new Dictionary<string, CategoryThresholds>(StringComparer.Ordinal);
        foreach (string language in HateLanguages)
        {
            var rows = hateRows.Where(i => languages[i] == language).ToList();
            if (rows.Count(i => sets[i]!.IsPositive(dev[i])) >= 20)
            {
                byLanguage[language] = HateThresholds(rows, $"posts identified as {language}");
            }
        }

        var rest = HateThresholds([.. hateRows.Where(i => languages[i] is not { } l || !byLanguage.ContainsKey(l))], "every other post (default)");
        return new Tuning(Math.Round(terrorismReview, 4), Math.Round(terrorismViolating, 4), rest.Review, rest.Violating, byLanguage, report);
    }

    /// <summary>
    /// The lowest threshold at or above <paramref name="floor"/> at which precision reaches <paramref name="target"/> with
    /// 95% confidence (the one-sided Wilson lower bound of the precision measured there) and at least a tenth of the
    /// positives recalled; when none does, 1, the top of the scale, so that posts over the review threshold go to a
    /// person rather than being hidden on a weak score. A dev split flags a hundred or so posts at these thresholds, so a
    /// measured 91% could be 85% on new posts: the bound keeps automatic removal for scores the dev data is sure of.
    /// </summary>
    public static double PrecisionThreshold(List<bool> truth, List<double> scores, double target, double floor)
    {
        int positives = truth.Count(t => t);
        var reaching = BinaryMetrics.PrecisionRecallCurve(truth, scores)
            .Where(p => p.Threshold >= floor && p.Recall >= 0.1 && WilsonLowerBound(p.Recall * positives, p.Recall * positives / p.Precision) >= target)
            .ToList();
        return reaching.Count > 0 ? reaching.Min(p => p.Threshold) : 1.0;
    }

    /// <summary>The one-sided 95% Wilson score lower bound of a proportion of <paramref name="successes"/> in <paramref name="trials"/>.</summary>
    public static double WilsonLowerBound(double successes, double trials)
    {
        const double Z = 1.6449;
        if (trials <= 0)
        {
            return 0;
        }

        double p = successes / trials, z2 = Z * Z;
        double centre = p + (z2 / (2 * trials));
        double margin = Z * Math.Sqrt((p * (1 - p) / trials) + (z2 / (4 * trials * trials)));
        return (centre - margin) / (1 + (z2 / trials));
    }
}
