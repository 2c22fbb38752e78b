using Vigil.Core;
using Vigil.Text.Classification;
using Vigil.Text.Normalization;

namespace Vigil.Text.Tests;

/// <summary>Tests over the shipped lists, model and policy (data/ in the repository).</summary>
public sealed class AnalyzerTests
{
    private static readonly Lazy<(TextAnalyzer Analyzer, Policy Policy)> Shipped = new(() =>
    {
        string data = TextResources.DefaultDirectory();
        var resources = TextResources.Load(data);
        return (new TextAnalyzer(resources), Policy.Parse(File.ReadAllText(Path.Combine(data, "policy.json"))));
    });

    private static Verdict Decide(string text) => Shipped.Value.Policy.Decide(Shipped.Value.Analyzer.Assess(text));

    [Fact]
    public void Shipped_lists_load_without_problems()
    {
        var resources = TextResources.Load(TextResources.DefaultDirectory());
        Assert.Empty(resources.Problems);
        Assert.Contains(resources.Entries, e => e.List == "un-sc");
        Assert.Contains(resources.Entries, e => e.List == "uk-proscribed");
        Assert.Contains(resources.Entries, e => e.List == "us-fto");
        Assert.Contains(resources.Entries, e => e.List == "vigil-coded-terms");
    }

    [Fact]
    public void A_news_report_quoting_a_slogan_is_clear_with_context_news()
    {
        const string report = "BAGHDAD (Reuters) - Police said on Tuesday that graffiti reading 'baqiya' was found on a wall near the market, officials told reporters.";
        var verdict = Decide(report);
        Assert.Equal(VerdictKind.Clear, verdict.Kind);
        Assert.Equal(ContentContext.News, verdict.Context);
        Assert.Equal("en", verdict.Language);
        // the slogan was seen (it is evidence), but the reporting context keeps the post up
        var slogan = Assert.Single(verdict.Evidence, e => e.Signal == SignalKinds.Lexicon);
        Assert.Equal("baqiya", report[slogan.Start..slogan.End]);
    }

    [Fact]
    public void An_ordinary_post_is_clear_with_all_categories_scored()
    {
        var verdict = Decide("Lovely weather in Leeds today, off to the park with the kids.");
        Assert.Equal(VerdictKind.Clear, verdict.Kind);
        Assert.Equal(ContentContext.None, verdict.Context);
        Assert.Equal(Taxonomy.All.Count, verdict.Scores.Count);
        Assert.Empty(verdict.LegalBasis);
    }

    [Fact]
    public void A_designated_name_is_evidence_even_when_evaded()
    {
        string text = "wh0 kn0ws the I.S.I.S story";
        var verdict = Decide(text);
        var designation = Assert.Single(verdict.Evidence, e => e.Signal == SignalKinds.Designation);
        Assert.Equal("I.S.I.S", text[designation.Start..designation.End]);
        Assert.Contains("UK proscribed", designation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_media_outlet_name_reaches_review_as_propaganda()
    {
        var verdict = Decide("new release from amaq just dropped, share it");
        Assert.Equal(VerdictKind.Review, verdict.Kind);
        Assert.Contains(Taxonomy.TerrorismPropaganda.Id, verdict.Labels);
        Assert.Contains("UK TA 2006 s.2", verdict.LegalBasis);
    }
}

public class LinearModelTests
{
    [Fact]
    public void The_embedding_stage_skips_posts_in_a_script_the_encoder_cannot_read()
    {
        var resources = TextResources.Load(TextResources.DefaultDirectory());
        var all = new TextAnalyzer(resources, new TextAnalyzerOptions(Embeddings: EmbeddingMode.All));
        var off = new TextAnalyzer(resources, new TextAnalyzerOptions(Embeddings: EmbeddingMode.Off));
        static double Terrorism(Assessment a) => a.Scores[Taxonomy.TerrorismSupport.Id];

        // "The weather is fine in the city today": Arabic script, scored by the n-gram model alone in every mode.
        const string arabic = "\u0627\u0644\u0637\u0642\u0633 \u062C\u0645\u064A\u0644 \u0627\u0644\u064A\u0648\u0645 \u0641\u064A \u0627\u0644\u0645\u062F\u064A\u0646\u0629";
        Assert.Equal(Terrorism(off.Assess(arabic)), Terrorism(all.Assess(arabic)));

        const string english = "The council meets on Tuesday to discuss the new bus timetable.";
        Assert.NotEqual(Terrorism(off.Assess(english)), Terrorism(all.Assess(english)));
    }

    [Fact]
    public void A_corrupt_model_file_is_refused_clearly()
    {
        byte[] shipped = File.ReadAllBytes(Path.Combine(TextResources.DefaultDirectory(), "model", "text-linear.bin"));
        foreach (byte[] bytes in new[] { [1, 2, 3, 4, 5], "not a model at all\n"u8.ToArray(), shipped[..(shipped.Length / 2)], shipped[..40] })
        {
            Assert.Throws<InvalidDataException>(() => LinearModel.Load(new MemoryStream(bytes)));
        }
    }
}

public class EvasionTests
{
    [Theory]
    [InlineData(EvasionKind.Homoglyphs)]
    [InlineData(EvasionKind.ZeroWidth)]
    [InlineData(EvasionKind.LetterSpacing)]
    [InlineData(EvasionKind.Leetspeak)]
    [InlineData(EvasionKind.FancyText)]
    public void Normalisation_undoes_each_simulated_evasion_on_neutral_text(EvasionKind kind)
    {
        const string text = "Gardening clubs across Yorkshire welcome volunteers every Saturday morning";
        string clean = TextNormalizer.NormalizeToString(text);
        int changed = 0, recovered = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            string evaded = Evasion.Apply(text, kind, seed);
            if (evaded == text)
            {
                continue; // letter spacing picks words at random and may leave a short text as it was
            }

            changed++;
            if (TextNormalizer.NormalizeToString(evaded) == clean)
            {
                recovered++;
            }
        }

        Assert.True(changed >= 20, $"{kind}: only {changed} of 40 texts changed");
        Assert.True(recovered >= changed * 0.9, $"{kind}: recovered {recovered} of {changed}");
    }
}
