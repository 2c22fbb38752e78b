namespace Vigil.Core;

/// <summary>Signal types Vigil's detectors emit. Like HMA's signal types, each is produced by exactly one detector.</summary>
public static class SignalTypes
{
    public const string Designation = "designation";
    public const string Lexicon = "lexicon";
    public const string Classifier = "classifier";
    public const string Context = "context";
    public const string Language = "language";
}

/// <summary>
/// One scored observation about a piece of content.
/// </summary>
/// <param name="Type">Which detector produced it (<see cref="SignalTypes"/>).</param>
/// <param name="Label">What it speaks for: a category id, a context wire name, a language code.</param>
/// <param name="Score">Strength in [0, 1].</param>
/// <param name="Evidence">Spans that justify it; may be empty for whole-text signals.</param>
public sealed record Signal(string Type, string Label, double Score, IReadOnlyList<Evidence> Evidence);
