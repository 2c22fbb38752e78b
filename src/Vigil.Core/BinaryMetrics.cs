namespace Vigil.Core;

/// <summary>Counts of a binary decision against truth.</summary>
public readonly record struct Confusion(int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    public int Total => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);

    public double F1 => 2 * TruePositives + FalsePositives + FalseNegatives == 0 ? 0 : 2.0 * TruePositives / (2 * TruePositives + FalsePositives + FalseNegatives);

    public double FalsePositiveRate => FalsePositives + TrueNegatives == 0 ? 0 : (double)FalsePositives / (FalsePositives + TrueNegatives);

    public static Confusion Count(IReadOnlyList<bool> truth, IReadOnlyList<bool> predicted)
    {
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            (tp, fp, tn, fn) = (truth[i], predicted[i]) switch
            {
                (true, true) => (tp + 1, fp, tn, fn),
                (false, true) => (tp, fp + 1, tn, fn),
                (false, false) => (tp, fp, tn + 1, fn),
                _ => (tp, fp, tn, fn + 1),
            };
        }

        return new Confusion(tp, fp, tn, fn);
    }
}

/// <summary>Threshold-free and threshold-tuning metrics over scores.</summary>
public static class BinaryMetrics
{
    /// <summary>Average precision (area under the precision-recall curve, step-wise, as scikit-learn computes it).</summary>
    public static double AveragePrecision(IReadOnlyList<bool> truth, IReadOnlyList<double> scores)
    {
        var order = Enumerable.Range(0, truth.Count).OrderByDescending(i => scores[i]).ToArray();
        int positives = truth.Count(t => t);
        if (positives == 0)
        {
            return 0;
        }

        double ap = 0;
        int tp = 0, seen = 0;
        double lastRecall = 0;
        for (int k = 0; k < order.Length; k++)
        {
            seen++;
            if (truth[order[k]])
            {
                tp++;
            }

            // evaluate at the end of each run of tied scores
            if (k + 1 < order.Length && scores[order[k + 1]] == scores[order[k]])
            {
                continue;
            }

            double recall = (double)tp / positives;
            double precision = (double)tp / seen;
            ap += (recall - lastRecall) * precision;
            lastRecall = recall;
        }

        return ap;
    }

    /// <summary>The precision-recall curve: one point per distinct score, from the highest threshold down.</summary>
    public static IReadOnlyList<(double Threshold, double Precision, double Recall)> PrecisionRecallCurve(IReadOnlyList<bool> truth, IReadOnlyList<double> scores)
    {
        var order = Enumerable.Range(0, truth.Count).OrderByDescending(i => scores[i]).ToArray();
        int positives = truth.Count(t => t);
        var points = new List<(double, double, double)>();
        int tp = 0, seen = 0;
        for (int k = 0; k < order.Length; k++)
        {
            seen++;
            if (truth[order[k]])
            {
                tp++;
            }

            if (k + 1 < order.Length && scores[order[k + 1]] == scores[order[k]])
            {
                continue;
            }

            points.Add((scores[order[k]], (double)tp / seen, positives == 0 ? 0 : (double)tp / positives));
        }

        return points;
    }

    /// <summary>The threshold (a score value) that maximises F1, and that F1.</summary>
    public static (double Threshold, double F1) BestF1Threshold(IReadOnlyList<bool> truth, IReadOnlyList<double> scores)
    {
        int positives = truth.Count(t => t);
        double best = 0, bestThreshold = 0.5;
        foreach (var (threshold, precision, recall) in PrecisionRecallCurve(truth, scores))
        {
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            if (f1 > best)
            {
                best = f1;
                bestThreshold = threshold;
            }
        }

        return positives == 0 ? (0.5, 0) : (bestThreshold, best);
    }
}
