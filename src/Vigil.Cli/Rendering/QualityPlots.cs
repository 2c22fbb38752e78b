using Vigil.Training.Evaluation;

namespace Vigil.Cli.Rendering;

/// <summary>The precision-recall curves of <c>vigil eval</c> as PNG (ScottPlot).</summary>
internal static class QualityPlots
{
    /// <summary>Writes each plot into <paramref name="directory"/>; returns the files' paths.</summary>
    public static List<string> Write(string directory, IReadOnlyList<PrCurvePlot> plots) =>
        [.. plots.Select(p => Plot(directory, p))];

    private static string Plot(string directory, PrCurvePlot plot)
    {
        var chart = new ScottPlot.Plot();
        foreach (var curve in plot.Curves)
        {
            var line = chart.Add.Scatter(curve.Points.Select(p => p.Recall).ToArray(), curve.Points.Select(p => p.Precision).ToArray());
            line.MarkerSize = 0;
            line.LineWidth = 2;
            line.LegendText = $"{curve.Name} (AP {curve.AveragePrecision:F3})";
        }

        chart.Title(plot.Title);
        chart.XLabel("Recall");
        chart.YLabel("Precision");
        chart.Axes.SetLimits(0, 1, 0, 1.02);
        chart.ShowLegend(ScottPlot.Alignment.LowerLeft);
        string path = Path.Combine(directory, plot.File);
        chart.SavePng(path, 800, 560);
        return path;
    }
}
