using Vigil.Core;
using Vigil.Core.Banks;
using Vigil.Core.Signals;
using Vigil.Moderation;

namespace Vigil.Media.Tests;

public class BankMatcherTests
{
    private static readonly PdqHash Query = PdqHash.Parse("f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22");
    private static readonly ContentHashes Content = new("0123456789abcdef0123456789abcdef", new string('a', 63) + "b");

    /// <summary>The query with its lowest <paramref name="bits"/> bits flipped: at exactly that distance.</summary>
    private static string At(int bits)
    {
        var flip = bits >= 64 ? ulong.MaxValue : (1UL << bits) - 1;
        return (Query with { Word0 = Query.Word0 ^ flip }).ToString();
    }

    private static BankMatcher Matcher(params (HashBank Bank, BankEntry[] Entries)[] banks)
    {
        var builder = new BankMatcher.Builder(VigilSignalTypes.Default);
        long id = 1;
        foreach (var (bank, entries) in banks)
        {
            if (builder.AddBank(bank))
            {
                foreach (var entry in entries)
                {
                    builder.Add(bank.Name, entry with { Id = id++ });
                }
            }
        }

        return builder.Build();
    }

    /// <summary>A bank with PDQ settings (the defaults where not given).</summary>
    private static HashBank Bank(string name, bool Enabled = true, bool AllowList = false, int? PdqThreshold = null, int? MinQuality = null)
    {
        var pdq = new System.Text.Json.Nodes.JsonObject();
        if (PdqThreshold is { } t)
        {
            pdq["threshold"] = t;
        }

        if (MinQuality is { } q)
        {
            pdq["min_quality"] = q;
        }

        return new HashBank(name, Enabled, AllowList) { Settings = BankSettings.None.With("pdq", pdq) };
    }

    /// <summary>The hashes of content with these byte hashes and this PDQ hash (either may be missing).</summary>
    private static IEnumerable<ContentHash> Hashes(ContentHashes? content, PdqResult? pdq)
    {
        if (pdq is { } p && !p.Hash.IsZero)
        {
            yield return new ContentHash("pdq", p.Hash.ToString(), p.Quality);
        }

        if (content is not null)
        {
            yield return new ContentHash("md5", content.Md5);
            yield return new ContentHash("sha256", content.Sha256);
        }
    }

    private static BankEntry Pdq(int distance, string? category = "terrorism.emblem") =>
        new("pdq", At(distance), new BankLabels(Category: category));

    [Fact]
    public void Per_bank_thresholds_decide_what_matches()
    {
        var strict = Bank("strict", PdqThreshold: 10);
        var loose = Bank("loose", PdqThreshold: 40);
        var matcher = Matcher((strict, [Pdq(8), Pdq(12)]), (loose, [Pdq(35), Pdq(41)]));

        var result = matcher.Match(Hashes(null, new PdqResult(Query, 100)));

        Assert.Equal([("strict", 8), ("loose", 35)], result.Matches.Select(m => (m.Bank.Name, m.Distance)));
        Assert.Empty(result.Suppressed);
    }

    [Fact]
    public void Images_under_a_banks_minimum_quality_are_not_matched_there()
    {
        var picky = Bank("picky", MinQuality: 80);
        var lenient = Bank("lenient", MinQuality: 10);
        var matcher = Matcher((picky, [Pdq(3)]), (lenient, [Pdq(4)]));

        var result = matcher.Match(Hashes(null, new PdqResult(Query, 60)));

        Assert.Equal(["lenient"], result.Matches.Select(m => m.Bank.Name));
        Assert.Equal(["picky"], result.Skipped.Select(b => b.Bank.Name));
        Assert.Equal(2, matcher.Match(Hashes(null, new PdqResult(Query, 80))).Matches.Count);
        Assert.Empty(matcher.Match(Hashes(null, new PdqResult(Query, 5))).Matches);
    }

    [Fact]
    public void Disabled_banks_are_not_matched()
    {
        var off = Bank("off", Enabled: false);
        var on = Bank("on");
        var matcher = Matcher((off, [Pdq(0), new BankEntry("md5", Content.Md5)]), (on, [Pdq(20)]));

        var result = matcher.Match(Hashes(Content, new PdqResult(Query, 100)));

        Assert.Equal(["on"], matcher.Banks.Select(b => b.Name));
        Assert.Equal(["on"], result.Matches.Select(m => m.Bank.Name));
    }

    [Fact]
    public void Exact_hashes_match_without_pixels()
    {
        var bank = Bank("exact");
        var matcher = Matcher((bank, [new BankEntry("md5", Content.Md5), new BankEntry("sha256", Content.Sha256), new BankEntry("md5", new string('1', 32))]));

        var result = matcher.Match(Hashes(Content, null));

        Assert.Equal(["md5", "sha256"], result.Matches.Select(m => m.Entry.SignalType).Order());
        Assert.All(result.Matches, m => Assert.Equal(0, m.Distance));
    }

    [Fact]
    public void An_allow_list_match_suppresses_the_others_and_reports_them()
    {
        var known = Bank("known-good", AllowList: true, PdqThreshold: 20);
        var tvec = Bank("tvec");
        var matcher = Matcher((known, [Pdq(15, null)]), (tvec, [Pdq(5), new BankEntry("md5", Content.Md5, new BankLabels(Category: "terrorism.propaganda"))]));

        var result = matcher.Match(Hashes(Content, new PdqResult(Query, 100)));

        Assert.Empty(result.Matches);
        Assert.Equal(["known-good"], result.AllowMatches.Select(m => m.Bank.Name));
        Assert.Equal(2, result.Suppressed.Count);
        Assert.Empty(BankScoring.Scores(result));
        var allow = Assert.Single(BankScoring.Signals(result));
        Assert.Equal(SignalKinds.AllowList, allow.Type);
        Assert.Contains("suppressed 2 match(es)", allow.Evidence[0].Detail, StringComparison.Ordinal);
        Assert.Contains("bank 'tvec'", allow.Evidence[0].Detail, StringComparison.Ordinal);

        // Out of the allow-list's reach (distance 25 > 20), the bank match counts again.
        var farther = Matcher((known, [Pdq(25, null)]), (tvec, [Pdq(5)]));
        Assert.Equal(["tvec"], farther.Match(Hashes(null, new PdqResult(Query, 100))).Matches.Select(m => m.Bank.Name));
    }

    [Fact]
    public void False_positive_entries_act_as_allow_list_entries()
    {
        var mixed = Bank("mixed");
        var matcher = Matcher((mixed, [Pdq(2) with { Opinion = BankOpinion.FalsePositive }, Pdq(6)]));

        var result = matcher.Match(Hashes(null, new PdqResult(Query, 100)));

        Assert.Empty(result.Matches);
        Assert.Single(result.AllowMatches);
        Assert.Single(result.Suppressed);
    }

    [Fact]
    public void Scores_fall_with_distance_and_follow_confidence_and_opinion()
    {
        var bank = Bank("tvec");
        var types = VigilSignalTypes.Default;
        double Score(BankEntry entry, int distance)
        {
            var type = types.Get(entry.SignalType);
            var settings = bank.SettingsFor(type);
            return BankScoring.Score(new BankMatch(bank, entry, distance, type.Closeness(distance, settings), type.DescribeMatch(distance, settings)));
        }

        Assert.Equal(1.0, Score(Pdq(0), 0));
        Assert.Equal(1.0, Score(new BankEntry("md5", Content.Md5), 0));
        Assert.Equal(0.75, Score(Pdq(16), 16), 6);
        Assert.Equal(1 - (0.5 * 31 / 32), Score(Pdq(31), 31), 6);
        Assert.Equal(0.4, Score(Pdq(0) with { Confidence = 0.4 }, 0), 6);
        Assert.Equal(0.5, Score(Pdq(0) with { Opinion = BankOpinion.Investigate }, 0), 6);

        var matcher = Matcher((bank, [Pdq(10), Pdq(3), Pdq(4, "hate"), Pdq(1, null)]));
        var result = matcher.Match(Hashes(null, new PdqResult(Query, 100)));
        var scores = BankScoring.Scores(result);
        Assert.Equal(1 - (0.5 * 3 / 32), scores["terrorism.emblem"], 6);
        Assert.Equal(1 - (0.5 * 4 / 32), scores["hate"], 6);
        Assert.Equal(2, scores.Count);
        Assert.Equal(4, BankScoring.Signals(result).Count);
        Assert.All(BankScoring.Signals(result), s => Assert.Equal(("pdq", "tvec"), (s.Type, s.Bank)));
    }

    [Fact]
    public void Matches_equal_a_linear_scan_on_the_shared_needles_and_haystack()
    {
        var haystack = SharedData.Lines("hash-lists/haystack.txt");
        var needles = SharedData.Lines("hash-lists/needles.txt");
        var bank = Bank("haystack");
        var builder = new BankMatcher.Builder(VigilSignalTypes.Default);
        builder.AddBank(bank);
        for (int i = 0; i < haystack.Length; i++)
        {
            builder.Add(bank.Name, new BankEntry("pdq", haystack[i].Trim().ToLowerInvariant(), Id: i + 1));
        }

        var matcher = builder.Build();
        var expected = SharedData.Lines("expected/needles-vs-haystack-d31.csv").Skip(1)
            .Select(l => l.Split(','))
            .Select(f => (Needle: int.Parse(f[0]), Entry: long.Parse(f[1]), Distance: int.Parse(f[2])))
            .OrderBy(t => t).ToList();
        var actual = needles
            .SelectMany((n, i) => matcher.Match(Hashes(null, new PdqResult(PdqHash.Parse(n.Trim()), 100))).Matches.Select(m => (Needle: i + 1, Entry: m.Entry.Id, Distance: (int)m.Distance)))
            .OrderBy(t => t).ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void An_empty_matcher_matches_nothing()
    {
        Assert.Same(BankMatchResult.None, BankMatcher.Empty.Match(Hashes(Content, new PdqResult(Query, 100))));
        var emptyBank = Matcher((Bank("empty"), []));
        Assert.Empty(emptyBank.Match(Hashes(Content, new PdqResult(Query, 100))).Matches);
    }
}
