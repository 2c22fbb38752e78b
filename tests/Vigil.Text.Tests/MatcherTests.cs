using Vigil.Core;
using Vigil.Text.Lexicon;
using Vigil.Text.Normalization;

namespace Vigil.Text.Tests;

public class AhoCorasickTests
{
    [Fact]
    public void Finds_the_same_occurrences_as_a_naive_search()
    {
        var random = new Random(7);
        string alphabet = "abc d";
        for (int round = 0; round < 50; round++)
        {
            var patterns = Enumerable.Range(0, 20)
                .Select(_ => new string([.. Enumerable.Range(0, random.Next(1, 5)).Select(_ => alphabet[random.Next(alphabet.Length)])]))
                .Distinct()
                .ToList();
            string text = new([.. Enumerable.Range(0, 300).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var automaton = new AhoCorasick(patterns);
            var found = new List<(int, int, int)>();
            automaton.FindAll(text.AsSpan(), ref found, static (ref List<(int, int, int)> list, int s, int e, int p) => list.Add((s, e, p)));

            var expected = new List<(int, int, int)>();
            for (int p = 0; p < patterns.Count; p++)
            {
                for (int at = text.IndexOf(patterns[p], StringComparison.Ordinal); at >= 0; at = text.IndexOf(patterns[p], at + 1, StringComparison.Ordinal))
                {
                    expected.Add((at, at + patterns[p].Length, p));
                }
            }

            Assert.Equal(expected.Order(), found.Order());
        }
    }

    [Fact]
    public void Rejects_empty_and_duplicate_patterns()
    {
        Assert.Throws<ArgumentException>(() => new AhoCorasick([""]));
        Assert.Throws<ArgumentException>(() => new AhoCorasick(["ab", "ab"]));
    }
}

public class PhraseMatcherTests
{
    private static readonly LexiconEntry Org = new(
        "Example Front", ["Example Front", "Exfront", "EXF"], "uk-proscribed", "entity", Taxonomy.TerrorismSupport.Id, TermStrength.Strong);

    private static readonly LexiconEntry Term = new(
        "khilafah", ["khilafah", "khilafa", "\u062E\u0644\u0627\u0641\u0629"], "vigil-coded-terms", "coded_term", Taxonomy.TerrorismSupport.Id, TermStrength.Weak);

    private static readonly PhraseMatcher Matcher = new([Org, Term]);

    private static List<(string Span, string Name)> Find(string text) =>
        [.. Matcher.Match(TextNormalizer.Normalize(text)).Select(m => (text[m.Start..m.End], m.Entries[0].Name))];

    [Fact]
    public void Matches_whole_words_only()
    {
        Assert.Equal([("Exfront", "Example Front")], Find("Join Exfront now"));
        Assert.Empty(Find("Joinexfront or exfronts"));
    }

    [Theory]
    [InlineData("They praised the E x a m p l e   F r o n t today", "E x a m p l e   F r o n t")]
    [InlineData("They praised the Ex\u200Bam\u200Dple Front today", "Ex\u200Bam\u200Dple Front")]
    [InlineData("They praised the 3x4mpl3 Fr0nt today", "3x4mpl3 Fr0nt")]
    [InlineData("They praised the \u0415x\u0430mple Fr\u043Ent today", "\u0415x\u0430mple Fr\u043Ent")]
    [InlineData("They praised the EXAMPLE-FRONT today", "EXAMPLE-FRONT")]
    [InlineData("They praised the Examppple Front today", "Examppple Front")]
    public void Evidence_spans_point_at_the_evaded_original(string text, string expected)
    {
        var found = Find(text);
        Assert.Single(found);
        Assert.Equal(expected, found[0].Span);
    }

    [Fact]
    public void Transliteration_variants_and_arabic_match()
    {
        Assert.Equal("khilafah", Find("long live the khilafah")[0].Name);
        Assert.Equal("KHILAFA", Find("long live the KHILAFA")[0].Span);
        // Arabic with a prefixed conjunction (wa-) and the taa marbuta folded: the evidence is the term itself
        Assert.Equal("\u062E\u0644\u0627\u0641\u0647", Find("\u0648\u062E\u0644\u0627\u0641\u0647")[0].Span);
    }

    [Fact]
    public void Short_acronyms_that_are_words_need_capitals()
    {
        var matcher = new PhraseMatcher([Org with { Forms = ["Example Front", "LET"] }]);
        Assert.Empty(matcher.Match(TextNormalizer.Normalize("let it be")));
        // three-letter acronyms are too ambiguous for designations, bar a few well-known ones
        Assert.Empty(matcher.Match(TextNormalizer.Normalize("LET it be")));
        Assert.Empty(Find("EXF members"));
    }

    [Fact]
    public void Generic_names_are_not_designation_evidence()
    {
        var matcher = new PhraseMatcher([Org with { Forms = ["The Base", "Jihad Group", "Example Front"] }]);
        Assert.Empty(matcher.Match(TextNormalizer.Normalize("the base of the jihad group")));
    }

    [Fact]
    public void Longest_match_wins_where_matches_overlap()
    {
        var shortEntry = Org with { Name = "Example", Forms = ["Example"] };
        var matcher = new PhraseMatcher([Org, shortEntry]);
        var matches = matcher.Match(TextNormalizer.Normalize("the Example Front said"));
        Assert.Single(matches);
        Assert.Equal("Example Front", matches[0].Entries[0].Name);
    }
}
