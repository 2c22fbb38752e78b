using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Vigil.Media;

/// <summary>
/// Exact-match hashes of the encoded bytes, as lowercase hex: MD5 (what many shared hash lists
/// use) and SHA-256.
/// </summary>
public sealed record ContentHashes(string Md5, string Sha256)
{
    /// <summary>Hashes a byte buffer.</summary>
    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms",
        Justification = "MD5 identifies content for matching against shared MD5 hash lists; it is not a security control.")]
    public static ContentHashes Compute(ReadOnlySpan<byte> data)
    {
        Span<byte> md5 = stackalloc byte[MD5.HashSizeInBytes];
        Span<byte> sha256 = stackalloc byte[SHA256.HashSizeInBytes];
        MD5.HashData(data, md5);
        SHA256.HashData(data, sha256);
        return new ContentHashes(Convert.ToHexStringLower(md5), Convert.ToHexStringLower(sha256));
    }

    /// <summary>Hashes a stream from its current position to the end, in one read pass.</summary>
    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms",
        Justification = "MD5 identifies content for matching against shared MD5 hash lists; it is not a security control.")]
    public static ContentHashes Compute(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            md5.AppendData(buffer, 0, read);
            sha256.AppendData(buffer, 0, read);
        }

        return new ContentHashes(Convert.ToHexStringLower(md5.GetHashAndReset()), Convert.ToHexStringLower(sha256.GetHashAndReset()));
    }
}
