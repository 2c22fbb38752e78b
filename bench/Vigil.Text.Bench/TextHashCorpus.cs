using Vigil.Text.Signals;
using Vigil.Training.Data;

namespace Vigil.Bench;

/// <summary>A banked text: a labelled post, or a long statement made of several.</summary>
internal sealed record BankText(string Id, bool Long, string Text, string Canonical);

/// <summary>A text looked up in the bank: an edited copy of entry <paramref name="Source"/> by edit
/// <paramref name="Edit"/>, or an unrelated post (Source and Edit -1).</summary>
internal sealed record LookupText(string Text, int Source, int Edit, bool Long);

/// <summary>
/// The texts of the text hash bank measurement (<c>text-hash-banks</c> mode): the bank, edited copies of its entries and
/// other posts of the same sets, all from <c>../shared/data</c> and deterministic.
/// </summary>
internal sealed class TextHashCorpus
{
    /// <summary>Bank entries need this many canonical words: shorter ones are too generic for a near-duplicate bank.</summary>
    public const int MinWords = 5;

    /// <summary>Posts in a synthetic long statement.</summary>
    public const int PostsPerStatement = 10;

    /// <summary>Canonical words of a post at most, to be part of a statement.</summary>
    public const int MaxWordsInStatement = 40;

    public required IReadOnlyList<BankText> Bank { get; init; }

    public required IReadOnlyList<LookupText> Queries { get; init; }

    public required IReadOnlyList<TextEdit> Edits { get; init; }

    public required string Description { get; init; }

    public int ShortEntries => Bank.Count(b => !b.Long);

    public static TextHashCorpus Load(string datasets)
    {
        List<LabelledPost> Posts(Dataset set) => [.. set.Load(datasets, DatasetCatalogue.Train).Concat(set.Load(datasets, DatasetCatalogue.Dev))];
        var isis = Posts(DatasetCatalogue.IsisTweets);
        var stormfront = Posts(DatasetCatalogue.Stormfront);
        var accounts = Posts(DatasetCatalogue.IsisAccounts);

        // The bank: extremist and hate posts of five words or more, without near-duplicates of each other.
        var pool = isis.Where(p => p.Label == "extremist").Concat(stormfront.Where(p => p.Label == "hate"))
            .Select(p => new BankText(p.Id, false, p.Text, CanonicalText.Of(p.Text)))
            .Where(b => WordCount(b.Canonical) >= MinWords)
            .ToList();
        int pooled = pool.Count;
        var bank = WithoutNearDuplicates(pool, 0.3);

        // Negatives: every other post of these sets (same topics: ISIS conversations, pro-ISIS accounts, Stormfront).
        var negatives = isis.Where(p => p.Label != "extremist").Concat(accounts).Concat(stormfront.Where(p => p.Label != "hate"))
            .Where(p => CanonicalText.Of(p.Text).Length > 0)
            .ToList();

        // Long statements: 10 posts each, drawn without repeats, from the bank's posts and from the negatives; posts of
        // up to 40 words, so that no statement is mostly one banked post.
        var longBank = Statements([.. bank.Where(b => WordCount(b.Canonical) <= MaxWordsInStatement).Select(b => b.Text)], 100, "long-bank");
        var longNegatives = Statements(
            [.. negatives.Select(p => p.Text).Where(t => WordCount(CanonicalText.Of(t)) is >= MinWords and <= MaxWordsInStatement)], 200, "long-negatives");
        var entries = bank.Concat(longBank.Select((t, i) => new BankText($"statement-{i}", true, t, CanonicalText.Of(t)))).ToList();

        var vocabulary = negatives.SelectMany(p => p.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length is >= 2 and <= 12 && w.All(char.IsAsciiLetter))
            .Select(w => w.ToLowerInvariant())
            .ToList();
        var comments = negatives.Where(p => p.Set != "isis-accounts" && WordCount(CanonicalText.Of(p.Text)) is >= 5 and <= 20).Select(p => p.Text).ToList();
        var edits = TextEdits.All(vocabulary, comments);

        var queries = new List<LookupText>();
        for (int e = 0; e < edits.Count; e++)
        {
            for (int b = 0; b < entries.Count; b++)
            {
                var random = TextEdits.RandomFor($"{entries[b].Id}|{edits[e].Name}");
                queries.Add(new LookupText(edits[e].Apply(entries[b].Text, random), b, e, entries[b].Long));
            }
        }

        queries.AddRange(negatives.Select(p => new LookupText(p.Text, -1, -1, false)));
        queries.AddRange(longNegatives.Select(t => new LookupText(t, -1, -1, true)));

        int isisBanked = bank.Count(b => b.Id.StartsWith("isis", StringComparison.Ordinal));
        return new TextHashCorpus
        {
            Bank = entries,
            Queries = queries,
            Edits = edits,
            Description =
                $"Bank: {bank.Count:N0} posts ({isisBanked:N0} `extremist` of isis-tweets-labelled, {bank.Count - isisBanked:N0} `hate` of stormfront, " +
                $"train and dev splits, {MinWords} canonical words or more; {pooled - bank.Count:N0} near-duplicates of others left out) and " +
                $"{longBank.Count} long statements of {PostsPerStatement} of those posts each (synthetic: no set holds long texts). " +
                $"Negatives: the {negatives.Count:N0} other posts of the same sets (isis-tweets-labelled `none`, isis-accounts, stormfront `none`), " +
                $"and {longNegatives.Count} long statements of {PostsPerStatement} of them.",
        };
    }

    public static int WordCount(string canonical) => canonical.Length == 0 ? 0 : canonical.Count(c => c == ' ') + 1;

    /// <summary>Drops each post whose character 5-grams overlap an earlier kept one's by Jaccard ≥ <paramref name="limit"/> (5-grams
    /// whatever the signal uses, so that the bank does not depend on it).</summary>
    private static List<BankText> WithoutNearDuplicates(List<BankText> pool, double limit)
    {
        var kept = new List<BankText>();
        var keptShingles = new List<string[]>();
        foreach (var b in pool)
        {
            var shingles = ShingleSet(b.Canonical, 5);
            if (keptShingles.All(k => Jaccard(k, shingles) < limit))
            {
                kept.Add(b);
                keptShingles.Add(shingles);
            }
        }

        return kept;
    }

    private static List<string> Statements(List<string> posts, int count, string seed)
    {
        var order = posts.ToArray();
        TextEdits.RandomFor(seed).Shuffle(order);
        return [.. Enumerable.Range(0, Math.Min(count, order.Length / PostsPerStatement))
            .Select(s => string.Join(' ', order.Skip(s * PostsPerStatement).Take(PostsPerStatement).Select(EndSentence)))];
    }

    private static string EndSentence(string post)
    {
        string trimmed = post.Trim();
        return trimmed.Length > 0 && trimmed[^1] is '.' or '!' or '?' ? trimmed : trimmed + ".";
    }

    /// <summary>The distinct character n-grams of a canonical text, sorted (ordinal).</summary>
    public static string[] ShingleSet(string canonical, int n) => canonical.Length <= n
        ? [canonical]
        : [.. Enumerable.Range(0, canonical.Length - n + 1).Select(i => canonical.Substring(i, n)).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>Jaccard similarity of two sorted sets.</summary>
    public static double Jaccard(string[] a, string[] b)
    {
        int i = 0, j = 0, common = 0;
        while (i < a.Length && j < b.Length)
        {
            int c = string.CompareOrdinal(a[i], b[j]);
            if (c == 0)
            {
                common++;
                i++;
                j++;
            }
            else if (c < 0)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return (double)common / (a.Length + b.Length - common);
    }
}

/// <summary>
/// The similarities of one shingling: each query's similarity to its source entry, and every pair of a query and an
/// entry that is not its source with a similarity of <see cref="Floor"/> or more (false matches at a threshold).
/// </summary>
internal sealed class SchemeScores
{
    public const double Floor = 0.2;

    public required Shingling Shingling { get; init; }

    /// <summary>Similarity of each query to its source (NaN for negatives, 0 when it has no signature).</summary>
    public required double[] SourceSimilarity { get; init; }

    /// <summary>Per query: the similarities ≥ <see cref="Floor"/> to entries other than its source.</summary>
    public required double[][] FalseMatches { get; init; }

    /// <summary>The bank's signatures (null for an entry without one).</summary>
    public required MinHashSignature?[] BankSignatures { get; init; }

    /// <summary>The queries' signatures (null for a query without one).</summary>
    public required MinHashSignature?[] QuerySignatures { get; init; }

    public static SchemeScores Compute(TextHashCorpus corpus, Shingling shingling, string[] queryCanonical)
    {
        var bank = corpus.Bank.Select(b => TextMinHash.FromCanonical(b.Canonical, shingling)).ToArray();
        var queries = new MinHashSignature?[corpus.Queries.Count];
        Parallel.For(0, queries.Length, q => queries[q] = TextMinHash.FromCanonical(queryCanonical[q], shingling));
        var source = new double[queries.Length];
        var falseMatches = new double[queries.Length][];
        int required = TextMinHash.MatchesFor(Floor);
        Parallel.For(0, queries.Length, q =>
        {
            var query = queries[q];
            int sourceIndex = corpus.Queries[q].Source;
            source[q] = sourceIndex < 0 ? double.NaN : 0;
            var found = new List<double>();
            if (query is not null)
            {
                for (int b = 0; b < bank.Length; b++)
                {
                    if (bank[b] is not { } entry)
                    {
                        continue;
                    }

                    int matches = TextMinHash.MatchingValues(query.Values, entry.Values);
                    if (b == sourceIndex)
                    {
                        source[q] = TextMinHash.SimilarityOf(matches);
                    }
                    else if (matches >= required)
                    {
                        found.Add(TextMinHash.SimilarityOf(matches));
                    }
                }
            }

            falseMatches[q] = [.. found];
        });

        return new SchemeScores { Shingling = shingling, SourceSimilarity = source, FalseMatches = falseMatches, BankSignatures = bank, QuerySignatures = queries };
    }

    /// <summary>Precision and recall at <paramref name="threshold"/> over the positives <paramref name="positives"/>
    /// (query indexes) and every negative.</summary>
    public (double Precision, double Recall, int TruePositives, int FalsePositives) At(double threshold, IReadOnlyList<int> positives, IReadOnlyList<int> negatives)
    {
        int tp = positives.Count(q => SourceSimilarity[q] >= threshold);
        int fp = positives.Concat(negatives).Sum(q => FalseMatches[q].Count(s => s >= threshold));
        return (tp + fp == 0 ? 1 : (double)tp / (tp + fp), positives.Count == 0 ? 0 : (double)tp / positives.Count, tp, fp);
    }

    /// <summary>Share of <paramref name="negatives"/> that match any entry at <paramref name="threshold"/>.</summary>
    public double FalseMatchRate(double threshold, IReadOnlyList<int> negatives) =>
        (double)negatives.Count(q => FalseMatches[q].Any(s => s >= threshold)) / negatives.Count;

    /// <summary>Area under the precision-recall curve traced by the thresholds from 1 down to <see cref="Floor"/>.</summary>
    public double AreaUnderCurve(IReadOnlyList<int> positives, IReadOnlyList<int> negatives)
    {
        double area = 0, lastRecall = 0;
        foreach (double t in Thresholds(Floor, 1.0, 0.01).Reverse())
        {
            var (precision, recall, _, _) = At(t, positives, negatives);
            area += (recall - lastRecall) * precision;
            lastRecall = recall;
        }

        return area;
    }

    public static IEnumerable<double> Thresholds(double from, double to, double step)
    {
        for (int i = 0; from + (i * step) <= to + 1e-9; i++)
        {
            yield return Math.Round(from + (i * step), 4);
        }
    }
}

