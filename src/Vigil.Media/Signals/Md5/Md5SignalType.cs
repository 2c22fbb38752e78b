using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Vigil.Media.Signals.Md5;

/// <summary>MD5 of a file's bytes (32 hex digits), matched exactly: what many shared hash lists hold.</summary>
public sealed class Md5SignalType : FileDigestSignalType
{
    public override string Name => "md5";

    /// <summary>python-threatexchange's names for it.</summary>
    public override IReadOnlyList<string> Aliases { get; } = ["video_md5", "photo_md5"];

    public override string ThreatExchangeName => "video_md5";

    public override string Description => "MD5 of a file's bytes (32 hex digits), matched exactly.";

    protected override int HexDigits => 32;

    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms",
        Justification = "MD5 identifies content for matching against shared MD5 hash lists; it is not a security control.")]
    protected override byte[] Digest(ReadOnlySpan<byte> bytes) => MD5.HashData(bytes);
}
