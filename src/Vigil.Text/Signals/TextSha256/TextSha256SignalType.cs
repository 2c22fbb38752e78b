using Vigil.Core.Signals;

namespace Vigil.Text.Signals;

/// <summary>
/// <c>text_sha256</c>: SHA-256 of a text's canonical form (<see cref="CanonicalText"/>, spaces removed), matched exactly:
/// a re-post of known text, even with evasions (spaced or dotted letters, look-alike characters, leetspeak, invisible
/// characters), other case, punctuation or whitespace. Hashes text parts, the text read from images among them.
/// </summary>
public sealed class TextSha256SignalType : SignalType
{
    public override string Name => TextSha256.Name;

    public override string Description => "SHA-256 of a text's canonical form (evasions undone), matched exactly.";

    public override IReadOnlyList<string> PartTypes { get; } = [Core.Content.PartTypes.Text];

    public override string? Normalize(string? value, out string normalized) => TextSha256.Normalize(value, out normalized);

    public override IEnumerable<ContentHash> Hash(PartView part)
    {
        ArgumentNullException.ThrowIfNull(part);
        return part.Part.Text is { } text && TextSha256.Compute(text) is { } hash ? [new ContentHash(Name, hash)] : [];
    }
}
