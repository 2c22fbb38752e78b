namespace Vigil.Text.Signals;

/// <summary>Checks and canonicalises the hex strings of the text signals, with the messages of
/// <c>BankSignalTypes.Normalize</c> for image hashes.</summary>
internal static class SignalHex
{
    /// <summary>Trimmed, lowercase hex of <paramref name="hexLength"/> digits.</summary>
    /// <returns>Null when the value is valid, else why not.</returns>
    public static string? Normalize(string? value, int hexLength, string what, out string normalized)
    {
        normalized = "";
        var text = (value ?? "").Trim();
        if (text.Length == 0)
        {
            return $"empty {what}";
        }

        if (text.Length != hexLength)
        {
            return $"a {what} is {hexLength} hex digits, not {Math.Min(text.Length, 9999)}";
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return $"'{Printable(c)}' is not a hex digit";
            }
        }

        normalized = text.ToLowerInvariant();
        return null;
    }

    private static string Printable(char c) => char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : c.ToString();
}
