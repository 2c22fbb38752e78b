using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Vigil.Core.Compliance;
using Vigil.Moderation.Compliance;
using Vigil.Moderation.Hosting;
using Vigil.Storage;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil sor export|submit</c>: statements of reasons (DSA Art 17) for the EU DSA Transparency Database.</summary>
internal static class SorCommand
{
    public static Command Create()
    {
        var exportDb = Database.Option();
        var from = DateRange.From();
        var to = DateRange.To();
        var format = new Option<string>("--format")
        {
            Description = "jsonl: one statement per line; batch: one {\"statements\":[…]} request body (at most 100) per line.",
            DefaultValueFactory = _ => "jsonl",
        };
        format.AcceptOnlyFromAmong("jsonl", "batch");
        var export = new Command(
            "export",
            "Print the statements of reasons created in a range, in the Transparency Database's API schema (no personal data). " +
            "A statement that breaks the database's rules is left out and named on standard error (exit 1).") { from, to, format, exportDb };
        export.SetAction((result, ct) => ExportAsync(result.GetValue(from), result.GetValue(to), result.GetValue(format)!, result.GetValue(exportDb)!, ct));

        var submitDb = Database.Option();
        var submitFrom = DateRange.From();
        var submitTo = DateRange.To();
        var endpoint = new Option<string>("--endpoint")
        {
            Description = "The database's statements endpoint, e.g. https://transparency.dsa.ec.europa.eu/api/v1/statements.",
            Required = true,
        };
        var tokenFile = new Option<string>("--token-file") { Description = "A file holding the platform's API token (its first line).", Required = true };
        var submit = new Command(
            "submit",
            "Send the statements not submitted yet (created in the range, if given) in batches of at most 100. A failing endpoint is retried " +
            "with back-off; statements the database refuses (422) are named and recorded as rejected (exit 1); a PUID it has already is " +
            "recorded as submitted. Run it again to send what is left.") { submitFrom, submitTo, endpoint, tokenFile, submitDb };
        submit.SetAction((result, ct) => SubmitAsync(
            result.GetValue(submitFrom), result.GetValue(submitTo), result.GetValue(endpoint)!, result.GetValue(tokenFile)!, result.GetValue(submitDb)!, ct));
        return new Command("sor", "Statements of reasons (DSA Art 17) for the EU DSA Transparency Database.") { export, submit };
    }

    private static async Task<int> ExportAsync(string? from, string? to, string format, string db, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        var (start, end, error) = DateRange.Parse(from, to);
        if (error is not null)
        {
            console.MarkupLineInterpolated($"[red]vigil sor export:[/] {error}.");
            return ExitCodes.Usage;
        }

        await using var store = await OpenAsync(db, console, "sor export", cancellationToken);
        if (store is null)
        {
            return ExitCodes.Fatal;
        }

        int written = 0, invalid = 0;
        var batch = new List<TransparencyStatement>();
        using var output = Console.OpenStandardOutput();
        await foreach (var exported in new TransparencySubmission(store, TimeProvider.System).ExportAsync(start, end, false, cancellationToken))
        {
            if (exported.Problems.Count > 0)
            {
                invalid++;
                console.MarkupLineInterpolated($"[red]vigil sor export:[/] {exported.Stored.Puid} breaks the Transparency Database's rules: {string.Join("; ", exported.Problems)}");
                continue;
            }

            written++;
            if (format == "jsonl")
            {
                await WriteLineAsync(output, exported.Statement, cancellationToken);
                continue;
            }

            batch.Add(exported.Statement);
            if (batch.Count == TransparencyDatabase.MaxBatch)
            {
                await WriteLineAsync(output, new { statements = batch }, cancellationToken);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await WriteLineAsync(output, new { statements = batch }, cancellationToken);
        }

        console.MarkupLineInterpolated($"{written} statements exported{(invalid > 0 ? $", {invalid} left out" : "")}");
        return invalid > 0 ? ExitCodes.InputErrors : ExitCodes.Ok;
    }

    private static async Task<int> SubmitAsync(string? from, string? to, string endpoint, string tokenFile, string db, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        var (start, end, error) = DateRange.Parse(from, to);
        if (error is not null)
        {
            console.MarkupLineInterpolated($"[red]vigil sor submit:[/] {error}.");
            return ExitCodes.Usage;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
        {
            console.MarkupLineInterpolated($"[red]vigil sor submit:[/] --endpoint '{endpoint}' is not an http or https URL.");
            return ExitCodes.Usage;
        }

        string token;
        try
        {
            token = (await File.ReadAllLinesAsync(tokenFile, cancellationToken)).FirstOrDefault()?.Trim() ?? "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]vigil sor submit:[/] cannot read the token file '{tokenFile}': {e.Message}");
            return ExitCodes.Fatal;
        }

        if (token.Length == 0 || token.Any(char.IsControl))
        {
            console.MarkupLineInterpolated($"[red]vigil sor submit:[/] the token file '{tokenFile}' holds no token on its first line.");
            return ExitCodes.Fatal;
        }

        await using var store = await OpenAsync(db, console, "sor submit", cancellationToken);
        if (store is null)
        {
            return ExitCodes.Fatal;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var submission = new TransparencySubmission(store, TimeProvider.System);
        SubmissionSummary summary;
        if (!Console.IsErrorRedirected)
        {
            summary = await console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("submitting", maxValue: 1);
                    return await submission.SubmitAsync(http, target, token, start, end, new Progress<SubmissionProgress>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                    }), cancellationToken);
                });
        }
        else
        {
            summary = await submission.SubmitAsync(http, target, token, start, end, null, cancellationToken);
        }

        foreach (var (puid, problem) in summary.Rejected)
        {
            Console.WriteLine($"rejected\t{puid}\t{problem}");
        }

        console.MarkupLineInterpolated(
            $"{summary.Submitted} submitted, {summary.Duplicates} already in the database, {summary.Rejected.Count} rejected, in {summary.Batches} batches");
        if (summary.Failure is not null)
        {
            console.MarkupLineInterpolated($"[red]vigil sor submit:[/] stopped: {summary.Failure}");
            return ExitCodes.Fatal;
        }

        return summary.Rejected.Count > 0 ? ExitCodes.InputErrors : ExitCodes.Ok;
    }

    private static async Task<IVigilStore?> OpenAsync(string db, IAnsiConsole console, string command, CancellationToken cancellationToken)
    {
        if (VigilStorage.IsMissing(db))
        {
            console.MarkupLineInterpolated($"[red]vigil {command}:[/] there is no database '{db}'.");
            return null;
        }

        return await Database.OpenAsync(db, console, command, cancellationToken);
    }

    private static async Task WriteLineAsync(Stream output, object value, CancellationToken cancellationToken)
    {
        await JsonSerializer.SerializeAsync(output, value, TransparencySubmission.BatchJson, cancellationToken);
        await output.WriteAsync("\n"u8.ToArray(), cancellationToken);
    }
}
