using Vigil.Text.Classification;
using Vigil.Training.Classification;
using Vigil.Training.Data;

namespace Vigil.Training.Tests;

public class NeutralSentencesTests
{
    private static string Frame(LabelledPost post) => post.Text.Replace(IdentityAudit.TermOf(post), "X", StringComparison.Ordinal);

    [Fact]
    public void Training_sentences_share_the_expressions_but_no_frame_with_the_audit()
    {
        var training = NeutralSentences.Religious;
        Assert.Equal(IdentityAudit.Expressions.Count * NeutralSentences.FramesPerExpression, training.Count);
        Assert.Equal(IdentityAudit.Expressions, training.Select(IdentityAudit.TermOf).Distinct());
        Assert.Empty(training.Select(Frame).Intersect(IdentityAudit.ExpressionSentences.Select(Frame), StringComparer.Ordinal));
        Assert.Empty(training.Select(s => s.Text).Intersect(IdentityAudit.ExpressionSentences.Select(s => s.Text), StringComparer.Ordinal));
    }

    [Fact]
    public void They_are_negatives_of_the_terrorism_head_only()
    {
        var trainer = new TextModelTrainer(new TrainerOptions(new FeatureOptions()));
        var terrorism = trainer.HeadExamples("terrorism", NeutralSentences.Religious);
        Assert.Equal(NeutralSentences.Religious.Count, terrorism.Count);
        Assert.All(terrorism, e => Assert.Equal((0f, 0.5f), (e.Label, e.Weight)));
        Assert.Empty(trainer.HeadExamples("hate", NeutralSentences.Religious));
    }
}
