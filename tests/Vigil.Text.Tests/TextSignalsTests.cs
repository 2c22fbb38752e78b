using System.Security.Cryptography;
using System.Text;
using Vigil.Text.Normalization;
using Vigil.Text.Signals;

namespace Vigil.Text.Tests;

public class TextSignalsTests
{
    private const string Fixture =
        "The village library opens a new reading room on Saturday morning. Volunteers will read stories aloud to the " +
        "children, and a small exhibition of old photographs shows how the market square looked a century ago. Tea and " +
        "biscuits are served in the garden after the readings.";

    private const string Unrelated =
        "Our cycling club meets at the station every Sunday at nine. The route this week follows the river to the old " +
        "mill and back through the forest, about forty kilometres, with a stop for lunch at the lakeside cafe.";

    // ---- canonical form and text_sha256 ---------------------------------------------------------------------------

    [Theory]
    [InlineData("Hello,   WORLD!!", "hello world")]
    [InlineData("  Tea\tand\n\nbiscuits. ", "tea and biscuits")]
    [InlineData("RT @someone: the garden is open https://t.co/abc123", "the garden is open")]
    [InlineData("see pic.twitter.com/xyz and www.example.org now @user_1", "see and now")]
    [InlineData("fish &amp; chips", "fish chips")]
    [InlineData("#GardenParty at 3pm!", "gardenparty at 3pm")]
    [InlineData("and/or well-known", "and or well known")]
    [InlineData("🌻🌻", "")]
    [InlineData("", "")]
    public void Canonical_text_keeps_only_the_words(string text, string expected) =>
        Assert.Equal(expected, CanonicalText.Of(text));

    [Fact]
    public void Sha256_is_sha256_of_the_canonical_text()
    {
        string expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("helloworld")));
        Assert.Equal(expected, TextSha256.Compute("Hello World"));
        Assert.Equal(expected, TextSha256.Compute("  HELLO,\u200B world!  "));
        Assert.Null(TextSha256.Compute("!!! 🌻 https://example.org/x"));
    }

    [Fact]
    public void Sha256_is_equal_across_evasions_case_and_spacing()
    {
        string? plain = TextSha256.Compute(Fixture);
        Assert.NotNull(plain);
        foreach (var kind in Enum.GetValues<EvasionKind>())
        {
            for (int seed = 1; seed <= 5; seed++)
            {
                string evaded = Evasion.Apply(Fixture, kind, seed);
                Assert.NotEqual(Fixture, evaded);
                Assert.True(plain == TextSha256.Compute(evaded), $"{kind}, seed {seed}");
            }
        }

        Assert.Equal(plain, TextSha256.Compute(Fixture.ToUpperInvariant().Replace(" ", "  \n", StringComparison.Ordinal)));
        Assert.NotEqual(plain, TextSha256.Compute(Fixture.Replace("Saturday", "Sunday", StringComparison.Ordinal)));
        Assert.NotEqual(plain, TextSha256.Compute(Fixture.Replace("Tea and biscuits", "Biscuits and tea", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("", "empty text_sha256 hash")]
    [InlineData("abc", "a text_sha256 hash is 64 hex digits, not 3")]
    [InlineData("zz4d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9", "'z' is not a hex digit")]
    public void Sha256_values_are_checked(string value, string problem) =>
        Assert.Equal(problem, TextSha256.Normalize(value, out _));

    [Fact]
    public void Sha256_values_are_canonicalised()
    {
        Assert.Null(TextSha256.Normalize(" B94D27B9934D3E08A52E52D7DA7DABFAC484EFE37A5380EE9088F7ACE2EFCDE9 ", out var normalized));
        Assert.Equal("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9", normalized);
    }

    // ---- text_minhash signatures ------------------------------------------------------------------------------------

    [Fact]
    public void Signature_is_deterministic_and_fixed()
    {
        var a = TextMinHash.Compute(Fixture)!;
        var b = TextMinHash.Compute(new string(Fixture.AsSpan()))!;
        Assert.Equal(a, b);
        Assert.Equal(a.ToHex(), b.ToHex());
        Assert.Equal(MinHashSignature.HexLength, a.ToHex().Length);
        // Pinned: the same on every machine and run. A change here invalidates every banked signature.
        Assert.Equal(PinnedFixtureSignature, a.ToHex());
    }

    private const string PinnedFixtureSignature =
        "ecb8f2ba971cb37d4d5aeddb36291cf3fa750123bc075182f2185d88397e8513326779e0e5853dd88e1d0cbd2e72615b6d81e216715533d2c5ef3f6153af8b21" +
        "333975dcd02f19af5e9959b0767b9ff02d1e46babd3ae08a9d528ab51a17aace0fac5b3ddbed938d8d99619eca6e01cbf40c626dbed65c919077b61260525e51";

    [Fact]
    public void Vectorised_and_scalar_minhash_agree()
    {
        var random = new Random(7);
        foreach (int count in new[] { 1, 2, 5, 100, 1000 })
        {
            var hashes = new ulong[count];
            for (int i = 0; i < count; i++)
            {
                hashes[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);
            }

            var vector = new byte[MinHashSignature.Size];
            var scalar = new byte[MinHashSignature.Size];
            TextMinHash.MinHash(hashes, vector);
            TextMinHash.MinHashScalar(hashes, scalar);
            Assert.Equal(scalar, vector);
        }
    }

    [Fact]
    public void Text_under_five_words_has_no_signature()
    {
        Assert.Null(TextMinHash.Compute(""));
        Assert.Null(TextMinHash.Compute("... 🌻 @someone https://example.org"));
        Assert.Null(TextMinHash.Compute("Tea in the garden!"));
        Assert.Null(TextMinHash.Compute("@a @b Tea in the garden https://t.co/x"));
        Assert.NotNull(TextMinHash.Compute("Tea in the garden now"));
    }

    [Fact]
    public void Signature_round_trips_through_its_string()
    {
        var signature = TextMinHash.Compute(Fixture)!;
        string hex = signature.ToHex();
        Assert.Matches("^[0-9a-f]{256}$", hex);
        Assert.Equal(signature, MinHashSignature.Parse(hex));
        Assert.True(MinHashSignature.TryParse(" " + hex.ToUpperInvariant() + "\n", out var parsed));
        Assert.Equal(signature, parsed);
        Assert.Null(MinHashSignature.Normalize(hex.ToUpperInvariant(), out var normalized));
        Assert.Equal(hex, normalized);
        Assert.Equal(signature, MinHashSignature.FromValues(signature.Values));
    }

    [Theory]
    [InlineData(null, "empty text_minhash signature")]
    [InlineData("  ", "empty text_minhash signature")]
    [InlineData("abcd", "a text_minhash signature is 256 hex digits, not 4")]
    public void Bad_signature_strings_are_refused(string? value, string problem)
    {
        Assert.Equal(problem, MinHashSignature.Normalize(value, out var normalized));
        Assert.Equal("", normalized);
        Assert.False(MinHashSignature.TryParse(value, out _));
    }

    [Fact]
    public void Signature_strings_with_bad_digits_or_equal_values_are_refused()
    {
        string hex = TextMinHash.Compute(Fixture)!.ToHex();
        Assert.Equal("'g' is not a hex digit", MinHashSignature.Normalize("g" + hex[1..], out _));
        Assert.Equal("'U+0020' is not a hex digit", MinHashSignature.Normalize(hex[..100] + " " + hex[101..], out _));
        Assert.Contains("are equal", MinHashSignature.Normalize(new string('0', 256), out _), StringComparison.Ordinal);
        Assert.Contains("are equal", MinHashSignature.Normalize(string.Concat(Enumerable.Repeat("a7", 128)), out _), StringComparison.Ordinal);
        var error = Assert.Throws<FormatException>(() => MinHashSignature.Parse(hex + "00"));
        Assert.Equal("a text_minhash signature is 256 hex digits, not 258", error.Message);
        Assert.Throws<ArgumentException>(() => MinHashSignature.FromValues(new byte[3]));
    }

    [Fact]
    public void Similarity_is_one_for_equal_texts_and_symmetric()
    {
        var a = TextMinHash.Compute(Fixture)!;
        var b = TextMinHash.Compute(Unrelated)!;
        Assert.Equal(1.0, TextMinHash.Similarity(a, TextMinHash.Compute(Fixture.ToUpperInvariant())!));
        Assert.Equal(TextMinHash.Similarity(a, b), TextMinHash.Similarity(b, a));
        Assert.InRange(TextMinHash.Similarity(a, b), 0, 0.15);
    }

    public static TheoryData<string, string> NeutralEdits => new()
    {
        { "words inserted", Fixture.Replace("new reading room", "new and very quiet reading room", StringComparison.Ordinal).Replace("Tea and", "Hot tea and", StringComparison.Ordinal) },
        { "words removed", Fixture.Replace(" small", "", StringComparison.Ordinal).Replace(" in the garden", "", StringComparison.Ordinal).Replace(" aloud", "", StringComparison.Ordinal) },
        { "sentences reordered", string.Join(" ", Fixture.Split(". ").Reverse()) },
        { "comment added", "Worth sharing! " + Fixture + " See you there" },
        { "leetspeak", Evasion.Apply(Fixture, EvasionKind.Leetspeak, 3) },
        { "letters spaced", Evasion.Apply(Fixture, EvasionKind.LetterSpacing, 3) },
        { "homoglyphs and zero-width", Evasion.Apply(Evasion.Apply(Fixture, EvasionKind.Homoglyphs, 4), EvasionKind.ZeroWidth, 5) },
    };

    [Theory]
    [MemberData(nameof(NeutralEdits))]
    public void Near_duplicate_is_found_after_neutral_edits(string edit, string edited)
    {
        var index = NeutralIndex();
        var found = index.Search(TextMinHash.Compute(edited)!, TextMinHash.DefaultThreshold);
        Assert.True(found.Count == 1 && found[0].Id == 1, $"{edit}: {string.Join(", ", found)}");
        Assert.True(found[0].Similarity >= TextMinHash.DefaultThreshold);
    }

    [Fact]
    public void Unrelated_text_is_not_found()
    {
        var index = NeutralIndex();
        Assert.Empty(index.Search(TextMinHash.Compute("The bakery on the corner sells fresh bread every morning and closes at noon on Sundays.")!));
        Assert.Empty(index.Search(TextMinHash.Compute("The library is closed on Saturday.")!));
        Assert.Equal([2L], index.Search(TextMinHash.Compute(Unrelated)!).Select(m => m.Id));
    }

    private static MinHashLshIndex NeutralIndex() => MinHashLshIndex.Build(
        [TextMinHash.Compute(Fixture)!, TextMinHash.Compute(Unrelated)!],
        [1L, 2L]);

    [Fact]
    public void Similarity_estimates_the_jaccard_similarity_of_the_shingles()
    {
        // Pairs of texts made of overlapping runs of words: exact Jaccard similarities across the whole range.
        var words = (Fixture + " " + Unrelated).Split(' ');
        var random = new Random(11);
        var errors = new List<double>();
        for (int pair = 0; pair < 400; pair++)
        {
            int start = random.Next(words.Length / 2);
            int length = 10 + random.Next(20);
            int shift = random.Next(length);
            string a = string.Join(" ", words.Skip(start).Take(length));
            string b = string.Join(" ", words.Skip(start + shift).Take(length));
            double exact = Jaccard(Shingles(CanonicalText.Of(a)), Shingles(CanonicalText.Of(b)));
            errors.Add(TextMinHash.Similarity(TextMinHash.Compute(a)!, TextMinHash.Compute(b)!) - exact);
        }

        Assert.InRange(errors.Average(), -0.01, 0.01);
        Assert.InRange(Math.Sqrt(errors.Average(e => e * e)), 0, 0.05); // about 0.044 at J = 0.5, less elsewhere
    }

    private static HashSet<string> Shingles(string canonical) => canonical.Length <= TextMinHash.ShingleLength
        ? [canonical]
        : [.. Enumerable.Range(0, canonical.Length - TextMinHash.ShingleLength + 1).Select(i => canonical.Substring(i, TextMinHash.ShingleLength))];

    private static double Jaccard(HashSet<string> a, HashSet<string> b) => (double)a.Intersect(b).Count() / a.Union(b).Count();

    // ---- the index ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.7)]
    public void Index_returns_what_a_linear_scan_returns_above_the_threshold(double threshold)
    {
        var (signatures, ids) = RandomSignatures(count: 3000, seed: 5);
        var index = MinHashLshIndex.Build(signatures, ids, threshold);
        var random = new Random(6);
        int high = 0, highFound = 0;
        for (int q = 0; q < 500; q++)
        {
            // Queries: variants of indexed signatures, with similarities spread over 0.2-1.
            var query = Mutate(signatures[random.Next(signatures.Length)], random.Next(90), random);
            var expected = signatures.Select((s, i) => new MinHashMatch(ids[i], TextMinHash.Similarity(query, s)))
                .Where(m => m.Similarity >= threshold).ToList();
            var found = index.Search(query, threshold);

            Assert.All(found, m => Assert.Contains(m, expected)); // never below the threshold, similarities exact
            Assert.Equal(found.Count, found.Distinct().Count());
            Assert.Equal(found.OrderByDescending(m => m.Similarity).ThenBy(m => m.Id), found);
            foreach (var m in expected.Where(m => m.Similarity >= threshold + 0.15))
            {
                high++;
                highFound += found.Contains(m) ? 1 : 0;
            }

            // Below the index's threshold the search compares every entry: exactly the scan.
            var lower = threshold - 0.1;
            Assert.Equal(
                signatures.Select((s, i) => new MinHashMatch(ids[i], TextMinHash.Similarity(query, s))).Where(m => m.Similarity >= lower)
                    .OrderByDescending(m => m.Similarity).ThenBy(m => m.Id),
                index.Search(query, lower));
        }

        Assert.True(high > 100, $"{high} high-similarity pairs");
        Assert.True(highFound >= high * 0.99, $"{highFound} of {high} pairs 0.15 above the threshold found");
    }

    [Fact]
    public void Index_is_safe_to_search_from_many_threads()
    {
        var (signatures, ids) = RandomSignatures(count: 2000, seed: 8);
        var index = MinHashLshIndex.Build(signatures, ids, 0.6);
        var expected = signatures.Select(s => index.Search(s, 0.6)).ToArray();
        Parallel.For(0, 4, _ =>
        {
            var results = new List<MinHashMatch>();
            for (int i = 0; i < signatures.Length; i++)
            {
                results.Clear();
                index.Search(signatures[i], 0.6, results);
                Assert.Equal(expected[i], results);
            }
        });
        Assert.All(expected.Select((e, i) => (e, i)), x => Assert.Contains(new MinHashMatch(ids[x.i], 1.0), x.e));
    }

    [Fact]
    public void Index_checks_its_arguments()
    {
        var one = TextMinHash.Compute(Fixture)!;
        Assert.Throws<ArgumentException>(() => MinHashLshIndex.Build([one], [1L, 2L]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MinHashLshIndex.Build([one], [1L], 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MinHashLshIndex.Build([one], [1L], double.NaN));
        var empty = MinHashLshIndex.Build([], []);
        Assert.Equal(0, empty.Count);
        Assert.Empty(empty.Search(one));
        Assert.Empty(MinHashLshIndex.Build([one], [1L]).Search(one, 1.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => MinHashLshIndex.Build([one], [1L]).Search(one, double.NaN));
    }

    [Theory]
    [InlineData(0.5, 32, 4)]
    [InlineData(0.6, 25, 5)]
    [InlineData(0.7, 21, 6)]
    [InlineData(0.8, 16, 8)]
    public void Banding_follows_the_lowest_threshold(double threshold, int bands, int rows)
    {
        var banding = LshBanding.For(threshold);
        Assert.Equal(new LshBanding(bands, rows), banding);
        Assert.True(banding.CandidateProbability(threshold + 0.05) >= 0.95);
    }

    private static (MinHashSignature[] Signatures, long[] Ids) RandomSignatures(int count, int seed)
    {
        // Clusters: a random signature and variants of it, so that the set holds pairs at every similarity.
        var random = new Random(seed);
        var signatures = new List<MinHashSignature>(count);
        while (signatures.Count < count)
        {
            var values = new byte[MinHashSignature.Size];
            random.NextBytes(values);
            var root = MinHashSignature.FromValues(values);
            signatures.Add(root);
            for (int v = random.Next(4); v > 0 && signatures.Count < count; v--)
            {
                signatures.Add(Mutate(root, random.Next(80), random));
            }
        }

        return ([.. signatures], [.. Enumerable.Range(0, count).Select(i => 1000L + i)]);
    }

    /// <summary>A copy with <paramref name="changes"/> values replaced by random ones.</summary>
    private static MinHashSignature Mutate(MinHashSignature signature, int changes, Random random)
    {
        var values = signature.Values.ToArray();
        for (int c = 0; c < changes; c++)
        {
            values[random.Next(values.Length)] = (byte)random.Next(256);
        }

        return MinHashSignature.FromValues(values);
    }
}
