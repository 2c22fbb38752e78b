using Vigil.Core;
using Vigil.Text;

namespace Vigil.Training.Evaluation;

/// <summary>What the pipeline made of one post: the detectors' assessment and the policy's verdict on it.</summary>
public sealed record PostScore(Assessment Assessment, Verdict Verdict);

/// <summary>
/// How evaluation scores posts: the seam between <see cref="QualityEvaluator"/> and whatever runs Vigil's pipeline.
/// Every post <c>vigil eval</c> reports on goes through it, so that the figures are those of the pipeline as it runs.
/// </summary>
public interface IPostScorer
{
    /// <summary>The assessment of each of <paramref name="texts"/> and <paramref name="policy"/>'s verdict on it, in input order.</summary>
    IReadOnlyList<PostScore> Score(IReadOnlyList<string> texts, Policy policy, CancellationToken cancellationToken);
}

/// <summary>Scores posts with a <see cref="TextAnalyzer"/> (<see cref="TextAnalyzer.Assess"/>, one post at a time on
/// <paramref name="threads"/> threads) and decides them with <see cref="Policy.Decide"/>.</summary>
public sealed class AnalyzerPostScorer(TextAnalyzer analyzer, int threads) : IPostScorer
{
    public IReadOnlyList<PostScore> Score(IReadOnlyList<string> texts, Policy policy, CancellationToken cancellationToken)
    {
        var scored = new PostScore[texts.Count];
        Parallel.For(0, texts.Count, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, i =>
        {
            var assessment = analyzer.Assess(texts[i]);
            scored[i] = new PostScore(assessment, policy.Decide(assessment));
        });
        return scored;
    }
}
