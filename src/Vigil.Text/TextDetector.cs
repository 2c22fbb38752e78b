using Vigil.Core;
using Vigil.Core.Content;
using Vigil.Core.Signals;

namespace Vigil.Text;

/// <summary>The text detectors (<see cref="TextAnalyzer"/>: lists, classifier, context, language) as one pipeline detector
/// of text parts. A batch is assessed together so that the embedding stage encodes it in batches.</summary>
public sealed class TextDetector(TextAnalyzer analyzer) : IContentDetector
{
    public IReadOnlyList<string> PartTypes { get; } = [Core.Content.PartTypes.Text];

    /// <summary>The analyzer.</summary>
    public TextAnalyzer Analyzer => analyzer;

    public Task<IReadOnlyList<DetectorResult>> DetectAsync(IReadOnlyList<PartView> parts, ParallelOptions parallel)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(parallel);
        var results = new DetectorResult[parts.Count];
        var texts = new List<string>(parts.Count);
        var at = new List<int>(parts.Count);
        for (int i = 0; i < parts.Count; i++)
        {
            results[i] = DetectorResult.None;
            if (parts[i].Part.Text is { } text)
            {
                texts.Add(text);
                at.Add(i);
            }
        }

        if (texts.Count == 1)
        {
            results[at[0]] = new DetectorResult(analyzer.Assess(texts[0]));
        }
        else if (texts.Count > 1)
        {
            IReadOnlyList<Assessment> assessments = analyzer.EmbeddingMode != EmbeddingMode.Off
                ? analyzer.AssessBatch(texts, parallel)
                : Each(texts, parallel);
            for (int k = 0; k < at.Count; k++)
            {
                results[at[k]] = new DetectorResult(assessments[k]);
            }
        }

        return Task.FromResult<IReadOnlyList<DetectorResult>>(results);
    }

    private Assessment[] Each(List<string> texts, ParallelOptions parallel)
    {
        var assessments = new Assessment[texts.Count];
        if (parallel.MaxDegreeOfParallelism <= 1 || texts.Count < 8)
        {
            for (int i = 0; i < texts.Count; i++)
            {
                parallel.CancellationToken.ThrowIfCancellationRequested();
                assessments[i] = analyzer.Assess(texts[i]);
            }
        }
        else
        {
            Parallel.For(0, texts.Count, parallel, i => assessments[i] = analyzer.Assess(texts[i]));
        }

        return assessments;
    }
}
