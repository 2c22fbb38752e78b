namespace Vigil.Core;

/// <summary>
/// The kinds of signal Vigil's detectors emit (a signal's <see cref="Signal.Type"/>, an evidence's
/// <see cref="Evidence.Signal"/>). Hash-bank matches are signals too: their type is the name of the signal type that
/// matched (<see cref="Signals.SignalType.Name"/>, e.g. <c>pdq</c>) and they name their bank (<see cref="Signal.Bank"/>).
/// </summary>
public static class SignalKinds
{
    public const string Designation = "designation";
    public const string Lexicon = "lexicon";
    public const string Classifier = "classifier";
    public const string Context = "context";
    public const string Language = "language";

    /// <summary>Text read from an image (OCR); the text detectors' evidence spans are offsets into that text.</summary>
    public const string Ocr = "ocr";

    /// <summary>A match in an allow-list bank (known false positive) that suppressed hash matches elsewhere.</summary>
    public const string AllowList = "allow_list";

    /// <summary>A part of the content that could not be analysed (e.g. an image that does not decode); its label is the
    /// part type and its evidence says why. The policy never lets it pass silently as clear.</summary>
    public const string Unreadable = "media.unreadable";
}

/// <summary>
/// One scored observation about a piece of content.
/// </summary>
/// <param name="Type">Which detector produced it (<see cref="SignalKinds"/>), or the signal type of a hash-bank match.</param>
/// <param name="Label">What it speaks for: a category id, a context wire name, a language code.</param>
/// <param name="Score">Strength in [0, 1].</param>
/// <param name="Evidence">Spans that justify it; may be empty for whole-text signals.</param>
public sealed record Signal(string Type, string Label, double Score, IReadOnlyList<Evidence> Evidence)
{
    /// <summary>The hash bank of a bank-match or allow-list signal; null for every other signal.</summary>
    public string? Bank { get; init; }

    /// <summary>The action the bank of a bank-match signal asks for (<see cref="Banks.HashBank.OnMatch"/>), if any: the
    /// policy's action is raised to it.</summary>
    public ModerationAction? RequestedAction { get; init; }

    /// <summary>Whether this is a match in a hash bank that counts (not an allow-list match).</summary>
    public bool IsBankMatch => Bank is not null && Type != SignalKinds.AllowList;
}
