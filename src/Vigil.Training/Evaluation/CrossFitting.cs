using Vigil.Core;
using Vigil.Training.Data;

namespace Vigil.Training.Evaluation;

/// <summary>
/// F1 of the target sets with thresholds that did not see the posts they decide: the dev posts of the sets
/// <c>vigil train</c> tunes on are cut into parts by a hash of their set and id; each part is decided by the policy
/// with its review and violating thresholds tuned as <c>vigil train</c> tunes them (<see cref="ThresholdTuner.Tune"/>)
/// on the other parts' classifier scores. Everything else (weights, rules) stays. One cut is noisy, so the result gives
/// the mean and range over several different cuts.
/// </summary>
public static class CrossFitting
{
    /// <summary>The cross-fitted F1 of the terrorism and hate sets in <paramref name="results"/>; null unless both kinds are there.</summary>
    /// <param name="cuts">How many different cuts.</param>
    /// <param name="folds">Into how many parts each cut divides the posts.</param>
    public static CrossFittedResult? Evaluate(IReadOnlyDictionary<string, ScoredPost[]> results, Policy policy, int cuts = 10, int folds = 5)
    {
        var tuned = DatasetCatalogue.All.Where(d => d.Task == DatasetTask.Terrorism).Concat(DatasetCatalogue.HateSets).ToList();
        var rows = tuned
            .Where(d => results.ContainsKey(d.Name))
            .SelectMany(d => results[d.Name])
            .ToList();
        bool IsTerrorism(ScoredPost row) => DatasetCatalogue.Find(row.Post.Set)?.Task == DatasetTask.Terrorism;
        if (!rows.Any(IsTerrorism) || rows.All(IsTerrorism))
        {
            return null;
        }

        static float Classifier(ScoredPost row, string head) =>
            (float)(row.Assessment.Signals.FirstOrDefault(s => s.Type == SignalKinds.Classifier && s.Label == head)?.Score ?? 0);
        var scores = rows.Select(r => new[] { Classifier(r, "terrorism"), Classifier(r, Taxonomy.Hate.Id) }).ToArray();
        var sets = Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Post.Set).ToList();
        var f1 = sets.ToDictionary(g => g.Key, _ => new List<double>(), StringComparer.Ordinal);
        var terrorismReview = new List<double>();
        var decided = new Verdict[rows.Count];
        for (int cut = 0; cut < cuts; cut++)
        {
            int[] fold = [.. rows.Select(r => QualityEvaluator.StableSeed($"{cut}|{r.Post.Set}\n{r.Post.Id}") % folds)];
            for (int f = 0; f < folds; f++)
            {
                var tuneOn = Enumerable.Range(0, rows.Count).Where(i => fold[i] != f).ToList();
                var tuning = ThresholdTuner.Tune(
                    [.. tuneOn.Select(i => rows[i].Post)],
                    [.. tuneOn.Select(i => scores[i])],
                    terrorismHead: 0,
                    hateHead: 1,
                    [.. tuneOn.Select(i => rows[i].Assessment.Language)]);
                terrorismReview.Add(tuning.TerrorismReview);
                var tunedPolicy = policy with { Categories = tuning.Categories(), Languages = tuning.Languages() };
                for (int i = 0; i < rows.Count; i++)
                {
                    if (fold[i] == f)
                    {
                        decided[i] = tunedPolicy.Decide(rows[i].Assessment);
                    }
                }
            }

            foreach (var group in sets)
            {
                var set = DatasetCatalogue.Find(group.Key)!;
                f1[group.Key].Add(ScoredPost.F1([.. group.Select(i => rows[i] with { Verdict = decided[i] })], set.PositiveLabel, set.Task == DatasetTask.Terrorism));
            }
        }

        var table = sets.Select(group =>
        {
            var set = DatasetCatalogue.Find(group.Key)!;
            var values = f1[group.Key];
            double shipped = ScoredPost.F1([.. group.Select(i => rows[i])], set.PositiveLabel, set.Task == DatasetTask.Terrorism);
            return new CrossFittedRow(group.Key, shipped, values.Average(), values.Min(), values.Max());
        });
        return new CrossFittedResult(folds, cuts, terrorismReview.Count, terrorismReview.Min(), terrorismReview.Max(), [.. table]);
    }
}
