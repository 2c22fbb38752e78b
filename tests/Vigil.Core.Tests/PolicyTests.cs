namespace Vigil.Core.Tests;

public class PolicyTests
{
    private static readonly Policy Policy = new(
        "test-1",
        Taxonomy.All.ToDictionary(c => c.Id, _ => new CategoryThresholds(0.5, 0.9)),
        new Dictionary<ContentContext, ContextRule> { [ContentContext.News] = new(0.95, AllowViolating: false) });

    private static Assessment With(double support, double hate = 0, ContentContext context = ContentContext.None) => new(
        new Dictionary<string, double> { [Taxonomy.TerrorismSupport.Id] = support, [Taxonomy.Hate.Id] = hate },
        context,
        "en",
        [new Signal(SignalKinds.Lexicon, Taxonomy.TerrorismSupport.Id, 0.5, [new Evidence(5, 9, SignalKinds.Lexicon, "b"), new Evidence(0, 4, SignalKinds.Lexicon, "a")])]);

    [Fact]
    public void Below_review_is_clear_with_every_category_scored()
    {
        var verdict = Policy.Decide(With(0.1));
        Assert.Equal(VerdictKind.Clear, verdict.Kind);
        Assert.Empty(verdict.Labels);
        Assert.Equal(Taxonomy.All.Select(c => c.Id).Order(), verdict.Scores.Keys.Order());
        Assert.Empty(verdict.LegalBasis);
        Assert.Equal("test-1", verdict.PolicyVersion);
    }

    [Fact]
    public void Review_and_violating_thresholds_apply_with_legal_basis()
    {
        var review = Policy.Decide(With(0.6));
        Assert.Equal(VerdictKind.Review, review.Kind);
        Assert.Equal(["terrorism.support"], review.Labels);
        Assert.Equal(["UK TA 2000 s.12", "UK TA 2006 s.1"], review.LegalBasis);

        var violating = Policy.Decide(With(0.95, hate: 0.7));
        Assert.Equal(VerdictKind.Violating, violating.Kind);
        Assert.Equal(["terrorism.support", "hate"], violating.Labels); // most severe first
    }

    [Fact]
    public void A_protected_context_raises_the_bar_and_cites_the_exemption()
    {
        var news = Policy.Decide(With(0.93, context: ContentContext.News));
        Assert.Equal(VerdictKind.Clear, news.Kind);
        Assert.Contains(Taxonomy.EuTcoExemption, news.LegalBasis);

        var strong = Policy.Decide(With(0.97, context: ContentContext.News));
        Assert.Equal(VerdictKind.Review, strong.Kind); // never violating in news context
    }

    [Fact]
    public void A_strong_coded_term_reaches_review_on_its_own_unless_the_policy_says_not()
    {
        var assessment = With(0.01) with
        {
            Signals = [new Signal(SignalKinds.Lexicon, Taxonomy.TerrorismPropaganda.Id, Policy.StrongCueScore, [new Evidence(0, 4, SignalKinds.Lexicon, "outlet")])],
        };
        var verdict = Policy.Decide(assessment);
        Assert.Equal(VerdictKind.Review, verdict.Kind);
        Assert.Equal(["terrorism.propaganda"], verdict.Labels);
        Assert.Equal(0.5, verdict.Scores["terrorism.propaganda"]);

        var off = Policy.Parse(Policy.ToJson().Replace("\"strong_cues_review\": true", "\"strong_cues_review\": false", StringComparison.Ordinal));
        Assert.False(off.StrongCuesReview);
        Assert.Equal(VerdictKind.Clear, off.Decide(assessment).Kind);
    }

    [Fact]
    public void Evidence_comes_out_in_text_order()
    {
        var verdict = Policy.Decide(With(0.6));
        Assert.Equal([0, 5], verdict.Evidence.Select(e => e.Start));
    }

    [Fact]
    public void Evidence_is_ordered_by_start_then_end_and_ties_keep_the_signals_order()
    {
        static Evidence E(int start, int end, string detail) => new(start, end, SignalKinds.Lexicon, detail);
        var assessment = new Assessment(
            new Dictionary<string, double> { [Taxonomy.TerrorismSupport.Id] = 0.6 },
            ContentContext.None,
            "en",
            [
                new Signal(SignalKinds.Lexicon, Taxonomy.TerrorismSupport.Id, 0.5, [E(3, 9, "first"), E(0, 2, "a")]),
                new Signal(SignalKinds.Context, "news", 0.5, [E(3, 9, "second"), E(3, 5, "b")]),
            ]);
        var verdict = Policy.Decide(assessment);
        Assert.Equal(["a", "b", "first", "second"], verdict.Evidence.Select(e => e.Detail));
        Assert.Equal(["UK TA 2000 s.12", "UK TA 2006 s.1"], verdict.LegalBasis);

        // A provision two labels share is cited once, in the order of the labels (recruitment is the more severe).
        var both = Policy.Decide(assessment with
        {
            Scores = new Dictionary<string, double> { [Taxonomy.TerrorismSupport.Id] = 0.6, [Taxonomy.TerrorismRecruitment.Id] = 0.7 },
        });
        Assert.Equal(both.Labels.SelectMany(l => Taxonomy.All.Single(c => c.Id == l).LegalBasis).Distinct(), both.LegalBasis);
        Assert.Equal(3, both.LegalBasis.Count);
    }

    [Fact]
    public void Round_trips_through_json()
    {
        var parsed = Policy.Parse(Policy.ToJson());
        Assert.Equal(Policy.Version, parsed.Version);
        Assert.Equal(0.5, parsed.Categories["hate"].Review);
        Assert.False(parsed.Contexts[ContentContext.News].AllowViolating);
    }

    [Fact]
    public void A_language_can_have_its_own_thresholds()
    {
        var policy = Policy with
        {
            Languages = new Dictionary<string, IReadOnlyDictionary<string, CategoryThresholds>>(StringComparer.Ordinal)
            {
                ["ar"] = new Dictionary<string, CategoryThresholds>(StringComparer.Ordinal) { ["hate"] = new(0.2, 0.4) },
            },
        };
        Assessment In(string? language, double hate) => With(0, hate) with { Language = language };

        Assert.Equal(VerdictKind.Violating, policy.Decide(In("ar", 0.45)).Kind);
        Assert.Equal(VerdictKind.Review, policy.Decide(In("ar", 0.25)).Kind);
        Assert.Equal(VerdictKind.Clear, policy.Decide(In("en", 0.45)).Kind);
        Assert.Equal(VerdictKind.Clear, policy.Decide(In(null, 0.45)).Kind);
        Assert.Equal(VerdictKind.Review, policy.Decide(In("en", 0.6)).Kind);
        Assert.Equal(0.5, policy.ThresholdsFor("terrorism.support", "ar")!.Review); // categories it does not name keep theirs

        var parsed = Policy.Parse(policy.ToJson());
        Assert.Equal(new CategoryThresholds(0.2, 0.4), parsed.Languages["ar"]["hate"]);
        Assert.Equal(VerdictKind.Violating, parsed.Decide(In("ar", 0.45)).Kind);
        Assert.Empty(Policy.Parse(Policy.ToJson()).Languages);
    }

    [Fact]
    public void Without_the_embedding_stage_its_own_thresholds_apply()
    {
        var policy = Policy with
        {
            Languages = new Dictionary<string, IReadOnlyDictionary<string, CategoryThresholds>>(StringComparer.Ordinal)
            {
                ["ar"] = new Dictionary<string, CategoryThresholds>(StringComparer.Ordinal) { ["hate"] = new(0.2, 0.4) },
            },
            WithoutEmbeddings = new PolicyThresholds(
                new Dictionary<string, CategoryThresholds>(StringComparer.Ordinal) { ["terrorism.support"] = new(0.3, 0.8) },
                new Dictionary<string, IReadOnlyDictionary<string, CategoryThresholds>>(StringComparer.Ordinal)
                {
                    ["fr"] = new Dictionary<string, CategoryThresholds>(StringComparer.Ordinal) { ["hate"] = new(0.1, 1) },
                }),
        };
        Assessment In(string? language, double support, double hate) => With(support, hate) with { Language = language };

        // With the embedding stage the policy's own thresholds decide; the other set is not used.
        Assert.Equal(VerdictKind.Clear, policy.Decide(In("en", 0.35, 0)).Kind);
        Assert.Equal(VerdictKind.Clear, policy.Decide(In("fr", 0, 0.15)).Kind);

        var without = policy.WithoutEmbeddingStage();
        Assert.Equal(policy.Version, without.Version);
        Assert.Null(without.WithoutEmbeddings);
        Assert.Equal(VerdictKind.Review, without.Decide(In("en", 0.35, 0)).Kind);
        Assert.Equal(VerdictKind.Violating, without.Decide(In("en", 0.85, 0)).Kind);
        Assert.Equal(new CategoryThresholds(0.5, 0.9), without.Categories["hate"]); // categories it does not name keep theirs
        Assert.Equal(VerdictKind.Review, without.Decide(In("fr", 0, 0.15)).Kind);
        Assert.Equal(VerdictKind.Clear, without.Decide(In("ar", 0, 0.25)).Kind); // its languages replace the policy's
        Assert.Same(Policy, Policy.WithoutEmbeddingStage()); // a policy without such thresholds stays as it is

        var parsed = Policy.Parse(policy.ToJson());
        Assert.Equal(new CategoryThresholds(0.3, 0.8), parsed.WithoutEmbeddings!.Categories["terrorism.support"]);
        Assert.Equal(new CategoryThresholds(0.1, 1), parsed.WithoutEmbeddings.Languages["fr"]["hate"]);
        Assert.Equal(VerdictKind.Review, parsed.WithoutEmbeddingStage().Decide(In("en", 0.35, 0)).Kind);
        Assert.Null(Policy.Parse(Policy.ToJson()).WithoutEmbeddings);
        Assert.DoesNotContain("without_embeddings", Policy.ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{", "not valid")]
    [InlineData("{\"version\": \"x\", \"categories\": {\"terrorism.nope\": {\"review\": 0.5, \"violating\": 0.9}}}", "unknown category")]
    [InlineData("{\"version\": \"x\", \"categories\": {\"hate\": {\"review\": 0.9, \"violating\": 0.5}}}", "thresholds")]
    [InlineData("{\"version\": \"x\", \"contexts\": {\"gossip\": {\"review\": 0.9}}}", "Unknown context")]
    [InlineData("{\"categories\": {}}", "version")]
    [InlineData("{\"version\": \"x\", \"colour\": \"blue\"}", "not valid")]
    [InlineData("{\"version\": \"x\", \"languages\": {\"English\": {}}}", "ISO 639-1")]
    [InlineData("{\"version\": \"x\", \"languages\": {\"ar\": {\"hate\": {\"review\": 0.2, \"violating\": 0.5}}}}", "categories do not have")]
    [InlineData("{\"version\": \"x\", \"categories\": {\"hate\": {\"review\": 0.2, \"violating\": 0.5}}, \"languages\": {\"ar\": {\"hate\": {\"review\": 0.6, \"violating\": 0.5}}}}", "Language 'ar', category 'hate'")]
    [InlineData("{\"version\": \"x\", \"without_embeddings\": {\"categories\": {\"hate\": {\"review\": 0.2, \"violating\": 0.5}}}}", "without_embeddings sets thresholds for 'hate'")]
    [InlineData("{\"version\": \"x\", \"categories\": {\"hate\": {\"review\": 0.2, \"violating\": 0.5}}, \"without_embeddings\": {\"categories\": {\"hate\": {\"review\": 0.6, \"violating\": 0.5}}}}", "without_embeddings: Category 'hate'")]
    [InlineData("{\"version\": \"x\", \"categories\": {\"hate\": {\"review\": 0.2, \"violating\": 0.5}}, \"without_embeddings\": {\"languages\": {\"French\": {}}}}", "without_embeddings: The policy's languages")]
    [InlineData("{\"version\": \"x\", \"without_embeddings\": {\"threshold\": 0.5}}", "not valid")]
    public void Bad_policy_files_give_clear_errors(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => Policy.Parse(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
