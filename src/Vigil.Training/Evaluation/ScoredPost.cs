using Vigil.Core;
using Vigil.Training.Data;

namespace Vigil.Training.Evaluation;

/// <summary>A labelled post with the pipeline's verdict and assessment.</summary>
public sealed record ScoredPost(LabelledPost Post, Verdict Verdict, Assessment Assessment)
{
    /// <summary>Whether any <c>terrorism.*</c> label passed its review threshold.</summary>
    public bool AnyTerrorism => Verdict.Labels.Any(l => l.StartsWith("terrorism.", StringComparison.Ordinal));

    /// <summary>The highest score of the terrorism categories.</summary>
    public double TerrorismScore => Taxonomy.Terrorism.Max(c => Verdict.Scores.GetValueOrDefault(c.Id));

    /// <summary>Whether <c>hate</c> passed its review threshold.</summary>
    public bool Hate => Verdict.Labels.Contains(Taxonomy.Hate.Id);

    public double HateScore => Verdict.Scores.GetValueOrDefault(Taxonomy.Hate.Id);

    /// <summary>Whether the post is flagged for the category of <paramref name="terrorism"/> (else hate).</summary>
    public bool Flagged(bool terrorism) => terrorism ? AnyTerrorism : Hate;

    /// <summary>F1 of flagging <paramref name="rows"/> for terrorism (any <c>terrorism.*</c> label) or hate against the
    /// label <paramref name="positive"/>.</summary>
    public static double F1(IReadOnlyList<ScoredPost> rows, string positive, bool terrorism) =>
        Confusion.Count(rows.Select(r => r.Post.Label == positive).ToList(), rows.Select(r => r.Flagged(terrorism)).ToList()).F1;
}
