namespace Vigil.Core;

public enum VerdictKind
{
    Clear,
    Review,
    Violating,
}

public static class VerdictKindNames
{
    public static string ToWire(this VerdictKind kind) => kind switch
    {
        VerdictKind.Violating => "violating",
        VerdictKind.Review => "review",
        _ => "clear",
    };
}

/// <summary>
/// What the policy concluded about one piece of content.
/// </summary>
/// <param name="Kind">violating, review or clear.</param>
/// <param name="Labels">Category ids whose score passed the policy's review threshold, most severe first.</param>
/// <param name="Scores">A score for every category in <see cref="Taxonomy.All"/>.</param>
/// <param name="Context">The purpose the post appears to serve.</param>
/// <param name="Language">ISO 639-1 code, or null when unknown.</param>
/// <param name="Evidence">All evidence, in text order.</param>
/// <param name="LegalBasis">Provisions that the labels cite (and the TCO exemption where the context is protected).</param>
/// <param name="PolicyVersion">The policy version that decided.</param>
public sealed record Verdict(
    VerdictKind Kind,
    IReadOnlyList<string> Labels,
    IReadOnlyDictionary<string, double> Scores,
    ContentContext Context,
    string? Language,
    IReadOnlyList<Evidence> Evidence,
    IReadOnlyList<string> LegalBasis,
    string PolicyVersion);
