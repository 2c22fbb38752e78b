using System.Diagnostics.CodeAnalysis;

namespace Vigil.Core.Signals;

/// <summary>
/// The signal types Vigil knows, each registered once. Looking one up accepts its name or an alias, in any case.
/// Immutable; the composition root builds one (see <c>Vigil.Moderation</c>'s <c>SignalTypes.Default</c>) and a host
/// may add its own types.
/// </summary>
public sealed class SignalTypeRegistry
{
    private readonly Dictionary<string, SignalType> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SignalType[]> _byPartType = new(StringComparer.Ordinal);

    public SignalTypeRegistry(IEnumerable<SignalType> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var all = new List<SignalType>();
        foreach (var type in types)
        {
            if (!SignalType.IsValidName(type.Name))
            {
                throw new ArgumentException($"'{type.Name}' is not a valid signal type name (1-32 lowercase letters, digits or '_').", nameof(types));
            }

            foreach (var name in type.Aliases.Prepend(type.Name))
            {
                if (_byName.TryGetValue(name, out var other))
                {
                    throw new ArgumentException($"Signal type '{type.Name}' uses the name '{name}' of '{other.Name}'.", nameof(types));
                }

                _byName[name] = type;
            }

            all.Add(type);
        }

        All = all;
        foreach (var partType in all.SelectMany(t => t.PartTypes).Distinct(StringComparer.Ordinal))
        {
            _byPartType[partType] = [.. all.Where(t => t.PartTypes.Contains(partType, StringComparer.Ordinal))];
        }
    }

    /// <summary>Every signal type, in registration order.</summary>
    public IReadOnlyList<SignalType> All { get; }

    /// <summary>The names, for messages: <c>pdq, md5, sha256</c>.</summary>
    public string Names => string.Join(", ", All.Select(t => t.Name));

    /// <summary>Finds a type by name or alias (case-insensitive, trimmed).</summary>
    public bool TryGet([NotNullWhen(true)] string? name, [NotNullWhen(true)] out SignalType? type)
    {
        type = null;
        return name is not null && _byName.TryGetValue(name.Trim(), out type);
    }

    /// <summary>The type of that name or alias.</summary>
    /// <exception cref="KeyNotFoundException">No such type; the message lists the known ones.</exception>
    public SignalType Get(string name) =>
        TryGet(name, out var type) ? type : throw new KeyNotFoundException($"Unknown signal type '{name}' (known: {Names}).");

    /// <summary>The types that hash parts of <paramref name="partType"/>.</summary>
    public IReadOnlyList<SignalType> ForPartType(string partType) => _byPartType.TryGetValue(partType, out var types) ? types : [];
}
