using System.Globalization;

namespace Vigil.Cli.Tests;

/// <summary><c>vigil report dsa|tco</c>: the files they write (the figures themselves: TransparencyReportTests).</summary>
public sealed class ReportCommandTests
{
    [Fact]
    public async Task Reports_are_written_as_Markdown_HTML_CSV_and_PNG()
    {
        using var temp = new TempFolder();
        await SorCommandTests.SeedAsync(Path.Combine(temp.Path, "vigil.db"));
        var today = DateTime.UtcNow;
        string day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var dsa = VigilProcess.Run(temp.Path, "report", "dsa", "--from", day, "--to", day, "--out", "dsa");
        Assert.True(dsa.ExitCode == 0, dsa.Stderr);
        foreach (var file in new[] { "report.md", "report.html", "notices.csv", "own_initiative.csv", "own_initiative.png", "complaints.csv", "accuracy.csv", "statements.csv", "statements.png" })
        {
            Assert.True(File.Exists(Path.Combine(temp.Path, "dsa", file)), file);
        }

        // 150 statements: vigil-d1 and its 149 copies are own-initiative; the old one is too.
        Assert.Equal(
            "category,automated_detection,automated_decision,restrictions\nSTATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY,Yes,AUTOMATED_DECISION_PARTIALLY,151\n",
            File.ReadAllText(Path.Combine(temp.Path, "dsa", "own_initiative.csv")));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(temp.Path, "dsa", "statements.png"))[..4]);
        Assert.Contains("| SOURCE_VOLUNTARY | 151 |", File.ReadAllText(Path.Combine(temp.Path, "dsa", "report.md")), StringComparison.Ordinal);
        Assert.Contains("<td>SOURCE_VOLUNTARY</td><td>151</td>", File.ReadAllText(Path.Combine(temp.Path, "dsa", "report.html")), StringComparison.Ordinal);

        var tco = VigilProcess.Run(temp.Path, "report", "tco", "--year", today.Year.ToString(CultureInfo.InvariantCulture), "--out", "tco");
        Assert.True(tco.ExitCode == 0, tco.Stderr);
        Assert.Contains("on_own_measures,151", File.ReadAllText(Path.Combine(temp.Path, "tco", "measures.csv")), StringComparison.Ordinal);

        Assert.Equal(2, VigilProcess.Run(temp.Path, "report", "dsa", "--from", day).ExitCode);
        Assert.Equal(2, VigilProcess.Run(temp.Path, "report", "dsa", "--from", day, "--to", "2000-01-01").ExitCode);
        Assert.Equal(2, VigilProcess.Run(temp.Path, "report", "tco", "--year", "99").ExitCode);
        Assert.Equal(3, VigilProcess.Run(temp.Path, "report", "tco", "--year", "2026", "--db", "none.db").ExitCode);
    }
}
