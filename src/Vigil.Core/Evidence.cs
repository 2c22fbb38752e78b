namespace Vigil.Core;

/// <summary>
/// Why a signal fired: a span of the original text (UTF-16 offsets, end exclusive) and a short explanation.
/// Spans are always offsets into the text as submitted, never into a normalised copy.
/// </summary>
/// <param name="Start">First UTF-16 code unit of the span in the original text.</param>
/// <param name="End">One past the last code unit.</param>
/// <param name="Signal">The signal type that produced it (<see cref="SignalKinds"/>).</param>
/// <param name="Detail">Human explanation: the matched entry and its list, the coded term, the cue.</param>
public sealed record Evidence(int Start, int End, string Signal, string Detail);
