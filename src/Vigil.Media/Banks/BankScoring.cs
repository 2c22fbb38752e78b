using Vigil.Core;

namespace Vigil.Media.Banks;

/// <summary>
/// How bank matches become signals and category scores: the one place where a hash match turns into a score.
/// </summary>
/// <remarks>
/// <para>A match raises the score of its entry's taxonomy category (<see cref="BankLabels.Category"/>) to</para>
/// <code>score = confidence x opinion x closeness</code>
/// <para>where <c>confidence</c> is the entry's (1 when it gives none), <c>opinion</c> is 1 for confirmed entries
/// and <see cref="InvestigateWeight"/> for "worth investigating" ones, and <c>closeness</c> is 1 for exact
/// (md5, sha256, PDQ distance 0) matches, falling linearly with PDQ distance <c>d</c> to
/// <c>1 - <see cref="FarthestPenalty"/></c> just past the bank's threshold <c>T</c>:
/// <c>closeness = 1 - 0.5 d / (T + 1)</c>. With the default policy (review 0.29, violating 0.55) a certain PDQ
/// match is violating up to about 0.9 T and review beyond; an exact match of a certain entry is violating.</para>
/// <para>The category score of content is the largest over its matches (and over the text read from it, see
/// <see cref="MediaAssessment"/>). A match whose entry has no category is reported as evidence but raises no
/// score. Matches that an allow-list suppressed raise nothing; the suppression is reported as evidence.</para>
/// </remarks>
public static class BankScoring
{
    /// <summary>Weight of entries the source marks as worth investigating rather than confirmed.</summary>
    public const double InvestigateWeight = 0.5;

    /// <summary>How much a PDQ match at the edge of the threshold loses against an exact one.</summary>
    public const double FarthestPenalty = 0.5;

    /// <summary>The score a match gives its entry's category.</summary>
    public static double Score(BankMatch match)
    {
        ArgumentNullException.ThrowIfNull(match);
        double confidence = Math.Clamp(match.Entry.Confidence ?? 1, 0, 1);
        double opinion = match.Entry.Opinion == BankOpinion.Investigate ? InvestigateWeight : 1;
        double closeness = match.Entry.SignalType == BankSignalType.Pdq
            ? 1 - (FarthestPenalty * match.Distance / (match.Bank.PdqThreshold + 1))
            : 1;
        return confidence * opinion * closeness;
    }

    /// <summary>The largest score per category over the matches that count.</summary>
    public static Dictionary<string, double> Scores(BankMatchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var match in result.Matches)
        {
            if (match.Entry.LabelsOrNone.Category is { } category)
            {
                scores[category] = Math.Max(scores.GetValueOrDefault(category), Score(match));
            }
        }

        return scores;
    }

    /// <summary>
    /// One signal per match that counts (type <c>pdq</c>, <c>md5</c> or <c>sha256</c>), and one
    /// <c>allow_list</c> signal per allow-list match, naming what it suppressed. Their evidence has no text span
    /// (start = end = 0): it is about the whole file.
    /// </summary>
    public static IReadOnlyList<Signal> Signals(BankMatchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var signals = new List<Signal>(result.Matches.Count + result.AllowMatches.Count);
        foreach (var match in result.Matches)
        {
            var type = match.Entry.SignalType.ToWire();
            signals.Add(new Signal(type, match.Entry.LabelsOrNone.Category ?? "none", Score(match), [new Evidence(0, 0, type, match.Describe())]));
        }

        foreach (var allow in result.AllowMatches)
        {
            var suppressed = result.Suppressed.Count == 0
                ? "nothing else matched"
                : $"suppressed {result.Suppressed.Count} match(es): {string.Join(" | ", result.Suppressed.Select(m => m.Describe()))}";
            signals.Add(new Signal(
                SignalTypes.AllowList, "allow_list", 0,
                [new Evidence(0, 0, SignalTypes.AllowList, $"allow-list match, {allow.Describe()}; {suppressed}")]));
        }

        return signals;
    }
}
