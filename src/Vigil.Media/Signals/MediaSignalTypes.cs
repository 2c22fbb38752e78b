using Vigil.Core.Signals;
using Vigil.Media.Signals.Md5;
using Vigil.Media.Signals.Pdq;
using Vigil.Media.Signals.Sha256;

namespace Vigil.Media.Signals;

/// <summary>The signal types of images and files.</summary>
public static class MediaSignalTypes
{
    /// <summary>PDQ, MD5 and SHA-256, in that order.</summary>
    public static IReadOnlyList<SignalType> All { get; } = [new PdqSignalType(), new Md5SignalType(), new Sha256SignalType()];
}
