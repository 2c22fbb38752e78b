namespace Vigil.Core;

/// <summary>
/// What the detectors found in one piece of content, before policy: a score per category, the context, the
/// language and every signal with its evidence.
/// </summary>
public sealed record Assessment(
    IReadOnlyDictionary<string, double> Scores,
    ContentContext Context,
    string? Language,
    IReadOnlyList<Signal> Signals);
