namespace Vigil.Core.Banks;

/// <summary>Content matched a bank entry.</summary>
/// <param name="Bank">The entry's bank.</param>
/// <param name="Entry">The entry.</param>
/// <param name="Distance">The distance in the signal type's measure (PDQ: Hamming distance); 0 for exact matches.</param>
/// <param name="Closeness">How close, from 1 (identical) down (<see cref="Signals.SignalType.Closeness"/>).</param>
/// <param name="How">The signal type's description of the match, e.g. <c>pdq distance 12 of 31</c>.</param>
public sealed record BankMatch(HashBank Bank, BankEntry Entry, double Distance, double Closeness, string How)
{
    /// <summary>A match that vouches for the content: in an allow-list bank, or on an entry the source calls a false positive.</summary>
    public bool IsAllow => Bank.AllowList || Entry.Opinion == BankOpinion.FalsePositive;

    /// <summary>e.g. <c>bank 'tvec' entry 42: pdq distance 12 of 31; category=terrorism.emblem; organisation=X</c>.</summary>
    public string Describe()
    {
        var labels = Entry.LabelsOrNone.ToString();
        var extra = string.Concat(
            labels.Length > 0 ? "; " + labels : "",
            Entry.Opinion == BankOpinion.Investigate ? "; worth investigating" : "",
            Entry.Source is { } source ? $"; source={source}" : "");
        return $"bank '{Bank.Name}' entry {Entry.Id}: {How}{extra}";
    }
}

/// <summary>A bank whose entries of one signal type were not searched for a hash, and why.</summary>
/// <param name="Bank">The bank.</param>
/// <param name="SignalType">The signal type.</param>
/// <param name="Reason">e.g. <c>PDQ quality 30 is under the bank's minimum 50</c>.</param>
public sealed record BankSkip(HashBank Bank, string SignalType, string Reason);

/// <summary>What matching content against the banks found.</summary>
/// <param name="Matches">Matches that count, closest first (empty when an allow-list match suppressed them).</param>
/// <param name="AllowMatches">Matches in allow-lists (or on false-positive entries).</param>
/// <param name="Suppressed">Matches that the allow-list matches suppressed.</param>
/// <param name="Skipped">Banks whose entries of a type were not searched for the content's hash (e.g. its PDQ quality is
/// under their minimum).</param>
public sealed record BankMatchResult(
    IReadOnlyList<BankMatch> Matches,
    IReadOnlyList<BankMatch> AllowMatches,
    IReadOnlyList<BankMatch> Suppressed,
    IReadOnlyList<BankSkip> Skipped)
{
    /// <summary>Nothing matched.</summary>
    public static BankMatchResult None { get; } = new([], [], [], []);

    /// <summary>Whether anything matched at all (a match, an allow-list match or a suppressed one).</summary>
    public bool Any => Matches.Count + AllowMatches.Count + Suppressed.Count > 0;
}
