using System.Security.Cryptography;
using System.Text;

namespace Vigil.Text.Signals;

/// <summary>
/// The <c>text_sha256</c> signal: SHA-256 of a text's <see cref="CanonicalText"/> without its spaces, for exact
/// re-uploads. Two texts hash alike when they have the same letters and digits in the same order after normalisation,
/// whatever their case, spacing, punctuation, links, mentions, invisible characters, look-alike letters, leetspeak or
/// spaced-out letters.
/// </summary>
/// <remarks>The hash is <c>SHA-256(UTF-8(CanonicalText.Of(text) with every space removed))</c>, as 64 lowercase hex
/// digits. The spaces go because spacing letters apart blurs word boundaries: the normaliser reads
/// <c>a s-m-a-l-l</c> as <c>asmall</c>. A text whose canonical form is empty has no hash: it would match every post
/// without words.</remarks>
public static class TextSha256
{
    /// <summary>The signal type's name in banks and evidence.</summary>
    public const string Name = "text_sha256";

    /// <summary>Hex digits of a value.</summary>
    public const int HexLength = 64;

    /// <summary>The hash of <paramref name="text"/>, or null when it has no words (see <see cref="CanonicalText"/>).</summary>
    public static string? Compute(string text)
    {
        string canonical = CanonicalText.Of(text);
        return canonical.Length == 0 ? null : HashCanonical(canonical);
    }

    /// <summary>The hash of a text already in canonical form.</summary>
    internal static string HashCanonical(string canonical)
    {
        canonical = canonical.Replace(" ", "", StringComparison.Ordinal);
        int max = Encoding.UTF8.GetMaxByteCount(canonical.Length);
        byte[]? rented = null;
        Span<byte> utf8 = max <= 1024 ? stackalloc byte[max] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(max));
        int length = Encoding.UTF8.GetBytes(canonical, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Checks and canonicalises a hash value: trimmed, 64 lowercase hex digits.</summary>
    /// <returns>Null when the value is valid, else why not.</returns>
    public static string? Normalize(string? value, out string normalized) => SignalHex.Normalize(value, HexLength, $"{Name} hash", out normalized);
}
