using Vigil.Training.Data;

namespace Vigil.Training.Tests;

public sealed class ThresholdTunerTests
{
    // Scores: [terrorism, hate]. Synthetic, so that the best thresholds are known.
    private static (List<LabelledPost> Dev, List<float[]> Scores, List<string?> Languages) Data()
    {
        var dev = new List<LabelledPost>();
        var scores = new List<float[]>();
        var languages = new List<string?>();
        void Add(string set, string label, float terrorism, float hate, string? language, int count)
        {
            for (int i = 0; i < count; i++)
            {
                dev.Add(new LabelledPost(set, $"{set}-{dev.Count}", "text", label));
                scores.Add([terrorism, hate]);
                languages.Add(language);
            }
        }

        Add(DatasetCatalogue.IsisTweets.Name, "extremist", 0.8f, 0f, "en", 30);
        Add(DatasetCatalogue.IsisTweets.Name, "none", 0.2f, 0f, "en", 100);
        // English hate scores high and separates at 0.6; Arabic hate scores low and separates at 0.3.
        Add(DatasetCatalogue.Stormfront.Name, "hate", 0.1f, 0.7f, "en", 40);
        Add(DatasetCatalogue.Stormfront.Name, "none", 0.1f, 0.5f, "en", 200);
        Add(DatasetCatalogue.LHsab.Name, "hate", 0.1f, 0.35f, "ar", 30);
        Add(DatasetCatalogue.LHsab.Name, "none", 0.1f, 0.25f, "ar", 150);
        // Too few hateful French posts for a threshold of their own.
        Add(DatasetCatalogue.MlmaFrench.Name, "hate", 0.1f, 0.9f, "fr", 5);
        Add(DatasetCatalogue.MlmaFrench.Name, "none", 0.1f, 0.05f, "fr", 50);
        return (dev, scores, languages);
    }

    [Fact]
    public void Languages_with_enough_hateful_posts_get_their_own_hate_thresholds()
    {
        var (dev, scores, languages) = Data();
        var tuning = ThresholdTuner.Tune(dev, [.. scores], terrorismHead: 0, hateHead: 1, [.. languages]);

        Assert.InRange(tuning.TerrorismReview, 0.2001, 0.8);
        Assert.InRange(tuning.HateReview, 0.5001, 0.7);
        Assert.Equal(["ar"], tuning.HateByLanguage.Keys);
        Assert.InRange(tuning.HateByLanguage["ar"].Review, 0.2501, 0.35);
    }

    [Fact]
    public void Without_a_threshold_reaching_ninety_percent_precision_nothing_is_violating_on_its_score()
    {
        var (dev, scores, languages) = Data();
        // Arabic: every hateful post shares its score with a non-hateful one, so precision stays at 50%.
        for (int i = 0; i < dev.Count; i++)
        {
            if (dev[i].Set == DatasetCatalogue.LHsab.Name)
            {
                scores[i] = [0.1f, i % 2 == 0 ? 0.35f : 0.25f];
                dev[i] = dev[i] with { Label = i % 4 < 2 ? "hate" : "none" };
            }
        }

        var tuning = ThresholdTuner.Tune(dev, [.. scores], terrorismHead: 0, hateHead: 1, [.. languages]);
        Assert.Equal(1.0, tuning.HateByLanguage["ar"].Violating);
        Assert.InRange(tuning.HateViolating, tuning.HateReview, 0.7); // English hate separates cleanly: 100% precision
        Assert.InRange(tuning.TerrorismViolating, tuning.TerrorismReview, 0.8);
    }

    [Theory]
    [InlineData(9, 10, 0.6523)]
    [InlineData(30, 30, 0.9173)]
    [InlineData(82, 90, 0.8490)]
    [InlineData(0, 10, 0.0)]
    public void The_precision_bound_is_the_one_sided_wilson_bound(int successes, int trials, double bound) =>
        Assert.Equal(bound, ThresholdTuner.WilsonLowerBound(successes, trials), 3);

    [Fact]
    public void A_violating_threshold_needs_ninety_percent_precision_with_confidence_not_just_measured()
    {
        // 50 positives: 5 alone at the top (100% measured, but 5 of 5 is no evidence), then 40 more with 2 negatives.
        var truth = new List<bool>();
        var scores = new List<double>();
        void Add(bool positive, double score, int count)
        {
            for (int i = 0; i < count; i++)
            {
                truth.Add(positive);
                scores.Add(score);
            }
        }

        Add(true, 0.95, 5);
        Add(true, 0.9, 40);
        Add(false, 0.9, 2);
        Add(true, 0.5, 5);
        Add(false, 0.5, 100);
        // At 0.9: 45 of 47 (95.7% measured, 87.9% at the bound): not sure enough.
        Assert.Equal(1.0, ThresholdTuner.PrecisionThreshold(truth, scores, 0.9, floor: 0.5));

        Add(true, 0.9, 40); // now 85 of 87 at 0.9 (97.7% measured, 93.0% at the bound)
        Assert.Equal(0.9, ThresholdTuner.PrecisionThreshold(truth, scores, 0.9, floor: 0.5));
        Assert.Equal(1.0, ThresholdTuner.PrecisionThreshold(truth, scores, 0.9, floor: 0.92)); // above 0.92, 5 of 5 alone: unsure
    }
}
