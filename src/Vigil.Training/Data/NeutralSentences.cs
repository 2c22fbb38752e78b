namespace Vigil.Training.Data;

/// <summary>
/// Neutral sentences written for Vigil that <c>vigil train</c> adds to the labelled datasets as negatives. The terrorism
/// head learns from jihadist tweets, whose religious vocabulary it partly learns to suspect; these sentences use the
/// everyday religious expressions of <see cref="IdentityAudit.Expressions"/> in ordinary sentences, so that it learns
/// those expressions alone are not support for terrorism. None of their frames is one of the audit's, so
/// <see cref="IdentityAudit.ExpressionSentences"/> still measures sentences the classifier has not seen.
/// </summary>
public static class NeutralSentences
{
    /// <summary>The set name of the religious-expression sentences (<see cref="LabelledPost.Set"/>).</summary>
    public const string ReligiousSet = "neutral-religious";

    private static readonly string[] Frames =
    [
        "{x}, the bus was on time this morning.",
        "My sister passed her driving test, {x}!",
        "{x}. We finished painting the kitchen.",
        "The harvest was good this year, {x}.",
        "{x}, grandma is feeling better today.",
        "We found a flat near the park, {x}.",
    ];

    /// <summary>How many sentences each expression has.</summary>
    public static int FramesPerExpression => Frames.Length;

    /// <summary>Every expression in every frame, labelled <c>none</c>, id <c>expression|frame number</c>.</summary>
    public static IReadOnlyList<LabelledPost> Religious { get; } = IdentityAudit.Build(ReligiousSet, IdentityAudit.Expressions, Frames);
}
