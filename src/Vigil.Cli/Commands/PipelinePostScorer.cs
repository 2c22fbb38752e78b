using Vigil.Core;
using Vigil.Core.Content;
using Vigil.Moderation.Pipeline;
using Vigil.Training.Evaluation;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil eval</c>'s scoring: every post goes through the content pipeline, as a text part, exactly as <c>vigil scan</c>
/// and the service assess it (no hash banks: the labelled sets are about the detectors), decided by the policy the
/// evaluator names. Posts are assessed in batches of <see cref="BatchSize"/> so that the embedding stage encodes batches.
/// </summary>
internal sealed class PipelinePostScorer(Engine engine, int threads) : IPostScorer
{
    private const int BatchSize = 512;

    public IReadOnlyList<PostScore> Score(IReadOnlyList<string> texts, Policy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var pipeline = engine.Pipeline(FixedBankMatcher.None, policy: policy);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        var scored = new List<PostScore>(texts.Count);
        for (int start = 0; start < texts.Count; start += BatchSize)
        {
            var batch = texts.Skip(start).Take(BatchSize).Select(t => (IReadOnlyList<ContentPart>)[ContentPart.FromText(t)]).ToList();
            var results = pipeline.AssessBatchAsync(batch, parallel).GetAwaiter().GetResult();
            scored.AddRange(results.Select(r => new PostScore(r.Assessment, r.Verdict)));
        }

        return scored;
    }
}
