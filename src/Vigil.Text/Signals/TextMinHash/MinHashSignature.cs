using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Vigil.Text.Signals;

/// <summary>
/// A <c>text_minhash</c> signature: <see cref="Size"/> one-byte MinHash values, written as <see cref="HexLength"/>
/// lowercase hex digits (value 0 first, two digits each). A bank stores this string instead of the text; the text
/// cannot be read back from it. Immutable.
/// </summary>
public sealed class MinHashSignature : IEquatable<MinHashSignature>
{
    /// <summary>Number of MinHash values (hash functions).</summary>
    public const int Size = 128;

    /// <summary>Hex digits of the canonical string.</summary>
    public const int HexLength = 2 * Size;

    private readonly byte[] _values;

    private MinHashSignature(byte[] values) => _values = values;

    /// <summary>The values, one byte each (the low 8 bits of each hash function's minimum).</summary>
    public ReadOnlySpan<byte> Values => _values;

    /// <summary>A signature from its <see cref="Size"/> values (copied).</summary>
    public static MinHashSignature FromValues(ReadOnlySpan<byte> values)
    {
        if (values.Length != Size)
        {
            throw new ArgumentException($"a {TextMinHash.Name} signature has {Size} values, not {values.Length}", nameof(values));
        }

        return new MinHashSignature(values.ToArray());
    }

    /// <summary>Takes ownership of <paramref name="values"/> (exactly <see cref="Size"/> bytes).</summary>
    internal static MinHashSignature Wrap(byte[] values) => new(values);

    /// <summary>
    /// Checks and canonicalises a signature string: trimmed, <see cref="HexLength"/> lowercase hex digits. A string whose
    /// values are all equal (such as all zeros) is refused: no text has such a signature.
    /// </summary>
    /// <returns>Null when the value is valid, else why not.</returns>
    public static string? Normalize(string? value, out string normalized)
    {
        string? problem = SignalHex.Normalize(value, HexLength, $"{TextMinHash.Name} signature", out normalized);
        if (problem is null && AllValuesEqual(normalized))
        {
            normalized = "";
            return $"all {Size} values of this {TextMinHash.Name} signature are equal: it is not the signature of a text";
        }

        return problem;
    }

    /// <summary>Parses a signature string (see <see cref="Normalize"/>).</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out MinHashSignature? signature)
    {
        signature = Normalize(value, out var hex) is null ? new MinHashSignature(Convert.FromHexString(hex)) : null;
        return signature is not null;
    }

    /// <summary>Parses a signature string.</summary>
    /// <exception cref="FormatException">The string is not a signature; the message says why.</exception>
    public static MinHashSignature Parse(string value) =>
        Normalize(value, out var hex) is { } problem ? throw new FormatException(problem) : new MinHashSignature(Convert.FromHexString(hex));

    /// <summary>The canonical string: <see cref="HexLength"/> lowercase hex digits.</summary>
    public string ToHex() => Convert.ToHexStringLower(_values);

    /// <summary>The estimated Jaccard similarity of the two texts' shingle sets, in [0, 1] (<see cref="TextMinHash.Similarity"/>).</summary>
    public double SimilarityTo(MinHashSignature other) => TextMinHash.Similarity(this, other);

    public override string ToString() => ToHex();

    public bool Equals(MinHashSignature? other) => other is not null && _values.AsSpan().SequenceEqual(other._values);

    public override bool Equals(object? obj) => Equals(obj as MinHashSignature);

    public override int GetHashCode() => (int)BinaryPrimitives.ReadUInt32LittleEndian(_values);

    private static bool AllValuesEqual(string hex)
    {
        for (int i = 2; i < hex.Length; i += 2)
        {
            if (hex[i] != hex[0] || hex[i + 1] != hex[1])
            {
                return false;
            }
        }

        return true;
    }
}
