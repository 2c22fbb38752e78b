using Vigil.Core.Banks;
using Vigil.Core.Content;
using Vigil.Core.Signals;

namespace Vigil.Moderation.Pipeline;

/// <summary>
/// The first steps of the pipeline on one part, on their own (for <c>vigil match</c> and <c>vigil hash</c> too): the
/// part's reader prepares it (decodes an image; a part that cannot be read is marked so, with the reason), then every
/// registered signal type that hashes its type hashes it (MD5 and SHA-256 even when an image does not decode).
/// Thread-safe.
/// </summary>
public sealed class ContentHasher(SignalTypeRegistry types, IEnumerable<IPartReader> readers)
{
    private readonly Dictionary<string, IPartReader> _readers = readers.ToDictionary(r => r.PartType, StringComparer.Ordinal);

    /// <summary>Whether parts of the type have a reader (images are decoded; text is not read).</summary>
    public bool HasReader(string partType) => _readers.ContainsKey(partType);

    /// <summary>The signal types it hashes with.</summary>
    public SignalTypeRegistry SignalTypes => types;

    /// <summary>Reads and hashes one part (with every type of its part type, or only those <paramref name="only"/>
    /// names); the view keeps what the reader made of it.</summary>
    public IReadOnlyList<ContentHash> Hash(PartView part, IReadOnlySet<string>? only = null)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (_readers.TryGetValue(part.Part.Type, out var reader))
        {
            reader.Read(part);
        }

        if (only is { Count: 0 })
        {
            return [];
        }

        var hashes = new List<ContentHash>();
        foreach (var type in types.ForPartType(part.Part.Type))
        {
            if (only is null || only.Contains(type.Name))
            {
                hashes.AddRange(type.Hash(part));
            }
        }

        return hashes;
    }

    /// <summary>Reads, hashes and matches one part against <paramref name="banks"/>.</summary>
    public PartResult Match(ContentPart part, BankMatcher banks)
    {
        ArgumentNullException.ThrowIfNull(banks);
        var view = new PartView(part);
        var hashes = Hash(view);
        return new PartResult(part, view.Unreadable, hashes, hashes.Count == 0 ? BankMatchResult.None : banks.Match(hashes), []);
    }
}
