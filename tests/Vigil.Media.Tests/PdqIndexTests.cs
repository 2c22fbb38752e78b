namespace Vigil.Media.Tests;

public sealed class PdqIndexTests
{
    private static readonly int[] Thresholds = [0, 1, 2, 5, 10, 11, 21, 22, 23, 30, 31];

    [Theory]
    [InlineData(31, 5_000, 1)]
    [InlineData(31, 60_000, 2)]
    [InlineData(10, 20_000, 3)]
    [InlineData(63, 20_000, 4)]
    public void Search_returns_exactly_what_a_linear_scan_returns(int indexMaxDistance, int count, int seed)
    {
        var random = new Random(seed);
        var (hashes, ids) = RandomEntries(random, count);
        var queries = PlantNeighbours(random, hashes, ids, queryCount: 60);
        var index = PdqIndex.Build(hashes.ToArray(), ids.ToArray(), indexMaxDistance);
        var linear = Linear(hashes, ids);
        Assert.NotNull(index.Layout);
        Assert.Equal(hashes.Count, index.Count);

        var nonEmpty = 0;
        foreach (var query in queries)
        {
            foreach (var threshold in Thresholds.Append(indexMaxDistance).Append(indexMaxDistance + 5))
            {
                var expected = Sorted(linear.Search(query, threshold));
                var actual = Sorted(index.Search(query, threshold));
                Assert.Equal(expected, actual);
                nonEmpty += expected.Count > 0 ? 1 : 0;
            }
        }

        // The planted neighbours make most of these searches non-trivial.
        Assert.True(nonEmpty > queries.Count * 5, $"only {nonEmpty} non-empty searches");
    }

    [Fact]
    public void Needles_against_haystack_at_31_match_the_reference_pairs()
    {
        var needles = SharedData.Lines("hash-lists/needles.txt").Select(PdqHash.Parse).ToArray();
        var haystack = SharedData.Lines("hash-lists/haystack.txt").Select(PdqHash.Parse).ToArray();
        Assert.Equal(100, needles.Length);
        Assert.Equal(1350, haystack.Length);

        var expected = SharedData.Lines("expected/needles-vs-haystack-d31.csv")
            .Skip(1) // header: needle_line,haystack_line,distance
            .Select(l => l.Split(',').Select(int.Parse).ToArray())
            .Select(f => (Needle: f[0], Haystack: f[1], Distance: f[2]))
            .Order()
            .ToList();
        Assert.Equal(250, expected.Count);

        var index = PdqIndex.Build(haystack, Enumerable.Range(1, haystack.Length).Select(i => (long)i).ToArray());
        Assert.NotNull(index.Layout);
        var actual = needles
            .SelectMany((needle, i) => index.Search(needle, 31).Select(m => (Needle: i + 1, Haystack: (int)m.Id, m.Distance)))
            .Order()
            .ToList();
        Assert.Equal(expected, actual);

        // The same pairs when the haystack arrives one hash at a time (pending buffer, then merges).
        var incremental = new PdqIndex();
        for (var i = 0; i < haystack.Length; i++)
        {
            incremental.Add(haystack[i], i + 1);
        }

        Assert.Equal(expected, needles
            .SelectMany((needle, i) => incremental.Search(needle).Select(m => (Needle: i + 1, Haystack: (int)m.Id, m.Distance)))
            .Order()
            .ToList());
    }

    [Fact]
    public void Adds_removes_and_merges_keep_results_exact()
    {
        var random = new Random(7);
        var (hashes, ids) = RandomEntries(random, 12_000);
        var queries = PlantNeighbours(random, hashes, ids, queryCount: 30);
        var index = new PdqIndex();
        var live = new List<(PdqHash Hash, long Id)>();

        for (var i = 0; i < hashes.Count; i++)
        {
            index.Add(hashes[i], ids[i]);
            live.Add((hashes[i], ids[i]));

            // Remove about one in eight entries, some long merged, some still pending.
            if (i % 8 == 7)
            {
                var victim = live[random.Next(live.Count)];
                Assert.Equal(1, index.Remove(victim.Hash, victim.Id));
                Assert.Equal(0, index.Remove(victim.Hash, victim.Id));
                live.Remove(victim);
            }

            if (i % 3001 == 3000)
            {
                AssertSameAsLinear(index, live, queries);
            }
        }

        Assert.True(index.PendingCount > 0 && index.Layout is not null, "both parts should be in use");
        AssertSameAsLinear(index, live, queries);
        Assert.Equal(live.Count, index.Count);

        index.Merge();
        Assert.Equal(0, index.PendingCount);
        AssertSameAsLinear(index, live, queries);
        Assert.Equal(live.Count, index.Count);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(10)]
    [InlineData(63)]
    public void Differences_spread_evenly_over_the_chunks_are_still_found(int indexMaxDistance)
    {
        // Worst case for pigeonhole: the distance spread as evenly as possible over all chunks, so
        // that every chunk is at least distance / tables away and only some sit exactly there.
        var random = new Random(indexMaxDistance);
        var (hashes, ids) = RandomEntries(random, 3_000);
        var tables = MihLayout.For(indexMaxDistance, 1).Tables;
        var layout = MihLayout.For(indexMaxDistance, hashes.Count + (2 * (indexMaxDistance + 1) * tables));
        var query = RandomHash(random);
        var planted = new List<(long Id, int Distance)>();
        for (var threshold = 0; threshold <= indexMaxDistance; threshold++)
        {
            var radius = threshold / layout.Tables;
            var extra = threshold - (radius * layout.Tables);
            for (var variant = 0; variant < layout.Tables; variant++)
            {
                var flips = new List<int>();
                for (var t = 0; t < layout.Tables; t++)
                {
                    // Chunks variant+1 .. variant+extra (cyclically) get one flip more.
                    var take = radius + (((t - variant - 1 + layout.Tables) % layout.Tables) < extra ? 1 : 0);
                    flips.AddRange(Enumerable.Range(t * layout.Bits, layout.Bits).OrderBy(_ => random.Next()).Take(take));
                }

                Assert.Equal(threshold, flips.Count);
                var id = 1_000_000L + (threshold * 100) + variant;
                hashes.Add(FlipBits(query, flips));
                ids.Add(id);
                planted.Add((id, threshold));

                // Tighter still for the per-table radii: every chunk one beyond its table's radius
                // except this one, exactly at it (the radii are chosen so that this totals d).
                if (layout.Radius(threshold, variant) >= 0)
                {
                    var tight = new List<int>();
                    for (var t = 0; t < layout.Tables; t++)
                    {
                        var take = layout.Radius(threshold, t) + (t == variant ? 0 : 1);
                        tight.AddRange(Enumerable.Range(t * layout.Bits, layout.Bits).OrderBy(_ => random.Next()).Take(take));
                    }

                    Assert.Equal(threshold, tight.Count);
                    hashes.Add(FlipBits(query, tight));
                    ids.Add(id + 50);
                    planted.Add((id + 50, threshold));
                }
            }
        }

        var index = PdqIndex.Build(hashes.ToArray(), ids.ToArray(), indexMaxDistance);
        Assert.Equal(layout, index.Layout);
        var linear = Linear(hashes, ids);
        for (var threshold = 0; threshold <= indexMaxDistance; threshold++)
        {
            var found = index.Search(query, threshold);
            Assert.Equal(Sorted(linear.Search(query, threshold)), Sorted(found));
            foreach (var entry in planted.Where(p => p.Distance <= threshold))
            {
                Assert.Contains(new PdqMatch(entry.Id, entry.Distance), found);
            }
        }
    }

    [Fact]
    public void Duplicate_hashes_and_ids_are_all_reported_and_removed_by_pair()
    {
        var random = new Random(11);
        var hash = RandomHash(random);
        var index = PdqIndex.Build([hash, hash, hash, Flip(random, hash, 3)], [1, 2, 2, 3]);
        Assert.Equal([(1L, 0), (2L, 0), (2L, 0), (3L, 3)], Sorted(index.Search(hash, 31)).Select(m => (m.Id, m.Distance)));
        Assert.Equal(2, index.Remove(hash, 2));
        Assert.Equal(0, index.Remove(Flip(random, hash, 1), 1));
        Assert.Equal([(1L, 0), (3L, 3)], Sorted(index.Search(hash, 31)).Select(m => (m.Id, m.Distance)));
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void Empty_index_and_negative_distance_return_nothing()
    {
        var index = new PdqIndex();
        Assert.Empty(index.Search(default));
        Assert.Equal(0, index.Count);
        index.Add(default, 1);
        Assert.Empty(index.Search(default, -1));
        Assert.Single(index.Search(default, 0));
    }

    [Fact]
    public void An_index_built_from_nothing_works_and_grows()
    {
        var index = PdqIndex.Build([], []);
        Assert.Equal(0, index.Count);
        Assert.Empty(index.Search(default, 31));
        var random = new Random(13);
        var hash = RandomHash(random);
        index.Add(hash, 42);
        Assert.Equal([new PdqMatch(42, 2)], index.Search(Flip(random, hash, 2)));
        index.Merge();
        Assert.Equal([new PdqMatch(42, 0)], index.Search(hash, 0));
    }

    [Fact]
    public void Arguments_are_validated()
    {
        Assert.Throws<ArgumentException>(() => PdqIndex.Build([default], [1, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PdqIndex(64));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PdqIndex(-1));
        Assert.Throws<ArgumentNullException>(() => new PdqIndex().Search(default, 3, null!));
    }

    [Theory]
    [InlineData(31, 1_000_000, 11, 20)]
    [InlineData(31, 10_000_000, 11, 23)]
    [InlineData(31, 100, 11, 8)]
    [InlineData(10, 10_000_000, 4, 23)]
    [InlineData(63, 10_000_000, 22, 11)]
    public void Layout_keeps_the_probe_radius_at_most_two(int maxDistance, int count, int tables, int bits)
    {
        var layout = MihLayout.For(maxDistance, count);
        Assert.Equal((tables, bits), (layout.Tables, layout.Bits));
        Assert.All(Enumerable.Range(0, layout.Tables), t => Assert.InRange(layout.Radius(maxDistance, t), -1, 2));
        Assert.True(Enumerable.Range(0, layout.Tables).Sum(t => layout.Radius(maxDistance, t) + 1) > maxDistance, "pigeonhole needs the sum of (radius + 1) > distance");
        Assert.True(layout.Tables * layout.Bits <= 256);
    }

    [Fact]
    public async Task Searches_may_run_while_another_thread_writes()
    {
        var random = new Random(5);
        var (hashes, ids) = RandomEntries(random, 20_000);
        var index = PdqIndex.Build(hashes.Take(10_000).ToArray(), ids.Take(10_000).ToArray());
        var probe = hashes[123];
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            var results = new List<PdqMatch>();
            var searches = 0;
            while (!stop.IsCancellationRequested || searches < 100)
            {
                results.Clear();
                index.Search(probe, 31, results);
                Assert.Contains(results, m => m.Id == ids[123] && m.Distance == 0);
                searches++;
            }

            return searches;
        });

        for (var i = 10_000; i < hashes.Count; i++)
        {
            index.Add(hashes[i], ids[i]);
        }

        await stop.CancelAsync();
        Assert.True(await reader >= 100);
        Assert.Equal(hashes.Count, index.Count);
    }

    internal static PdqHash RandomHash(Random random) =>
        new((ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64());

    internal static PdqHash Flip(Random random, PdqHash hash, int bits)
    {
        Span<ulong> words = [hash.Word0, hash.Word1, hash.Word2, hash.Word3];
        foreach (var bit in Enumerable.Range(0, 256).OrderBy(_ => random.Next()).Take(bits))
        {
            words[bit >> 6] ^= 1UL << (bit & 63);
        }

        return new PdqHash(words[0], words[1], words[2], words[3]);
    }

    private static PdqHash FlipBits(PdqHash hash, IEnumerable<int> bits)
    {
        Span<ulong> words = [hash.Word0, hash.Word1, hash.Word2, hash.Word3];
        foreach (var bit in bits)
        {
            words[bit >> 6] ^= 1UL << (bit & 63);
        }

        return new PdqHash(words[0], words[1], words[2], words[3]);
    }

    private static (List<PdqHash> Hashes, List<long> Ids) RandomEntries(Random random, int count)
    {
        var hashes = Enumerable.Range(0, count).Select(_ => RandomHash(random)).ToList();
        var ids = Enumerable.Range(0, count).Select(i => (long)i * 3).ToList();
        return (hashes, ids);
    }

    /// <summary>Queries with entries planted at distances 0-40 around them (in the same lists).</summary>
    private static List<PdqHash> PlantNeighbours(Random random, List<PdqHash> hashes, List<long> ids, int queryCount)
    {
        var queries = new List<PdqHash>();
        for (var q = 0; q < queryCount; q++)
        {
            var query = RandomHash(random);
            queries.Add(query);
            foreach (var distance in new[] { 0, 1, 2, 3, 7, 10, 11, 12, 20, 21, 22, 23, 29, 30, 31, 32, 33, 40 })
            {
                if (random.Next(3) > 0)
                {
                    var at = random.Next(hashes.Count);
                    hashes.Insert(at, Flip(random, query, distance));
                    ids.Insert(at, -1 - ((q * 100) + distance));
                }
            }
        }

        // Some queries sit exactly on stored hashes.
        queries.AddRange(Enumerable.Range(0, 10).Select(_ => hashes[random.Next(hashes.Count)]));
        return queries;
    }

    private static LinearScanIndex Linear(List<PdqHash> hashes, List<long> ids)
    {
        var linear = new LinearScanIndex();
        for (var i = 0; i < hashes.Count; i++)
        {
            linear.Add(hashes[i], ids[i]);
        }

        return linear;
    }

    private static void AssertSameAsLinear(PdqIndex index, List<(PdqHash Hash, long Id)> live, List<PdqHash> queries)
    {
        var linear = Linear(live.Select(e => e.Hash).ToList(), live.Select(e => e.Id).ToList());
        foreach (var query in queries)
        {
            foreach (var threshold in new[] { 0, 10, 31, 40 })
            {
                Assert.Equal(Sorted(linear.Search(query, threshold)), Sorted(index.Search(query, threshold)));
            }
        }
    }

    private static List<PdqMatch> Sorted(IEnumerable<PdqMatch> matches) =>
        matches.OrderBy(m => m.Id).ThenBy(m => m.Distance).ToList();
}
