namespace Vigil.Media.Banks;

/// <summary>The kinds of hash a bank entry holds.</summary>
public enum BankSignalType
{
    /// <summary>PDQ perceptual hash of an image (64 hex digits), matched within a Hamming distance.</summary>
    Pdq,

    /// <summary>MD5 of the file's bytes (32 hex digits), matched exactly.</summary>
    Md5,

    /// <summary>SHA-256 of the file's bytes (64 hex digits), matched exactly.</summary>
    Sha256,
}

/// <summary>Wire names (<c>pdq</c>, <c>md5</c>, <c>sha256</c>) and value checks of <see cref="BankSignalType"/>.</summary>
public static class BankSignalTypes
{
    /// <summary>Every signal type, in wire order.</summary>
    public static IReadOnlyList<BankSignalType> All { get; } = [BankSignalType.Pdq, BankSignalType.Md5, BankSignalType.Sha256];

    /// <summary>The wire name: <c>pdq</c>, <c>md5</c> or <c>sha256</c> (also the evidence signal name).</summary>
    public static string ToWire(this BankSignalType type) => type switch
    {
        BankSignalType.Md5 => "md5",
        BankSignalType.Sha256 => "sha256",
        _ => "pdq",
    };

    /// <summary>
    /// Parses a signal type name, case-insensitively. Besides the wire names it accepts the names other tools use:
    /// python-threatexchange's <c>video_md5</c> and <c>photo_md5</c>, and <c>sha-256</c>.
    /// </summary>
    public static bool TryParse(string? name, out BankSignalType type)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "pdq":
                type = BankSignalType.Pdq;
                return true;
            case "md5" or "video_md5" or "photo_md5":
                type = BankSignalType.Md5;
                return true;
            case "sha256" or "sha-256" or "sha_256":
                type = BankSignalType.Sha256;
                return true;
            default:
                type = default;
                return false;
        }
    }

    /// <summary>The number of hex digits of a value of this type.</summary>
    public static int HexLength(this BankSignalType type) => type == BankSignalType.Md5 ? 32 : 64;

    /// <summary>
    /// Checks and canonicalises a hash value: trimmed, lowercase hex of the right length. An all-zero PDQ hash is
    /// refused: it is what images under 5 pixels hash to and would match every such image.
    /// </summary>
    /// <returns>Null when the value is valid, else why not.</returns>
    public static string? Normalize(BankSignalType type, string? value, out string normalized)
    {
        normalized = "";
        var text = (value ?? "").Trim();
        if (text.Length == 0)
        {
            return "empty hash value";
        }

        if (text.Length != type.HexLength())
        {
            return $"a {type.ToWire()} hash is {type.HexLength()} hex digits, not {Math.Min(text.Length, 9999)}";
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return $"'{Printable(c)}' is not a hex digit";
            }
        }

        normalized = text.ToLowerInvariant();
        if (type == BankSignalType.Pdq && normalized.AsSpan().IndexOfAnyExcept('0') < 0)
        {
            normalized = "";
            return "an all-zero PDQ hash carries no signal";
        }

        return null;
    }

    private static string Printable(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : c.ToString();
}
