using Vigil.Core;
using Vigil.Text.Lexicon;

namespace Vigil.Text;

/// <summary>
/// Combines the classifier's probabilities with list matches into a score for every category.
/// </summary>
/// <remarks>
/// The classifier's <c>terrorism</c> probability is trained on posts labelled as supporting, praising or
/// recruiting for terrorism; it is the score of <c>terrorism.support</c>. The labelled data do not separate
/// recruitment, incitement, propaganda, instruction or emblems, so those categories take the terrorism
/// probability gated by the coded terms of that category found in the text (strong: 1, weak: 0.6, none: 0.2).
/// (That a strong coded term alone, such as an official media outlet's name, reaches review is the policy's
/// decision: <see cref="Policy.StrongCuesReview"/>.) <c>hate</c> is the classifier's hate probability.
/// </remarks>
internal static class ScoreFusion
{
    public const double StrongGate = 1.0;
    public const double WeakGate = 0.6;
    public const double NoCueGate = 0.2;

    public static Dictionary<string, double> Fuse(double terrorism, double hate, IReadOnlyList<LexiconMatch> matches)
    {
        var scores = new Dictionary<string, double>(Taxonomy.All.Count, StringComparer.Ordinal)
        {
            [Taxonomy.TerrorismSupport.Id] = terrorism,
            [Taxonomy.Hate.Id] = hate,
        };

        foreach (var category in Taxonomy.Terrorism)
        {
            if (category == Taxonomy.TerrorismSupport)
            {
                continue;
            }

            var strongest = Strongest(matches, category.Id);
            double gate = strongest switch
            {
                TermStrength.Strong => StrongGate,
                TermStrength.Weak => WeakGate,
                _ => NoCueGate,
            };
            scores[category.Id] = terrorism * gate;
        }

        return scores;
    }

    private static TermStrength? Strongest(IReadOnlyList<LexiconMatch> matches, string category)
    {
        TermStrength? strongest = null;
        foreach (var match in matches)
        {
            foreach (var entry in match.Entries)
            {
                if (entry.IsDesignation || entry.Category != category)
                {
                    continue;
                }

                if (entry.Strength == TermStrength.Strong)
                {
                    return TermStrength.Strong;
                }

                strongest = TermStrength.Weak;
            }
        }

        return strongest;
    }
}
