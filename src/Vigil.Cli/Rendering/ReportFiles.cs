using System.Globalization;
using System.Net;
using System.Text;
using Vigil.Moderation.Compliance;

namespace Vigil.Cli.Rendering;

/// <summary>A transparency report as files: <c>report.md</c>, <c>report.html</c>, one CSV per table and a PNG bar chart
/// (ScottPlot) per table that has one.</summary>
internal static class ReportFiles
{
    /// <summary>Writes the report into <paramref name="directory"/>; returns the files' paths.</summary>
    public static List<string> Write(string directory, TransparencyReport report)
    {
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        var charts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in report.Tables)
        {
            string csv = Path.Combine(directory, table.Name + ".csv");
            File.WriteAllText(csv, Csv(table), new UTF8Encoding(false));
            files.Add(csv);
            if (table.Chart && table.Rows.Count > 0)
            {
                charts[table.Name] = Chart(directory, table);
                files.Add(charts[table.Name]);
            }
        }

        string markdown = Path.Combine(directory, "report.md");
        File.WriteAllText(markdown, Markdown(report, charts), new UTF8Encoding(false));
        string html = Path.Combine(directory, "report.html");
        File.WriteAllText(html, Html(report, charts), new UTF8Encoding(false));
        files.Add(markdown);
        files.Add(html);
        return files;
    }

    private static string Period(TransparencyReport report) =>
        $"{report.From:yyyy-MM-dd} to {report.To.AddDays(-1):yyyy-MM-dd}";

    private static string Csv(ReportTable table)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', table.Columns.Select(Field)).Append('\n');
        foreach (var row in table.Rows)
        {
            text.AppendJoin(',', row.Select(Field)).Append('\n');
        }

        return text.ToString();

        static string Field(string value) => value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string Markdown(TransparencyReport report, Dictionary<string, string> charts)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"# {report.Title}\n\nPeriod: {Period(report)} (UTC).\n");
        foreach (var table in report.Tables)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## {table.Title}\n\n| {string.Join(" | ", table.Columns)} |\n|{string.Concat(table.Columns.Select(_ => "---|"))}\n");
            foreach (var row in table.Rows)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {string.Join(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal)))} |\n");
            }

            if (table.Rows.Count == 0)
            {
                text.Append("\nNone in this period.\n");
            }

            if (charts.TryGetValue(table.Name, out var chart))
            {
                text.Append(CultureInfo.InvariantCulture, $"\n![{table.Title}]({Path.GetFileName(chart)})\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"\nCSV: [{table.Name}.csv]({table.Name}.csv)\n");
        }

        foreach (var note in report.Notes)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n> {note}\n");
        }

        return text.ToString();
    }

    private static string Html(TransparencyReport report, Dictionary<string, string> charts)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var text = new StringBuilder()
            .Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(report.Title)).Append("</title>")
            .Append("<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2rem .5rem}td{text-align:right}td:first-child{text-align:left}</style></head><body>\n")
            .Append("<h1>").Append(E(report.Title)).Append("</h1>\n<p>Period: ").Append(E(Period(report))).Append(" (UTC).</p>\n");
        foreach (var table in report.Tables)
        {
            text.Append("<h2>").Append(E(table.Title)).Append("</h2>\n<table><tr>").AppendJoin("", table.Columns.Select(c => $"<th>{E(c)}</th>")).Append("</tr>\n");
            foreach (var row in table.Rows)
            {
                text.Append("<tr>").AppendJoin("", row.Select(c => $"<td>{E(c)}</td>")).Append("</tr>\n");
            }

            text.Append("</table>\n");
            if (charts.TryGetValue(table.Name, out var chart))
            {
                text.Append("<p><img src=\"").Append(E(Path.GetFileName(chart))).Append("\" alt=\"").Append(E(table.Title)).Append("\"></p>\n");
            }

            text.Append("<p><a href=\"").Append(E(table.Name)).Append(".csv\">").Append(E(table.Name)).Append(".csv</a></p>\n");
        }

        foreach (var note in report.Notes)
        {
            text.Append("<p><em>").Append(E(note)).Append("</em></p>\n");
        }

        return text.Append("</body></html>\n").ToString();
    }

    /// <summary>A bar chart of the table's last column (a count) by its other columns.</summary>
    private static string Chart(string directory, ReportTable table)
    {
        var plot = new ScottPlot.Plot();
        var values = table.Rows.Select(r => double.TryParse(r[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0).ToArray();
        plot.Add.Bars(values);
        var ticks = table.Rows.Select((r, i) => new ScottPlot.Tick(i, string.Join(" / ", r.Take(r.Count - 1)))).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 20;
        plot.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleLeft;
        plot.Axes.Margins(bottom: 0);
        plot.Title(table.Title);
        plot.YLabel(table.Columns[^1]);
        string path = Path.Combine(directory, table.Name + ".png");
        plot.SavePng(path, 900, 560);
        return path;
    }
}
