using Vigil.Core.Signals;

namespace Vigil.Core.Banks;

/// <summary>What the source of an entry says about it (ThreatExchange's opinion categories).</summary>
public enum BankOpinion
{
    /// <summary>Known to be the bank's kind of content (ThreatExchange TRUE_POSITIVE). The default.</summary>
    Positive,

    /// <summary>Worth investigating, not confirmed (WORTH_INVESTIGATING): matches count half.</summary>
    Investigate,

    /// <summary>Known false positive (FALSE_POSITIVE): behaves like an allow-list entry.</summary>
    FalsePositive,
}

/// <summary>Labels of a bank entry.</summary>
/// <param name="Organisation">The organisation whose material it is (e.g. a designated group), if known.</param>
/// <param name="Ideology">e.g. <c>islamist</c> or <c>far-right</c> (Tech Against Terrorism's values).</param>
/// <param name="Category">A taxonomy category id (<see cref="Taxonomy"/>): a match raises that category's score.</param>
/// <param name="Tags">Free tags (ThreatExchange tags), without spaces.</param>
public sealed record BankLabels(string? Organisation = null, string? Ideology = null, string? Category = null, IReadOnlyList<string>? Tags = null)
{
    /// <summary>No labels.</summary>
    public static BankLabels None { get; } = new();

    /// <summary>The tags, never null.</summary>
    public IReadOnlyList<string> TagList => Tags ?? [];

    /// <summary>These labels, with each missing one taken from <paramref name="defaults"/>.</summary>
    public BankLabels Or(BankLabels defaults) => new(
        Organisation ?? defaults.Organisation,
        Ideology ?? defaults.Ideology,
        Category ?? defaults.Category,
        TagList.Count > 0 ? Tags : defaults.Tags);

    /// <summary>Null when valid, else the problem (an unknown category, a tag with a space).</summary>
    public string? Validate()
    {
        if (Category is not null && !Taxonomy.TryGet(Category, out _))
        {
            return $"unknown category '{Category}' (known: {string.Join(", ", Taxonomy.All.Select(c => c.Id))})";
        }

        var badTag = TagList.FirstOrDefault(t => t.Length == 0 || t.Any(char.IsWhiteSpace));
        return badTag is not null ? $"tag '{badTag}' is empty or holds a space" : null;
    }

    /// <summary>e.g. <c>category=terrorism.emblem; organisation=X; ideology=Y; tags=a b</c>, or "" when there are none.</summary>
    public override string ToString()
    {
        var parts = new List<string>(4);
        if (Category is not null)
        {
            parts.Add($"category={Category}");
        }

        if (Organisation is not null)
        {
            parts.Add($"organisation={Organisation}");
        }

        if (Ideology is not null)
        {
            parts.Add($"ideology={Ideology}");
        }

        if (TagList.Count > 0)
        {
            parts.Add($"tags={string.Join(' ', TagList)}");
        }

        return string.Join("; ", parts);
    }
}

/// <summary>One hash of known content in a bank.</summary>
/// <param name="SignalType">The name of a registered signal type (<see cref="SignalTypeRegistry"/>), e.g. <c>pdq</c>.</param>
/// <param name="Value">The hash in the type's canonical form (<see cref="SignalType.Normalize"/>).</param>
/// <param name="Labels">Organisation, ideology, taxonomy category and tags.</param>
/// <param name="Source">Where it came from (a collaboration, a hash list, a file).</param>
/// <param name="ExternalId">The id the source gives it.</param>
/// <param name="Opinion">What the source says about it.</param>
/// <param name="Confidence">
/// How sure the source is that it is the labelled content, 0-1; null means certain (1). A match raises the
/// category's score to at most this (see <see cref="BankScoring"/>).
/// </param>
/// <param name="FileType">The source file's type, e.g. <c>jpg</c> or <c>mp4</c>.</param>
/// <param name="CreatedOn">When the source created it.</param>
/// <param name="UpdatedOn">When the source last changed it.</param>
/// <param name="Id">This store's id (0 before it is stored).</param>
/// <param name="AddedAt">When it was added to this store.</param>
public sealed record BankEntry(
    string SignalType,
    string Value,
    BankLabels? Labels = null,
    string? Source = null,
    string? ExternalId = null,
    BankOpinion Opinion = BankOpinion.Positive,
    double? Confidence = null,
    string? FileType = null,
    DateTimeOffset? CreatedOn = null,
    DateTimeOffset? UpdatedOn = null,
    long Id = 0,
    DateTimeOffset AddedAt = default)
{
    /// <summary>The labels, never null.</summary>
    public BankLabels LabelsOrNone => Labels ?? BankLabels.None;

    /// <summary>The key that identifies the entry within its bank.</summary>
    public BankEntryKey Key => new(SignalType, Value);

    /// <summary>Null when the entry is valid (a registered signal type by its name, a canonical value, labels,
    /// confidence), else the first problem.</summary>
    public string? Validate(SignalTypeRegistry types)
    {
        ArgumentNullException.ThrowIfNull(types);
        if (!types.TryGet(SignalType, out var type) || type.Name != SignalType)
        {
            return $"unknown signal type '{SignalType}' (known: {types.Names})";
        }

        if (type.Normalize(Value, out var normalized) is { } problem)
        {
            return problem;
        }

        if (normalized != Value)
        {
            return "the hash value is not in canonical form";
        }

        if (Confidence is { } c && (double.IsNaN(c) || c is < 0 or > 1))
        {
            return $"confidence must be 0-1, not {c}";
        }

        return LabelsOrNone.Validate();
    }
}
