using Vigil.Core.Signals;

namespace Vigil.Media.Signals;

/// <summary>A cryptographic digest of a file's bytes, matched exactly (MD5, SHA-256): hashes the bytes of image parts
/// whether or not they decode, so that a file that does not decode is still matched.</summary>
public abstract class FileDigestSignalType : SignalType
{
    public override IReadOnlyList<string> PartTypes { get; } = [Core.Content.PartTypes.Image];

    /// <summary>The digest's length in hex digits.</summary>
    protected abstract int HexDigits { get; }

    /// <summary>The digest of <paramref name="bytes"/>.</summary>
    protected abstract byte[] Digest(ReadOnlySpan<byte> bytes);

    public override string? Normalize(string? value, out string normalized) => NormalizeHex(value, HexDigits, out normalized);

    public override IEnumerable<ContentHash> Hash(PartView part)
    {
        ArgumentNullException.ThrowIfNull(part);
        return [new ContentHash(Name, Convert.ToHexStringLower(Digest(part.Part.Bytes.Span)))];
    }
}
