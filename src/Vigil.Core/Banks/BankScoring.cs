namespace Vigil.Core.Banks;

/// <summary>
/// How bank matches become signals and category scores: the one place where a hash match turns into a score.
/// </summary>
/// <remarks>
/// <para>A match raises the score of its entry's taxonomy category (<see cref="BankLabels.Category"/>) to</para>
/// <code>score = confidence x opinion x closeness</code>
/// <para>where <c>confidence</c> is the entry's (1 when it gives none), <c>opinion</c> is 1 for confirmed entries
/// and <see cref="InvestigateWeight"/> for "worth investigating" ones, and <c>closeness</c> is the signal type's
/// (<see cref="Signals.SignalType.Closeness"/>): 1 for exact matches; for PDQ it falls linearly with the distance
/// <c>d</c> to 0.5 just past the bank's threshold <c>T</c>: <c>1 - 0.5 d / (T + 1)</c>.</para>
/// <para>The category score of content is the largest over its matches and over what the other detectors found. A
/// match whose entry has no category is reported as evidence but raises no category score. Matches that an allow-list
/// suppressed raise nothing; the suppression is reported as evidence.</para>
/// </remarks>
public static class BankScoring
{
    /// <summary>Weight of entries the source marks as worth investigating rather than confirmed.</summary>
    public const double InvestigateWeight = 0.5;

    /// <summary>The score a match gives its entry's category.</summary>
    public static double Score(BankMatch match)
    {
        ArgumentNullException.ThrowIfNull(match);
        double confidence = Math.Clamp(match.Entry.Confidence ?? 1, 0, 1);
        double opinion = match.Entry.Opinion == BankOpinion.Investigate ? InvestigateWeight : 1;
        return confidence * opinion * Math.Clamp(match.Closeness, 0, 1);
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
    /// One signal per match that counts (its type is the entry's signal type, e.g. <c>pdq</c>, and it names the bank),
    /// and one <c>allow_list</c> signal per allow-list match, naming what it suppressed. Their evidence spans
    /// <paramref name="span"/>: nothing (start = end = 0) for a file, the whole text for a text.
    /// </summary>
    public static IReadOnlyList<Signal> Signals(BankMatchResult result, (int Start, int End) span = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        var signals = new List<Signal>(result.Matches.Count + result.AllowMatches.Count);
        foreach (var match in result.Matches)
        {
            var type = match.Entry.SignalType;
            signals.Add(new Signal(type, match.Entry.LabelsOrNone.Category ?? "none", Score(match), [new Evidence(span.Start, span.End, type, match.Describe())])
            {
                Bank = match.Bank.Name,
                RequestedAction = match.Bank.OnMatch,
            });
        }

        foreach (var allow in result.AllowMatches)
        {
            var suppressed = result.Suppressed.Count == 0
                ? "nothing else matched"
                : $"suppressed {result.Suppressed.Count} match(es): {string.Join(" | ", result.Suppressed.Select(m => m.Describe()))}";
            signals.Add(new Signal(
                SignalKinds.AllowList, "allow_list", 0,
                [new Evidence(span.Start, span.End, SignalKinds.AllowList, $"allow-list match, {allow.Describe()}; {suppressed}")])
            {
                Bank = allow.Bank.Name,
            });
        }

        return signals;
    }
}
