using Vigil.Core;
using Vigil.Media.Banks;
using Vigil.Media.Ocr;

namespace Vigil.Media;

/// <summary>
/// Puts together what was found in one image: bank matches, and the assessment of the text read from it by
/// the text detectors (which the caller ran: detectors never call each other).
/// </summary>
/// <remarks>
/// <para>Scores: for each category, the larger of the bank score (<see cref="BankScoring"/>) and the text score.
/// Context and language are those of the text (none without text). Signals: the bank signals, an <c>ocr</c>
/// signal, then the text signals.</para>
/// <para>Offsets: the <c>ocr</c> evidence spans the whole OCR text (start 0, end its length) and its detail
/// quotes that text; the text detectors' evidence spans are UTF-16 offsets (end exclusive) into exactly that text,
/// not into any file. Bank evidence has start = end = 0: it concerns the whole file.</para>
/// </remarks>
public static class MediaAssessment
{
    /// <summary>Combines an image's bank matches and the assessment of its OCR text (null when no text was read).</summary>
    /// <param name="imageName">How to name the image in evidence (its file name or id).</param>
    public static Assessment Combine(string imageName, BankMatchResult banks, OcrResult? ocr, Assessment? text)
    {
        ArgumentNullException.ThrowIfNull(banks);
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var category in Taxonomy.All)
        {
            scores[category.Id] = text?.Scores.GetValueOrDefault(category.Id) ?? 0;
        }

        foreach (var (category, score) in BankScoring.Scores(banks))
        {
            scores[category] = Math.Max(scores.GetValueOrDefault(category), score);
        }

        var signals = new List<Signal>(BankScoring.Signals(banks));
        if (ocr is { HasText: true } read && text is not null)
        {
            var detail = $"text read from image '{imageName}' by {read.Engine}; the other text evidence spans are offsets into it: \"{read.Text}\"";
            signals.Add(new Signal(SignalTypes.Ocr, "text", 1, [new Evidence(0, read.Text.Length, SignalTypes.Ocr, detail)]));
            signals.AddRange(text.Signals);
        }

        return new Assessment(scores, text?.Context ?? ContentContext.None, text?.Language, signals);
    }
}
