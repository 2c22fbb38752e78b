namespace Vigil.Core.Signals;

/// <summary>A hash of a content part, as a signal type computes it and bank entries store it.</summary>
/// <param name="SignalType">The signal type's name, e.g. <c>pdq</c>.</param>
/// <param name="Value">The hash in the signal type's canonical form (<see cref="SignalType.Normalize"/>).</param>
/// <param name="Quality">How much signal the hash carries, 0-100, for types that say (PDQ); null otherwise.</param>
public readonly record struct ContentHash(string SignalType, string Value, int? Quality = null);

/// <summary>A candidate an index found: the position of the entry's value in the list the index was built from, and
/// its distance to the query in the signal type's measure (0 for an exact match).</summary>
public readonly record struct IndexHit(int Id, double Distance);

/// <summary>
/// Finds the entries of one signal type near a query. Built once from a bank snapshot
/// (<see cref="SignalType.CreateIndex"/>); searched by any number of threads.
/// </summary>
public interface ISignalIndex
{
    /// <summary>How many values the index holds.</summary>
    int Count { get; }

    /// <summary>Adds to <paramref name="hits"/> every entry that any of the settings the index was built for could accept;
    /// the caller holds each hit to its own bank's settings (<see cref="SignalType.Accepts"/>).</summary>
    void Search(ContentHash query, List<IndexHit> hits);
}

/// <summary>The index of exact-match signal types: a hash table from value to the entries that hold it.</summary>
public sealed class ExactIndex : ISignalIndex
{
    private readonly Dictionary<string, int[]> _ids;

    public ExactIndex(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var lists = new Dictionary<string, List<int>>(values.Count, StringComparer.Ordinal);
        for (int i = 0; i < values.Count; i++)
        {
            if (!lists.TryGetValue(values[i], out var list))
            {
                lists[values[i]] = list = new List<int>(1);
            }

            list.Add(i);
        }

        _ids = lists.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
        Count = values.Count;
    }

    public int Count { get; }

    public void Search(ContentHash query, List<IndexHit> hits)
    {
        ArgumentNullException.ThrowIfNull(hits);
        if (_ids.TryGetValue(query.Value, out var ids))
        {
            foreach (int id in ids)
            {
                hits.Add(new IndexHit(id, 0));
            }
        }
    }
}
