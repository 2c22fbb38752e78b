namespace Vigil.Core.Tests;

public class BinaryMetricsTests
{
    [Fact]
    public void Confusion_counts_and_rates()
    {
        var c = Confusion.Count([true, true, false, false, true], [true, false, true, false, true]);
        Assert.Equal(new Confusion(2, 1, 1, 1), c);
        Assert.Equal(2.0 / 3, c.Precision, 9);
        Assert.Equal(2.0 / 3, c.Recall, 9);
        Assert.Equal(2.0 / 3, c.F1, 9);
        Assert.Equal(0.5, c.FalsePositiveRate, 9);
    }

    [Fact]
    public void Average_precision_matches_the_step_definition()
    {
        // ranks: 0.9 (pos), 0.8 (neg), 0.7 (pos), 0.1 (neg): AP = 0.5 * 1 + 0.5 * 2/3
        double ap = BinaryMetrics.AveragePrecision([true, false, true, false], [0.9, 0.8, 0.7, 0.1]);
        Assert.Equal(0.5 + (0.5 * 2 / 3), ap, 9);
    }

    [Fact]
    public void Perfect_ranking_has_ap_one_and_f1_one()
    {
        bool[] truth = [true, true, false, false];
        double[] scores = [0.9, 0.8, 0.2, 0.1];
        Assert.Equal(1.0, BinaryMetrics.AveragePrecision(truth, scores), 9);
        var (threshold, f1) = BinaryMetrics.BestF1Threshold(truth, scores);
        Assert.Equal(1.0, f1, 9);
        Assert.Equal(0.8, threshold, 9);
    }
}
