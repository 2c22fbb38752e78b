namespace Vigil.Media;

/// <summary>
/// Append-only storage for entries not yet merged into the multi-index, scanned linearly.
/// Readers only look at the first n entries of the snapshot they hold, so appending in place
/// behind them is safe; growing copies into a new buffer.
/// </summary>
internal sealed class PendingBuffer
{
    public static readonly PendingBuffer Empty = new(0);

    private readonly ulong[] _hashes;
    private readonly long[] _ids;
    private readonly ulong[] _deleted;
    private int _deletedCount;

    private PendingBuffer(int capacity)
    {
        _hashes = new ulong[capacity * HashStore.Words];
        _ids = new long[capacity];
        _deleted = new ulong[(capacity + 63) / 64];
    }

    private int Capacity => _ids.Length;

    public long MemoryBytes => (8L * _hashes.Length) + (8L * _ids.Length) + (8L * _deleted.Length);

    public int LiveCount(int count) => count - _deletedCount;

    /// <summary>This buffer if it has room for <paramref name="needed"/>, else a larger copy of its first <paramref name="count"/> entries.</summary>
    public PendingBuffer EnsureCapacity(int count, int needed)
    {
        if (needed <= Capacity)
        {
            return this;
        }

        var grown = new PendingBuffer(Math.Max(needed, Math.Max(64, Capacity * 2)));
        _hashes.AsSpan(0, count * HashStore.Words).CopyTo(grown._hashes);
        _ids.AsSpan(0, count).CopyTo(grown._ids);
        _deleted.AsSpan(0, (count + 63) / 64).CopyTo(grown._deleted);
        grown._deletedCount = _deletedCount;
        return grown;
    }

    public void Write(int offset, ReadOnlySpan<PdqHash> hashes, ReadOnlySpan<long> ids)
    {
        for (var i = 0; i < hashes.Length; i++)
        {
            HashStore.Write(_hashes, offset + i, hashes[i]);
            _ids[offset + i] = ids[i];
        }
    }

    public void Scan(int count, PdqHash query, int maxDistance, List<PdqMatch> results)
    {
        if (count > 0)
        {
            HashStore.Scan(_hashes, _ids, count, query, maxDistance, _deleted, results);
        }
    }

    public int Remove(int count, PdqHash hash, long id)
    {
        var removed = 0;
        for (var i = 0; i < count; i++)
        {
            if (_ids[i] == id && !HashStore.IsSet(_deleted, i) && HashStore.Read(_hashes, i) == hash)
            {
                Interlocked.Or(ref _deleted[i >> 6], 1UL << (i & 63));
                removed++;
            }
        }

        _deletedCount += removed;
        return removed;
    }

    public int CopyLiveTo(int count, Span<ulong> hashes, Span<long> ids, int offset)
    {
        var n = 0;
        for (var i = 0; i < count; i++)
        {
            if (!HashStore.IsSet(_deleted, i))
            {
                _hashes.AsSpan(i * HashStore.Words, HashStore.Words).CopyTo(hashes[((offset + n) * HashStore.Words)..]);
                ids[offset + n] = _ids[i];
                n++;
            }
        }

        return n;
    }
}
