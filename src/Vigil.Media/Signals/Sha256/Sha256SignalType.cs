using System.Security.Cryptography;

namespace Vigil.Media.Signals.Sha256;

/// <summary>SHA-256 of a file's bytes (64 hex digits), matched exactly.</summary>
public sealed class Sha256SignalType : FileDigestSignalType
{
    public override string Name => "sha256";

    public override IReadOnlyList<string> Aliases { get; } = ["sha-256", "sha_256"];

    public override string Description => "SHA-256 of a file's bytes (64 hex digits), matched exactly.";

    protected override int HexDigits => 64;

    protected override byte[] Digest(ReadOnlySpan<byte> bytes) => SHA256.HashData(bytes);
}
