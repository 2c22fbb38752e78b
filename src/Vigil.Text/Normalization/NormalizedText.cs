namespace Vigil.Text.Normalization;

/// <summary>
/// Text after <see cref="TextNormalizer"/>, with a map from every normalised character back to the span of the
/// original text it came from, so that evidence found in the normalised text points at what the user wrote.
/// </summary>
public sealed class NormalizedText
{
    private readonly int[] _starts;
    private readonly int[] _ends;

    internal NormalizedText(string original, string value, int[] starts, int[] ends)
    {
        Original = original;
        Value = value;
        _starts = starts;
        _ends = ends;
    }

    /// <summary>The text as submitted.</summary>
    public string Original { get; }

    /// <summary>The normalised text: lower case, evasions undone, single spaces.</summary>
    public string Value { get; }

    public int Length => Value.Length;

    /// <summary>Maps a span of <see cref="Value"/> (end exclusive) to the span of <see cref="Original"/> it was made from.</summary>
    public (int Start, int End) ToOriginal(int start, int end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, Value.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, end);
        if (start == end)
        {
            int at = start < _starts.Length ? _starts[start] : Original.Length;
            return (at, at);
        }

        return (_starts[start], _ends[end - 1]);
    }

    public override string ToString() => Value;
}
