namespace Vigil.Media.Banks;

/// <summary>
/// A named bank of known content (hashes of images and files), as in Meta's HMA and GIFCT's hash-sharing database.
/// </summary>
/// <param name="Name">Unique name: 1-64 ASCII letters, digits, '-', '_' or '.'.</param>
/// <param name="Enabled">Disabled banks are kept but not matched.</param>
/// <param name="AllowList">
/// An allow-list holds known false positives: a match in it suppresses the matches of the same content in every
/// other bank (and the suppression is reported).
/// </param>
/// <param name="PdqThreshold">Largest PDQ Hamming distance that is a match (0-63; default 31, upstream's).</param>
/// <param name="MinQuality">PDQ hashes of images whose quality is under this (0-100; default 50) are not matched in this bank.</param>
/// <param name="Description">Free text: where the bank comes from.</param>
/// <param name="CreatedAt">When the bank was created here.</param>
/// <param name="UpdatedAt">When the bank or its entries last changed.</param>
public sealed record HashBank(
    string Name,
    bool Enabled = true,
    bool AllowList = false,
    int PdqThreshold = HashBank.DefaultPdqThreshold,
    int MinQuality = HashBank.DefaultMinQuality,
    string? Description = null,
    DateTimeOffset CreatedAt = default,
    DateTimeOffset UpdatedAt = default)
{
    /// <summary>Upstream's PDQ match threshold.</summary>
    public const int DefaultPdqThreshold = PdqIndex.DefaultMaxDistance;

    /// <summary>Upstream discards PDQ hashes with quality under 50.</summary>
    public const int DefaultMinQuality = 50;

    /// <summary>Longest bank name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Null when the bank's settings are valid, else the first problem.</summary>
    public string? Validate()
    {
        if (ValidateName(Name) is { } nameProblem)
        {
            return nameProblem;
        }

        if (PdqThreshold is < 0 or > PdqIndex.MaxSupportedDistance)
        {
            return $"the PDQ threshold must be 0-{PdqIndex.MaxSupportedDistance}, not {PdqThreshold}";
        }

        return MinQuality is < 0 or > 100 ? $"the minimum quality must be 0-100, not {MinQuality}" : null;
    }

    /// <summary>Null when <paramref name="name"/> is a valid bank name, else why not.</summary>
    public static string? ValidateName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            return $"a bank name has 1-{MaxNameLength} characters";
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return $"a bank name may only hold ASCII letters, digits, '-', '_' and '.' (not '{c}')";
            }
        }

        return null;
    }
}
