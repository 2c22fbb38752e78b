using Vigil.Core.Signals;

namespace Vigil.Core.Content;

/// <summary>
/// Prepares parts of one type for the signal types and detectors: decodes an image's pixels, say, and sets them as a
/// feature of the part (<see cref="PartView.SetFeature{T}"/>). A part it cannot read gets <see cref="PartView.Unreadable"/>
/// set to the reason (never an exception): the pipeline then records a <see cref="SignalKinds.Unreadable"/> signal, and
/// what can still be hashed from the bytes is hashed.
/// </summary>
public interface IPartReader
{
    /// <summary>The part type it reads.</summary>
    string PartType { get; }

    void Read(PartView part);
}

/// <summary>
/// A detector: looks at parts of the types it names and says what it found. Detectors never call each other; what one
/// derives (the text an OCR engine reads from an image) goes back into the pipeline as a new part, which the detectors
/// of its type then see. Implementations are thread-safe.
/// </summary>
public interface IContentDetector
{
    /// <summary>The part types it looks at.</summary>
    IReadOnlyList<string> PartTypes { get; }

    /// <summary>Assesses a batch of parts (of its types), one result per part in order; batching lets a detector share
    /// work (the sentence encoder embeds a batch at once).</summary>
    Task<IReadOnlyList<DetectorResult>> DetectAsync(IReadOnlyList<PartView> parts, ParallelOptions parallel);
}

/// <summary>What a detector found in one part.</summary>
/// <param name="Assessment">Scores, context, language and signals, for a detector that scores (the text detectors); its
/// evidence spans are offsets into this part's text.</param>
/// <param name="Signals">Further signals (e.g. that text was read from an image).</param>
/// <param name="Derived">New parts to assess (e.g. the text read from an image).</param>
/// <param name="Problem">Something the operator should know (the OCR engine failed on this image), or null.</param>
public sealed record DetectorResult(
    Assessment? Assessment = null,
    IReadOnlyList<Signal>? Signals = null,
    IReadOnlyList<ContentPart>? Derived = null,
    string? Problem = null)
{
    /// <summary>Nothing found.</summary>
    public static DetectorResult None { get; } = new();
}
