using Vigil.Core.Signals;

namespace Vigil.Text.Signals;

/// <summary>The signal types of text.</summary>
public static class TextSignalTypes
{
    /// <summary><c>text_sha256</c> and <c>text_minhash</c>, in that order.</summary>
    public static IReadOnlyList<SignalType> All { get; } = [new TextSha256SignalType(), new TextMinHashSignalType()];
}
