using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Vigil.Media;

/// <summary>
/// A 256-bit PDQ hash. Bit <c>k</c> (0 = least-significant bit of the 256-bit big-endian hex
/// number) is DCT coefficient <c>[k / 16][k % 16]</c>, as in the reference implementation.
/// <see cref="Word0"/> holds bits 0-63 and <see cref="Word3"/> bits 192-255.
/// </summary>
public readonly record struct PdqHash(ulong Word0, ulong Word1, ulong Word2, ulong Word3)
{
    /// <summary>Number of bits in a PDQ hash.</summary>
    public const int BitLength = 256;

    /// <summary>Length of the hex form (64 lowercase hex digits).</summary>
    public const int HexLength = 64;

    /// <summary>The all-zero hash: what the reference yields for images under 5 px.</summary>
    public static PdqHash Zero => default;

    /// <summary>True for the all-zero hash, which carries no signal.</summary>
    public bool IsZero => (Word0 | Word1 | Word2 | Word3) == 0;

    /// <summary>Number of set bits (128 for almost every real image).</summary>
    public int PopCount =>
        BitOperations.PopCount(Word0) + BitOperations.PopCount(Word1) +
        BitOperations.PopCount(Word2) + BitOperations.PopCount(Word3);

    /// <summary>Hamming distance to <paramref name="other"/> (0-256).</summary>
    public int Distance(PdqHash other) =>
        BitOperations.PopCount(Word0 ^ other.Word0) + BitOperations.PopCount(Word1 ^ other.Word1) +
        BitOperations.PopCount(Word2 ^ other.Word2) + BitOperations.PopCount(Word3 ^ other.Word3);

    /// <summary>Value of bit <paramref name="index"/> (0-255).</summary>
    public bool GetBit(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BitLength);
        return ((GetWord(index >> 6) >> (index & 63)) & 1) != 0;
    }

    /// <summary>64-bit word <paramref name="index"/> (0 = least significant).</summary>
    internal ulong GetWord(int index) => index switch
    {
        0 => Word0,
        1 => Word1,
        2 => Word2,
        3 => Word3,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Parses 64 hex digits (either case), most significant first, as the reference prints them.</summary>
    /// <exception cref="FormatException">The text is not exactly 64 hex digits.</exception>
    public static PdqHash Parse(ReadOnlySpan<char> hex) =>
        TryParse(hex, out var hash)
            ? hash
            : throw new FormatException($"A PDQ hash is exactly {HexLength} hex digits; got \"{Truncate(hex)}\".");

    /// <inheritdoc cref="Parse(ReadOnlySpan{char})"/>
    public static PdqHash Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return Parse(hex.AsSpan());
    }

    /// <summary>Parses 64 hex digits; returns false (and <see cref="Zero"/>) on anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> hex, out PdqHash hash)
    {
        hash = default;
        if (hex.Length != HexLength)
        {
            return false;
        }

        Span<ulong> words = stackalloc ulong[4];
        for (var w = 0; w < 4; w++)
        {
            // The first 16 digits are the most significant word.
            if (!TryParseWord(hex.Slice(w * 16, 16), out words[3 - w]))
            {
                return false;
            }
        }

        hash = new PdqHash(words[0], words[1], words[2], words[3]);
        return true;
    }

    /// <inheritdoc cref="TryParse(ReadOnlySpan{char}, out PdqHash)"/>
    public static bool TryParse([NotNullWhen(true)] string? hex, out PdqHash hash)
    {
        if (hex is null)
        {
            hash = default;
            return false;
        }

        return TryParse(hex.AsSpan(), out hash);
    }

    /// <summary>64 lowercase hex digits, most significant first (the reference's format).</summary>
    public override string ToString() => string.Create(HexLength, this, static (span, h) =>
    {
        WriteWord(span[..16], h.Word3);
        WriteWord(span.Slice(16, 16), h.Word2);
        WriteWord(span.Slice(32, 16), h.Word1);
        WriteWord(span.Slice(48, 16), h.Word0);
    });

    private static bool TryParseWord(ReadOnlySpan<char> digits, out ulong value)
    {
        value = 0;
        foreach (var c in digits)
        {
            int nibble = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                return false;
            }

            value = (value << 4) | (uint)nibble;
        }

        return true;
    }

    private static void WriteWord(Span<char> destination, ulong value)
    {
        const string digits = "0123456789abcdef";
        for (var i = 15; i >= 0; i--)
        {
            destination[i] = digits[(int)(value & 0xF)];
            value >>= 4;
        }
    }

    private static string Truncate(ReadOnlySpan<char> text) =>
        text.Length <= 80 ? text.ToString() : string.Concat(text[..80], "...");
}
