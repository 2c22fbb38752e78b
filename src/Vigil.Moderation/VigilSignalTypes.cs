using Vigil.Core.Signals;
using Vigil.Media.Signals;
using Vigil.Text.Signals;

namespace Vigil.Moderation;

/// <summary>The signal types Vigil registers: of images and files (PDQ, MD5, SHA-256) and of texts (text_sha256,
/// text_minhash).</summary>
public static class VigilSignalTypes
{
    /// <summary>The built-in signal types, in order.</summary>
    public static IReadOnlyList<SignalType> BuiltIn { get; } = [.. MediaSignalTypes.All, .. TextSignalTypes.All];

    /// <summary>A registry of the built-in types plus <paramref name="extra"/> (a host's own).</summary>
    public static SignalTypeRegistry Create(IEnumerable<SignalType>? extra = null) => new(BuiltIn.Concat(extra ?? []));

    /// <summary>The built-in types alone.</summary>
    public static SignalTypeRegistry Default { get; } = Create();
}
