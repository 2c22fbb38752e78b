using Vigil.Core;
using Vigil.Text;
using Vigil.Text.Classification;
using Vigil.Text.Normalization;
using Vigil.Training.Classification;
using Vigil.Training.Data;

namespace Vigil.Training.Tests;

public sealed class TextModelTrainerTests
{
    private static readonly Lazy<TextAnalyzer> Shipped = new(() => new TextAnalyzer(TextResources.Load(TextResources.DefaultDirectory())));

    [Fact]
    public void Trains_a_separable_toy_problem_and_round_trips_through_a_file()
    {
        var posts = new List<LabelledPost>();
        for (int i = 0; i < 40; i++)
        {
            posts.Add(new LabelledPost("isis-tweets-labelled", $"p{i}", $"alpha bravo item {i}", "extremist"));
            posts.Add(new LabelledPost("isis-tweets-labelled", $"n{i}", $"charlie delta item {i}", "none"));
            posts.Add(new LabelledPost("stormfront", $"h{i}", $"echo foxtrot item {i}", i % 2 == 0 ? "hate" : "none"));
        }

        var model = new TextModelTrainer(new TrainerOptions(new FeatureOptions(Bits: 14), L2: 1e-4)).Train(posts);
        float[] p = new float[model.Heads.Count];
        model.Predict(TextNormalizer.NormalizeToString("alpha bravo"), p);
        Assert.True(p[0] > 0.8, $"terrorism {p[0]}");
        model.Predict(TextNormalizer.NormalizeToString("charlie delta"), p);
        Assert.True(p[0] < 0.2, $"terrorism {p[0]}");

        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = LinearModel.Load(stream);
        float[] q = new float[loaded.Heads.Count];
        loaded.Predict(TextNormalizer.NormalizeToString("alpha bravo"), q);
        model.Predict(TextNormalizer.NormalizeToString("alpha bravo"), p);
        Assert.Equal(model.Heads, loaded.Heads);
        Assert.Equal(p[0], q[0], 2);
    }

    [Fact]
    public void The_classifier_ranks_held_out_extremist_posts_above_the_rest()
    {
        // Dev rows were never seen in training: a real, if small, check that the shipped model generalises.
        var set = DatasetCatalogue.IsisTweets;
        var dev = set.Load(TestData.SharedData, DatasetCatalogue.Dev);
        var truth = dev.Select(set.IsPositive).ToList();
        var scores = dev.Select(p => Shipped.Value.Assess(p.Text).Scores[Taxonomy.TerrorismSupport.Id]).ToList();
        double ap = BinaryMetrics.AveragePrecision(truth, scores);
        double baseRate = truth.Count(t => t) / (double)truth.Count;
        Assert.True(ap > 10 * baseRate, $"average precision {ap:F3} against a base rate of {baseRate:F3}");
    }
}
