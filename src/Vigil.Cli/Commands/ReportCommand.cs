using System.CommandLine;
using Spectre.Console;
using Vigil.Cli.Rendering;
using Vigil.Moderation.Compliance;
using Vigil.Moderation.Hosting;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil report dsa|tco</c>: transparency reports (Markdown, HTML, CSV per table, PNG charts).</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var dsaDb = Database.Option();
        var from = DateRange.From(required: true);
        var to = DateRange.To(required: true);
        var dsaOut = Output();
        var dsa = new Command(
            "dsa",
            "The DSA transparency report's figures (Art 15, 24): notices by category and source, own-initiative restrictions by " +
            "category and automation, complaints by outcome with median times, accuracy of the automated tools.") { from, to, dsaOut, dsaDb };
        dsa.SetAction((result, ct) => RunAsync("report dsa", result.GetValue(dsaDb)!, result.GetValue(dsaOut)!, async reports =>
        {
            var (start, end, error) = DateRange.Parse(result.GetValue(from), result.GetValue(to));
            return error is not null ? (null, error) : (await reports.DsaAsync(start!.Value, end!.Value, ct), null);
        }, ct));

        var tcoDb = Database.Option();
        var year = new Option<int>("--year") { Description = "The calendar year (UTC).", Required = true };
        var tcoOut = Output();
        var tco = new Command(
            "tco",
            "The TCO transparency report (Regulation (EU) 2021/784 Art 7) of a year: terrorist content removed after orders and on own " +
            "measures, complaints and their outcomes, reinstatements.") { year, tcoOut, tcoDb };
        tco.SetAction((result, ct) => RunAsync("report tco", result.GetValue(tcoDb)!, result.GetValue(tcoOut)!, async reports =>
        {
            int y = result.GetValue(year);
            return y is < 2000 or > 2100 ? (null, "--year is 2000-2100") : (await reports.TcoAsync(y, ct), null);
        }, ct));
        return new Command("report", "Transparency reports from what Vigil recorded, as Markdown, HTML, CSV and PNG.") { dsa, tco };
    }

    private static Option<string> Output() => new("--out", "-o")
    {
        Description = "The folder to write report.md, report.html, a CSV per table and the charts into (created if missing).",
        DefaultValueFactory = _ => "report",
    };

    private static async Task<int> RunAsync(
        string command, string db, string output, Func<TransparencyReports, Task<(TransparencyReport? Report, string? Error)>> build, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        if (VigilStorage.IsMissing(db))
        {
            console.MarkupLineInterpolated($"[red]vigil {command}:[/] there is no database '{db}'.");
            return ExitCodes.Fatal;
        }

        await using var store = await Database.OpenAsync(db, console, command, cancellationToken);
        if (store is null)
        {
            return ExitCodes.Fatal;
        }

        var (report, error) = await build(new TransparencyReports(store));
        if (report is null)
        {
            console.MarkupLineInterpolated($"[red]vigil {command}:[/] {error}.");
            return ExitCodes.Usage;
        }

        try
        {
            foreach (var file in ReportFiles.Write(output, report))
            {
                Console.WriteLine(file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]vigil {command}:[/] cannot write into '{output}': {e.Message}");
            return ExitCodes.Fatal;
        }

        return ExitCodes.Ok;
    }
}
