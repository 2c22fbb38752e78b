namespace Vigil.Media;

/// <summary>
/// Brute-force PDQ search: every stored hash is compared with the query. The reference that
/// <see cref="PdqIndex"/> is tested and benchmarked against; fine for a few thousand hashes.
/// </summary>
internal sealed class LinearScanIndex
{
    private ulong[] _hashes = new ulong[64 * HashStore.Words];
    private long[] _ids = new long[64];

    public int Count { get; private set; }

    public void Add(PdqHash hash, long id)
    {
        if (Count == _ids.Length)
        {
            Array.Resize(ref _hashes, _hashes.Length * 2);
            Array.Resize(ref _ids, _ids.Length * 2);
        }

        HashStore.Write(_hashes, Count, hash);
        _ids[Count++] = id;
    }

    public List<PdqMatch> Search(PdqHash query, int maxDistance)
    {
        var results = new List<PdqMatch>();
        Search(query, maxDistance, results);
        return results;
    }

    public void Search(PdqHash query, int maxDistance, List<PdqMatch> results) =>
        HashStore.Scan(_hashes, _ids, Count, query, maxDistance, default, results);
}
