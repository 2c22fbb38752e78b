namespace Vigil.Media.Banks;

/// <summary>An image (or file) matched a bank entry.</summary>
/// <param name="Bank">The entry's bank.</param>
/// <param name="Entry">The entry.</param>
/// <param name="Distance">PDQ Hamming distance; 0 for exact md5/sha256 matches.</param>
public sealed record BankMatch(HashBank Bank, BankEntry Entry, int Distance)
{
    /// <summary>A match that vouches for the content: in an allow-list bank, or on an entry the source calls a false positive.</summary>
    public bool IsAllow => Bank.AllowList || Entry.Opinion == BankOpinion.FalsePositive;

    /// <summary>e.g. <c>bank 'tvec' entry 42: pdq distance 12 of 31; category=terrorism.emblem; organisation=X</c>.</summary>
    public string Describe()
    {
        var how = Entry.SignalType == BankSignalType.Pdq
            ? $"pdq distance {Distance} of {Bank.PdqThreshold}"
            : $"{Entry.SignalType.ToWire()} exact";
        var labels = Entry.LabelsOrNone.ToString();
        var extra = string.Concat(
            labels.Length > 0 ? "; " + labels : "",
            Entry.Opinion == BankOpinion.Investigate ? "; worth investigating" : "",
            Entry.Source is { } source ? $"; source={source}" : "");
        return $"bank '{Bank.Name}' entry {Entry.Id}: {how}{extra}";
    }
}

/// <summary>What matching one image against the banks found.</summary>
/// <param name="Matches">Matches that count, closest first (empty when an allow-list match suppressed them).</param>
/// <param name="AllowMatches">Matches in allow-lists (or on false-positive entries).</param>
/// <param name="Suppressed">Matches that the allow-list matches suppressed.</param>
/// <param name="BelowMinQuality">Banks whose PDQ entries were not searched because the image's PDQ quality is under their minimum.</param>
public sealed record BankMatchResult(
    IReadOnlyList<BankMatch> Matches,
    IReadOnlyList<BankMatch> AllowMatches,
    IReadOnlyList<BankMatch> Suppressed,
    IReadOnlyList<HashBank> BelowMinQuality)
{
    /// <summary>Nothing matched.</summary>
    public static BankMatchResult None { get; } = new([], [], [], []);
}
