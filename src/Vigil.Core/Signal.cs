namespace Vigil.Core;

/// <summary>Signal types Vigil's detectors emit. Like HMA's signal types, each is produced by exactly one detector.</summary>
public static class SignalTypes
{
    public const string Designation = "designation";
    public const string Lexicon = "lexicon";
    public const string Classifier = "classifier";
    public const string Context = "context";
    public const string Language = "language";

    /// <summary>A PDQ (perceptual hash) match of an image against a hash bank entry.</summary>
    public const string Pdq = "pdq";

    /// <summary>An exact MD5 match of a file's bytes against a hash bank entry.</summary>
    public const string Md5 = "md5";

    /// <summary>An exact SHA-256 match of a file's bytes against a hash bank entry.</summary>
    public const string Sha256 = "sha256";

    /// <summary>Text read from an image (OCR); the text detectors' evidence spans are offsets into that text.</summary>
    public const string Ocr = "ocr";

    /// <summary>A match in an allow-list bank (known false positive) that suppressed hash matches elsewhere.</summary>
    public const string AllowList = "allow_list";

    /// <summary>True for the signal types of hash-bank matches: <see cref="Pdq"/>, <see cref="Md5"/> and <see cref="Sha256"/>.</summary>
    public static bool IsBankMatch(string type) => type is Pdq or Md5 or Sha256;
}

/// <summary>
/// One scored observation about a piece of content.
/// </summary>
/// <param name="Type">Which detector produced it (<see cref="SignalTypes"/>).</param>
/// <param name="Label">What it speaks for: a category id, a context wire name, a language code.</param>
/// <param name="Score">Strength in [0, 1].</param>
/// <param name="Evidence">Spans that justify it; may be empty for whole-text signals.</param>
public sealed record Signal(string Type, string Label, double Score, IReadOnlyList<Evidence> Evidence);
