using Vigil.Core;
using Vigil.Text;

namespace Vigil.Cli.Scanning;

/// <summary>Turns texts into verdicts for <see cref="Scanner"/>: the text detectors and the policy
/// (<see cref="PolicyTextScorer"/>), or a stand-in in tests.</summary>
internal interface ITextScorer
{
    /// <summary>Whether texts are best scored a batch at a time (the embedding stage encodes batches).</summary>
    bool PrefersBatches { get; }

    Verdict Score(string text);

    /// <summary>Verdicts for <paramref name="texts"/>, in order.</summary>
    IReadOnlyList<Verdict> ScoreBatch(IReadOnlyList<string> texts, ParallelOptions parallel);
}

/// <summary>The text detectors' assessment, decided by the policy.</summary>
internal sealed class PolicyTextScorer(TextAnalyzer analyzer, Policy policy) : ITextScorer
{
    public bool PrefersBatches => analyzer.EmbeddingMode != EmbeddingMode.Off;

    public Verdict Score(string text) => policy.Decide(analyzer.Assess(text));

    public IReadOnlyList<Verdict> ScoreBatch(IReadOnlyList<string> texts, ParallelOptions parallel)
    {
        var assessments = analyzer.AssessBatch(texts, parallel);
        var verdicts = new Verdict[assessments.Count];
        for (int i = 0; i < verdicts.Length; i++)
        {
            verdicts[i] = policy.Decide(assessments[i]);
        }

        return verdicts;
    }
}
