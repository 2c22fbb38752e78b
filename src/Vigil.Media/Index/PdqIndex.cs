namespace Vigil.Media;

/// <summary>
/// Exact PDQ nearest-neighbour search by multi-index hashing: <see cref="Search(PdqHash, int)"/>
/// returns every entry within the distance (no misses, no duplicates), each with its id and distance.
/// </summary>
/// <remarks>
/// <para>The index is built for distances up to <see cref="MaxDistance"/> (default 31, upstream's
/// match threshold): the hash is cut into MaxDistance / 3 + 1 chunks (11 for 31) of about
/// log2(count) bits (23 at 10 million), each with its own sorted table, and each table is probed
/// within a radius of at most 2 (pigeonhole). Larger search distances still work but scan every
/// entry. At 10 million hashes the arrays take about 0.93 GB; rebuilding briefly needs twice that.</para>
/// <para>Bulk loads should use <see cref="Build"/> or <see cref="AddRange"/>. Single adds go to a
/// small linearly scanned buffer that is merged into the index once it reaches about 1/512 of it;
/// removal marks entries, which are dropped at the next merge.</para>
/// <para>Searches are lock-free and may run on any number of threads, also while another thread
/// writes (a search sees the index as it was when it started). Writes are serialised.</para>
/// </remarks>
public sealed class PdqIndex
{
    /// <summary>Upstream's recommended match threshold.</summary>
    public const int DefaultMaxDistance = 31;

    /// <summary>Largest supported <see cref="MaxDistance"/>.</summary>
    public const int MaxSupportedDistance = 63;

    private const int MinPendingLimit = 4096;
    private const int MaxPendingLimit = 65536;

    private readonly Lock _writeLock = new();
    private volatile Snapshot _snapshot = Snapshot.Empty;

    /// <param name="maxDistance">Largest distance searched through the index; see <see cref="MaxDistance"/>.</param>
    public PdqIndex(int maxDistance = DefaultMaxDistance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDistance);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDistance, MaxSupportedDistance);
        MaxDistance = maxDistance;
    }

    /// <summary>Largest search distance served by the index; larger ones fall back to a full scan.</summary>
    public int MaxDistance { get; }

    /// <summary>Number of live entries.</summary>
    public int Count
    {
        get
        {
            var snapshot = _snapshot;
            return snapshot.MainLive + snapshot.Pending.LiveCount(snapshot.PendingCount);
        }
    }

    /// <summary>Approximate bytes held by the index's arrays.</summary>
    internal long MemoryBytes
    {
        get
        {
            var snapshot = _snapshot;
            return (snapshot.Main?.MemoryBytes ?? 0) + snapshot.Pending.MemoryBytes;
        }
    }

    /// <summary>The layout of the built part, for tests and benchmarks.</summary>
    internal MihLayout? Layout => _snapshot.Main?.Layout;

    /// <summary>Builds the multi-index over parallel arrays of hashes and ids in one pass.</summary>
    public static PdqIndex Build(ReadOnlySpan<PdqHash> hashes, ReadOnlySpan<long> ids, int maxDistance = DefaultMaxDistance)
    {
        CheckLengths(hashes, ids);
        var index = new PdqIndex(maxDistance);
        index._snapshot = index.Rebuild(Snapshot.Empty, hashes, ids);
        return index;
    }

    /// <summary>Adds one entry. Ids need not be unique (e.g. several frames of one video).</summary>
    public void Add(PdqHash hash, long id) => AddRange([hash], [id]);

    /// <summary>Adds entries from parallel arrays.</summary>
    public void AddRange(ReadOnlySpan<PdqHash> hashes, ReadOnlySpan<long> ids)
    {
        CheckLengths(hashes, ids);
        if (hashes.IsEmpty)
        {
            return;
        }

        lock (_writeLock)
        {
            var snapshot = _snapshot;
            var pendingCount = snapshot.PendingCount + hashes.Length;
            if (pendingCount > PendingLimit(snapshot.MainLive))
            {
                _snapshot = Rebuild(snapshot, hashes, ids);
                return;
            }

            var pending = snapshot.Pending.EnsureCapacity(snapshot.PendingCount, pendingCount);
            pending.Write(snapshot.PendingCount, hashes, ids);
            _snapshot = snapshot with { Pending = pending, PendingCount = pendingCount };
        }
    }

    /// <summary>Removes the entries with exactly this hash and id; returns how many there were.</summary>
    public int Remove(PdqHash hash, long id)
    {
        lock (_writeLock)
        {
            var snapshot = _snapshot;
            var removed = snapshot.Pending.Remove(snapshot.PendingCount, hash, id);
            if (snapshot.Main is { } main)
            {
                var fromMain = main.Remove(hash, id);
                removed += fromMain;
                snapshot = snapshot with { MainLive = snapshot.MainLive - fromMain };
            }

            _snapshot = snapshot.Main is { } m && m.DeletedCount > m.Count / 4
                ? Rebuild(snapshot, default, default)
                : snapshot;
            return removed;
        }
    }

    /// <summary>Every live entry within <see cref="MaxDistance"/> of <paramref name="query"/>.</summary>
    public IReadOnlyList<PdqMatch> Search(PdqHash query) => Search(query, MaxDistance);

    /// <summary>Every live entry within <paramref name="maxDistance"/> of <paramref name="query"/>, in no particular order.</summary>
    public IReadOnlyList<PdqMatch> Search(PdqHash query, int maxDistance)
    {
        var results = new List<PdqMatch>();
        Search(query, maxDistance, results);
        return results;
    }

    /// <summary>Appends the matches to <paramref name="results"/> (no allocation once it has room).</summary>
    public void Search(PdqHash query, int maxDistance, List<PdqMatch> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (maxDistance < 0)
        {
            return;
        }

        var snapshot = _snapshot;
        if (snapshot.Main is { } main)
        {
            if (maxDistance <= MaxDistance)
            {
                main.Search(query, maxDistance, results);
            }
            else
            {
                main.Scan(query, maxDistance, results);
            }
        }

        snapshot.Pending.Scan(snapshot.PendingCount, query, maxDistance, results);
    }

    /// <summary>Merges pending entries into the multi-index and drops removed ones now.</summary>
    internal void Merge()
    {
        lock (_writeLock)
        {
            _snapshot = Rebuild(_snapshot, default, default);
        }
    }

    /// <summary>Entries pending a merge, scanned linearly by every search.</summary>
    internal int PendingCount => _snapshot.PendingCount;

    private static void CheckLengths(ReadOnlySpan<PdqHash> hashes, ReadOnlySpan<long> ids)
    {
        if (hashes.Length != ids.Length)
        {
            throw new ArgumentException($"{hashes.Length} hashes but {ids.Length} ids.", nameof(ids));
        }
    }

    /// <summary>Entries not yet in the multi-index are scanned; keep that to ~1/512 of it.</summary>
    private static int PendingLimit(int mainCount) => Math.Clamp(mainCount / 512, MinPendingLimit, MaxPendingLimit);

    /// <summary>A new snapshot with every live entry plus the new ones in one segment.</summary>
    private Snapshot Rebuild(Snapshot snapshot, ReadOnlySpan<PdqHash> extraHashes, ReadOnlySpan<long> extraIds)
    {
        var pendingLive = snapshot.Pending.LiveCount(snapshot.PendingCount);
        var total = checked(snapshot.MainLive + pendingLive + extraHashes.Length);
        var storage = HashStore.AllocateAligned(total, out var offset);
        var hashes = storage.AsSpan(offset, total * HashStore.Words);
        var ids = GC.AllocateUninitializedArray<long>(total);
        var n = snapshot.Main?.CopyLiveTo(hashes, ids, 0) ?? 0;
        n += snapshot.Pending.CopyLiveTo(snapshot.PendingCount, hashes, ids, n);
        for (var i = 0; i < extraHashes.Length; i++, n++)
        {
            HashStore.Write(hashes, n, extraHashes[i]);
            ids[n] = extraIds[i];
        }

        var main = MihSegment.Build(storage, offset, ids, total, MihLayout.For(MaxDistance, total));
        return new Snapshot(main, total, PendingBuffer.Empty, 0);
    }

    /// <summary>What a search sees: immutable apart from removal marks.</summary>
    private sealed record Snapshot(MihSegment? Main, int MainLive, PendingBuffer Pending, int PendingCount)
    {
        public static readonly Snapshot Empty = new(null, 0, PendingBuffer.Empty, 0);
    }
}
