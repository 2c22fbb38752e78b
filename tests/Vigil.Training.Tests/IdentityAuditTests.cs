using Vigil.Core;
using Vigil.Text;
using Vigil.Training.Data;

namespace Vigil.Training.Tests;

public class IdentityAuditTests
{
    [Fact]
    public void Every_term_appears_in_every_frame_once_and_nothing_else_differs()
    {
        var sentences = IdentityAudit.Sentences;
        Assert.Equal(IdentityAudit.Terms.Count * IdentityAudit.FramesPerTerm, sentences.Count);
        Assert.Equal(sentences.Count, sentences.Select(s => s.Text).Distinct(StringComparer.Ordinal).Count());
        Assert.All(sentences, s => Assert.Equal("none", s.Label));
        foreach (var s in sentences)
        {
            string term = IdentityAudit.TermOf(s);
            Assert.Contains(term, IdentityAudit.Terms);
            Assert.Contains(term, s.Text, StringComparison.OrdinalIgnoreCase);
            Assert.True(char.IsUpper(s.Text[0]));
        }

        // Replacing the term by a placeholder leaves the same twelve frames for every term (articles aside).
        string Frame(LabelledPost s) => s.Text.Replace(IdentityAudit.TermOf(s), "X", StringComparison.OrdinalIgnoreCase)
            .Replace("An X", "A X", StringComparison.Ordinal).Replace("an X", "a X", StringComparison.Ordinal);
        Assert.All(sentences.GroupBy(IdentityAudit.TermOf), g => Assert.Equal(sentences.Take(IdentityAudit.FramesPerTerm).Select(Frame), g.Select(Frame)));
        Assert.Equal("We had dinner with an Asian family last night.", sentences.Single(s => s.Id == "Asian|3").Text);
    }

    [Fact]
    public void Every_religious_expression_appears_in_every_frame_once()
    {
        var sentences = IdentityAudit.ExpressionSentences;
        Assert.Equal(IdentityAudit.Expressions.Count * IdentityAudit.FramesPerExpression, sentences.Count);
        Assert.Equal(sentences.Count, sentences.Select(s => s.Text).Distinct(StringComparer.Ordinal).Count());
        Assert.All(sentences, s => Assert.Contains(IdentityAudit.TermOf(s), s.Text, StringComparison.Ordinal));
        Assert.All(sentences.GroupBy(IdentityAudit.TermOf), g => Assert.Equal(
            sentences.Take(IdentityAudit.FramesPerExpression).Select(s => s.Text.Replace(IdentityAudit.TermOf(s), "X", StringComparison.Ordinal)),
            g.Select(s => s.Text.Replace(g.Key, "X", StringComparison.Ordinal))));
        Assert.Equal("The rain finally stopped and the garden is green, God willing.", sentences.Single(s => s.Id == "God willing|4").Text);
    }

    [Fact]
    public void No_audit_sentence_names_a_listed_organisation_or_coded_term()
    {
        var analyzer = new TextAnalyzer(TextResources.Load(TextResources.DefaultDirectory()), new TextAnalyzerOptions(IdentifyLanguage: false, Embeddings: EmbeddingMode.Off));
        Assert.All(IdentityAudit.Sentences.Concat(IdentityAudit.ExpressionSentences), s => Assert.DoesNotContain(
            analyzer.Assess(s.Text).Signals, signal => signal.Type is SignalKinds.Designation or SignalKinds.Lexicon));
    }
}
