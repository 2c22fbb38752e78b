using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vigil.Media;

/// <summary>
/// An immutable multi-index over a fixed set of hashes (bar removal marks). Per table, the entry
/// positions are sorted by chunk key and packed with the key's low bits (see
/// <see cref="MihLayout"/>); block starts locate a key's block. Per probe that is one
/// block-start read and one read of the block (both random), then one random read of the
/// full hash per entry whose key matches.
/// </summary>
internal sealed class MihSegment
{
    private readonly ulong[] _hashStorage;
    private readonly int _hashOffset;
    private readonly long[] _ids;
    private readonly int[][] _blockStarts;
    private readonly uint[][] _entries;
    private readonly ulong[] _deleted;

    private MihSegment(MihLayout layout, int count, ulong[] hashStorage, int hashOffset, long[] ids, int[][] blockStarts, uint[][] entries)
    {
        Layout = layout;
        Count = count;
        _hashStorage = hashStorage;
        _hashOffset = hashOffset;
        _ids = ids;
        _blockStarts = blockStarts;
        _entries = entries;
        _deleted = new ulong[(count + 63) / 64];
    }

    public MihLayout Layout { get; }

    /// <summary>Entries stored, including removed ones.</summary>
    public int Count { get; }

    /// <summary>Entries marked removed (changed only under the index's write lock).</summary>
    public int DeletedCount { get; private set; }

    /// <summary>Bytes held by the arrays.</summary>
    public long MemoryBytes =>
        (8L * _hashStorage.Length) + (8L * _ids.Length) + (8L * _deleted.Length) +
        _blockStarts.Sum(o => 4L * o.Length) + _entries.Sum(e => 4L * e.Length);

    /// <summary>Per-thread buffers for <see cref="Search"/>, sized for the largest layout seen.</summary>
    private sealed class SearchScratch
    {
        [ThreadStatic]
        private static SearchScratch? t_current;

        private SearchScratch(int probes, int tables)
        {
            Keys = new int[probes];
            Starts = new int[probes];
            Ends = new int[probes];
            QueryKeys = new int[tables];
            TableEnds = new int[tables];
        }

        public int[] Keys { get; }

        public int[] Starts { get; }

        public int[] Ends { get; }

        public int[] QueryKeys { get; }

        public int[] TableEnds { get; }

        public int[] Candidates { get; } = new int[1024];

        public int[] CandidateTables { get; } = new int[1024];

        public static SearchScratch For(MihLayout layout)
        {
            var probes = layout.MaxProbes * layout.Tables;
            var current = t_current;
            if (current is null || current.Keys.Length < probes || current.QueryKeys.Length < layout.Tables)
            {
                current = t_current = new SearchScratch(probes, layout.Tables);
            }

            return current;
        }
    }

    private Span<ulong> Hashes => _hashStorage.AsSpan(_hashOffset, Count * HashStore.Words);

    /// <summary>
    /// Takes ownership of <paramref name="hashStorage"/> (from <see cref="HashStore.AllocateAligned"/>,
    /// <paramref name="count"/> hashes from <paramref name="hashOffset"/>) and of <paramref name="ids"/>.
    /// </summary>
    public static MihSegment Build(ulong[] hashStorage, int hashOffset, long[] ids, int count, MihLayout layout)
    {
        var hashes = hashStorage.AsSpan(hashOffset, count * HashStore.Words);
        var blockStarts = new int[layout.Tables][];
        var entries = new uint[layout.Tables][];
        var sorter = new TableSorter(layout, count);
        for (var t = 0; t < layout.Tables; t++)
        {
            (blockStarts[t], entries[t]) = sorter.Sort(hashes, t);
        }

        return new MihSegment(layout, count, hashStorage, hashOffset, ids, blockStarts, entries);
    }

    /// <summary>
    /// Sorts the entries by one table's key, cache-friendly: a partition by the key's high bits
    /// into a few thousand runs (sequential writes), then a counting sort of each run, small
    /// enough for the cache, by the low bits.
    /// </summary>
    private sealed class TableSorter(MihLayout layout, int count)
    {
        private readonly int _lowBits = layout.Bits / 2;
        private readonly int[] _runStarts = new int[(1 << (layout.Bits - (layout.Bits / 2))) + 1];
        private readonly int[] _lowCounts = new int[(1 << (layout.Bits / 2)) + 1];
        private readonly int[] _runKeys = GC.AllocateUninitializedArray<int>(count);
        private readonly int[] _runPositions = GC.AllocateUninitializedArray<int>(count);

        public (int[] BlockStarts, uint[] Entries) Sort(ReadOnlySpan<ulong> hashes, int table)
        {
            var runs = _runStarts.Length - 1;
            var lowMask = (1 << _lowBits) - 1;

            // Partition by the high bits into runs (a counting sort on few buckets).
            Array.Clear(_runStarts);
            for (var i = 0; i < count; i++)
            {
                _runStarts[(layout.Key(hashes, i, table) >> _lowBits) + 1]++;
            }

            for (var r = 0; r < runs; r++)
            {
                _runStarts[r + 1] += _runStarts[r];
            }

            var cursor = (int[])_runStarts.Clone();
            for (var i = 0; i < count; i++)
            {
                var key = layout.Key(hashes, i, table);
                var slot = cursor[key >> _lowBits]++;
                _runKeys[slot] = key;
                _runPositions[slot] = i;
            }

            // Each run by the low bits, straight into packed entries; block starts on the way.
            var subKeyMask = (1 << layout.SubKeyBits) - 1;
            var blocksPerRun = 1 << (_lowBits - layout.SubKeyBits);
            var blockStarts = GC.AllocateUninitializedArray<int>(layout.BlockCount + 1);
            var entries = GC.AllocateUninitializedArray<uint>(count + 1); // one spare slot: see Search
            entries[count] = 0;
            for (var r = 0; r < runs; r++)
            {
                int start = _runStarts[r], end = _runStarts[r + 1];
                Array.Clear(_lowCounts);
                for (var j = start; j < end; j++)
                {
                    _lowCounts[(_runKeys[j] & lowMask) + 1]++;
                }

                var offset = start;
                for (var k = 0; k <= lowMask; k++)
                {
                    var n = _lowCounts[k + 1];
                    _lowCounts[k] = offset;
                    offset += n;
                }

                for (var b = 0; b < blocksPerRun; b++)
                {
                    blockStarts[(r * blocksPerRun) + b] = _lowCounts[b << layout.SubKeyBits];
                }

                for (var j = start; j < end; j++)
                {
                    var key = _runKeys[j];
                    entries[_lowCounts[key & lowMask]++] = ((uint)(key & subKeyMask) << layout.PositionBits) | (uint)_runPositions[j];
                }
            }

            blockStarts[layout.BlockCount] = count;
            return (blockStarts, entries);
        }
    }

    /// <summary>Appends every live entry within <paramref name="maxDistance"/> of the query (at most the layout's design distance).</summary>
    /// <remarks>
    /// Memory latency dominates (about 2,800 probes and 3,300 candidate hashes at 10 million
    /// entries, nearly all cache misses), so the work runs in passes over all tables at once, each
    /// prefetching what the next one reads: probe keys and their block bounds, the blocks, then the
    /// candidates' hashes. Thousands of independent misses are then in flight together instead of
    /// one after another.
    /// </remarks>
    public void Search(PdqHash query, int maxDistance, List<PdqMatch> results)
    {
        var layout = Layout;
        var scratch = SearchScratch.For(layout);
        var queryKeys = scratch.QueryKeys.AsSpan(0, layout.Tables);
        for (var t = 0; t < layout.Tables; t++)
        {
            queryKeys[t] = layout.Key(query, t);
        }

        // Pass 1: every probe key of every table; prefetch its block bound.
        var keys = scratch.Keys;
        var tableEnds = scratch.TableEnds;
        var probes = 0;
        for (var t = 0; t < layout.Tables; t++)
        {
            ref var blockStarts = ref MemoryMarshal.GetArrayDataReference(_blockStarts[t]);
            var count = layout.Neighbours(queryKeys[t], layout.Radius(maxDistance, t), keys.AsSpan(probes));
            for (var p = probes; p < probes + count; p++)
            {
                Prefetch.Line(ref Unsafe.Add(ref blockStarts, keys[p] >> layout.SubKeyBits));
            }

            probes += count;
            tableEnds[t] = probes;
        }

        // Pass 2: read the block bounds; prefetch each block.
        var starts = scratch.Starts;
        var ends = scratch.Ends;
        for (int t = 0, p = 0; t < layout.Tables; t++)
        {
            ref var blockStarts = ref MemoryMarshal.GetArrayDataReference(_blockStarts[t]);
            ref var entries = ref MemoryMarshal.GetArrayDataReference(_entries[t]);
            for (; p < tableEnds[t]; p++)
            {
                var block = keys[p] >> layout.SubKeyBits;
                var first = Unsafe.Add(ref blockStarts, block);
                var end = Unsafe.Add(ref blockStarts, block + 1);
                starts[p] = first;
                ends[p] = end;
                Prefetch.Line(ref Unsafe.Add(ref entries, first));
                Prefetch.Line(ref Unsafe.Add(ref entries, Math.Max(first, end - 1)));
            }
        }

        // Pass 3: scan the blocks for the probed sub-keys; prefetch the candidates' hashes and
        // verify them a batch at a time.
        var candidates = scratch.Candidates;
        var candidateTables = scratch.CandidateTables;
        ref var hashes = ref MemoryMarshal.GetReference(Hashes);
        var subKeyMask = (1 << layout.SubKeyBits) - 1;
        var positionBits = layout.PositionBits;
        var positionMask = layout.PositionMask;
        var found = 0;
        for (int t = 0, p = 0; t < layout.Tables; t++)
        {
            ref var entries = ref MemoryMarshal.GetArrayDataReference(_entries[t]);
            for (; p < tableEnds[t]; p++)
            {
                var subKey = (uint)(keys[p] & subKeyMask);
                for (var i = starts[p]; i < ends[p]; i++)
                {
                    var entry = Unsafe.Add(ref entries, i);
                    var entrySubKey = entry >> positionBits;
                    if (entrySubKey < subKey)
                    {
                        continue;
                    }

                    if (entrySubKey > subKey)
                    {
                        break;
                    }

                    var position = (int)(entry & positionMask);
                    Prefetch.Line(ref Unsafe.Add(ref hashes, position * HashStore.Words));
                    candidates[found] = position;
                    candidateTables[found++] = t;
                    if (found == candidates.Length)
                    {
                        Verify(scratch, found, query, maxDistance, queryKeys, results);
                        found = 0;
                    }
                }
            }
        }

        Verify(scratch, found, query, maxDistance, queryKeys, results);
    }

    private void Verify(
        SearchScratch scratch, int count, PdqHash query, int maxDistance, ReadOnlySpan<int> queryKeys, List<PdqMatch> results)
    {
        ref var hashes = ref MemoryMarshal.GetReference(Hashes);
        for (var c = 0; c < count; c++)
        {
            var position = scratch.Candidates[c];
            var distance = HashStore.Distance(ref Unsafe.Add(ref hashes, position * HashStore.Words), query);
            if (distance <= maxDistance)
            {
                Report(position, distance, scratch.CandidateTables[c], maxDistance, queryKeys, results);
            }
        }
    }

    /// <summary>
    /// A match is reported from the first table where its chunk is within that table's radius, so
    /// each entry is reported once without a set of seen entries.
    /// </summary>
    private void Report(int position, int distance, int table, int maxDistance, ReadOnlySpan<int> queryKeys, List<PdqMatch> results)
    {
        if (HashStore.IsSet(_deleted, position))
        {
            return;
        }

        var entry = Hashes.Slice(position * HashStore.Words, HashStore.Words);
        for (var t = 0; t < table; t++)
        {
            var key = Layout.Key(entry[0], entry[1], entry[2], entry[3], t);
            if (BitOperations.PopCount((uint)(key ^ queryKeys[t])) <= Layout.Radius(maxDistance, t))
            {
                return;
            }
        }

        results.Add(new PdqMatch(_ids[position], distance));
    }

    /// <summary>Brute force, for distances above the layout's design distance.</summary>
    public void Scan(PdqHash query, int maxDistance, List<PdqMatch> results) =>
        HashStore.Scan(Hashes, _ids, Count, query, maxDistance, _deleted, results);

    /// <summary>Marks live entries with this exact hash and id removed; returns how many.</summary>
    public int Remove(PdqHash hash, long id)
    {
        var layout = Layout;
        var key = layout.Key(hash, 0);
        var subKey = (uint)(key & ((1 << layout.SubKeyBits) - 1));
        var block = key >> layout.SubKeyBits;
        var entries = _entries[0];
        var removed = 0;
        for (var i = _blockStarts[0][block]; i < _blockStarts[0][block + 1]; i++)
        {
            var position = (int)(entries[i] & layout.PositionMask);
            if (entries[i] >> layout.PositionBits == subKey && _ids[position] == id &&
                HashStore.Read(Hashes, position) == hash && !HashStore.IsSet(_deleted, position))
            {
                // Readers test this bit without the lock; the update must not tear another's.
                Interlocked.Or(ref _deleted[position >> 6], 1UL << (position & 63));
                removed++;
            }
        }

        DeletedCount += removed;
        return removed;
    }

    /// <summary>Copies the live entries into flat arrays at <paramref name="offset"/>; returns how many.</summary>
    public int CopyLiveTo(Span<ulong> hashes, Span<long> ids, int offset)
    {
        var n = 0;
        for (var position = 0; position < Count; position++)
        {
            if (!HashStore.IsSet(_deleted, position))
            {
                Hashes.Slice(position * HashStore.Words, HashStore.Words).CopyTo(hashes[((offset + n) * HashStore.Words)..]);
                ids[offset + n] = _ids[position];
                n++;
            }
        }

        return n;
    }
}
