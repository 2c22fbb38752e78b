namespace Vigil.Core;

/// <summary>
/// The seam where image detectors plug into the moderation service: given the bytes of one uploaded image, return an
/// <see cref="Assessment"/> whose signals (e.g. hash-bank matches of a type in <see cref="ActionPolicy.BankSignalTypes"/>,
/// whose evidence detail names the bank, entry and distance)
/// and scores are fused with the text's. Evidence of image signals has <c>Start == End == 0</c> (no text span).
/// Implementations are thread-safe and never throw for undecodable input: they return an assessment without signals.
/// </summary>
public interface IImageAnalyzer
{
    Task<Assessment> AssessAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken);
}

/// <summary>Combines the assessments of the parts of one submission (text, image).</summary>
public static class AssessmentFusion
{
    /// <summary>An assessment with no scores and no signals (e.g. for content without text).</summary>
    public static Assessment Empty { get; } = new(new Dictionary<string, double>(StringComparer.Ordinal), ContentContext.None, null, []);

    /// <summary>The highest score per category; the text's context and language; every signal.</summary>
    public static Assessment Fuse(Assessment text, Assessment? image)
    {
        if (image is null)
        {
            return text;
        }

        var scores = new Dictionary<string, double>(text.Scores, StringComparer.Ordinal);
        foreach (var (id, score) in image.Scores)
        {
            scores[id] = Math.Max(score, scores.GetValueOrDefault(id));
        }

        return new Assessment(scores, text.Context, text.Language, [.. text.Signals, .. image.Signals]);
    }
}
