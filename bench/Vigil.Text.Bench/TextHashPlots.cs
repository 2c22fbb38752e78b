using ScottPlot;
using Vigil.Text.Signals;

namespace Vigil.Bench;

/// <summary>The plots of docs/quality/text-hash-banks.md (ScottPlot), one curve per family of edits.</summary>
internal static class TextHashPlots
{
    public static void Write(string directory, Measurement m, SchemeScores s)
    {
        var families = m.Corpus.Edits.Select(e => e.Family).Distinct().ToList();
        var thresholds = SchemeScores.Thresholds(SchemeScores.Floor, 1, 0.01).ToArray();
        double t = TextMinHash.DefaultThreshold;

        var pr = new Plot();
        var byThreshold = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int f = 0; f < families.Count; f++)
        {
            string family = families[f];
            var color = palette.GetColor(f);
            var queries = m.ByFamily(family);
            var points = thresholds.Select(x => s.At(x, queries, m.Negatives)).ToArray();
            var curve = pr.Add.Scatter(points.Select(p => p.Recall).ToArray(), points.Select(p => p.Precision).ToArray());
            curve.MarkerSize = 0;
            curve.LineWidth = 2;
            curve.LegendText = family;
            curve.Color = color;
            var atDefault = s.At(t, queries, m.Negatives);
            var marker = pr.Add.Marker(atDefault.Recall, atDefault.Precision);
            marker.Color = color;
            marker.Size = 9;

            var recall = byThreshold.Add.Scatter(thresholds, points.Select(p => p.Recall).ToArray());
            recall.MarkerSize = 0;
            recall.LineWidth = 2;
            recall.LegendText = $"recall: {family}";
            recall.Color = color;
        }

        var precision = byThreshold.Add.Scatter(thresholds, thresholds.Select(x => s.At(x, m.Positives, m.Negatives).Precision).ToArray());
        precision.MarkerSize = 0;
        precision.LineWidth = 3;
        precision.Color = Colors.Black;
        precision.LinePattern = LinePattern.Dashed;
        precision.LegendText = "precision, all edits";
        var line = byThreshold.Add.VerticalLine(t);
        line.LinePattern = LinePattern.Dotted;
        line.Color = Colors.Gray;

        pr.Title($"text_minhash (character {TextMinHash.ShingleLength}-grams): precision-recall over thresholds {SchemeScores.Floor:0.0}-1; dots at {t:0.00}");
        pr.XLabel("Recall (edited copies that match their entry)");
        pr.YLabel("Precision (with every negative)");
        pr.Axes.SetLimits(0.3, 1.005, 0.985, 1.0005);
        pr.ShowLegend(Alignment.LowerLeft);
        pr.SavePng(Path.Combine(directory, "text-hash-pr.png"), 900, 600);

        byThreshold.Title($"text_minhash: recall per edit and precision against the threshold (dotted: default {t:0.00})");
        byThreshold.XLabel("Threshold");
        byThreshold.YLabel("Recall / precision");
        byThreshold.Axes.SetLimits(SchemeScores.Floor, 1, 0, 1.02);
        byThreshold.ShowLegend(Alignment.LowerLeft);
        byThreshold.SavePng(Path.Combine(directory, "text-hash-threshold.png"), 900, 600);
    }
}
