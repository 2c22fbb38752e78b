using System.CommandLine;
using Spectre.Console;
using Vigil.Cli.Scanning;
using Vigil.Core;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil scan PATH…</c>: verdicts for every document, in input order.</summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or folders: .jsonl, .csv/.tsv, or plain text files (one document each). '-' reads JSON Lines from standard input.", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format", "-f") { Description = "Output format: jsonl (the contract), csv or txt.", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "csv", "txt");
        var textField = new Option<string>("--text-field") { Description = "Field (JSON) or column (CSV) holding the text.", DefaultValueFactory = _ => "text" };
        var idField = new Option<string>("--id-field") { Description = "Field or column holding the document id.", DefaultValueFactory = _ => "id" };
        var delimiter = new Option<string?>("--delimiter") { Description = "CSV delimiter: ',', ';', 'tab' or any single character (default: ',' for .csv, tab for .tsv)." };
        var output = new Option<string?>("--output", "-o") { Description = "Write results to this file instead of standard output." };
        var threads = new Option<int>("--threads", "-j") { Description = "Worker threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar and no summary." };
        var noLanguage = new Option<bool>("--no-language") { Description = "Skip language identification (faster)." };
        var data = CommonOptions.Data();
        var policy = CommonOptions.PolicyFile();

        var command = new Command("scan", "Scan posts for terrorist and violent-extremist content and hate speech; one JSON object per input document, in input order.")
        {
            paths, format, textField, idField, delimiter, output, threads, quiet, noLanguage, data, policy,
        };

        command.SetAction((result, cancellationToken) =>
        {
            char? delimiterChar = null;
            string? delimiterText = result.GetValue(delimiter);
            if (delimiterText is not null)
            {
                delimiterChar = delimiterText switch
                {
                    "tab" or "\\t" => '\t',
                    { Length: 1 } d => d[0],
                    _ => null,
                };
                if (delimiterChar is null || delimiterChar is '"' or '\r' or '\n')
                {
                    Console.Error.WriteLine($"vigil scan: --delimiter must be one character or 'tab', not '{delimiterText}'.");
                    return Task.FromResult(ExitCodes.Usage);
                }
            }

            var options = new ScanInputOptions(result.GetValue(textField)!, result.GetValue(idField)!, delimiterChar);
            var scanFormat = Enum.Parse<ScanFormat>(result.GetValue(format)!, ignoreCase: true);
            return Task.FromResult(Run(
                result.GetValue(paths)!, options, scanFormat, result.GetValue(output), Math.Max(1, result.GetValue(threads)),
                result.GetValue(quiet), !result.GetValue(noLanguage), result.GetValue(data), result.GetValue(policy), cancellationToken));
        });
        return command;
    }

    private static int Run(
        string[] paths, ScanInputOptions options, ScanFormat format, string? outputPath, int threads, bool quiet,
        bool identifyLanguage, string? dataDirectory, string? policyPath, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        if (!Engine.TryLoad(dataDirectory, policyPath, identifyLanguage, console, out var engine))
        {
            return ExitCodes.Fatal;
        }

        var files = ScanInput.ExpandPaths(paths).ToList();
        long totalBytes = ScanInput.TotalBytes(files);
        var statistics = new ScanStatistics();
        var scanner = new Scanner(engine.Analyzer, engine.Policy, options, threads);

        Stream outputStream;
        try
        {
            outputStream = outputPath is null ? Console.OpenStandardOutput() : File.Create(outputPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]vigil scan:[/] cannot write '{outputPath}': {e.Message}");
            return ExitCodes.Fatal;
        }

        using var output = new ScanOutput(outputStream, format);
        statistics.Elapsed.Start();
        bool showProgress = !quiet && !Console.IsErrorRedirected;
        try
        {
            if (showProgress)
            {
                console.Progress()
                    .AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .Start(context =>
                    {
                        var task = context.AddTask("scanning", maxValue: Math.Max(1, totalBytes));
                        Scan(files, options, scanner, output, statistics, bytes => task.Increment(bytes), cancellationToken);
                        task.Value = task.MaxValue;
                    });
            }
            else
            {
                Scan(files, options, scanner, output, statistics, null, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            output.Flush();
            console.MarkupLine("[yellow]vigil scan: cancelled[/]");
            return ExitCodes.Cancelled;
        }

        output.Flush();
        statistics.Elapsed.Stop();
        if (!quiet)
        {
            Summary(console, statistics);
        }

        return statistics.Errors > 0 ? ExitCodes.InputErrors : ExitCodes.Ok;
    }

    private static void Scan(List<string> files, ScanInputOptions options, Scanner scanner, ScanOutput output, ScanStatistics statistics, Action<long>? onBytes, CancellationToken cancellationToken)
    {
        var items = files.SelectMany(f => ScanInput.Read(f, options, onBytes));
        scanner.Run(items, r =>
        {
            output.Write(r);
            statistics.Add(r);
        }, cancellationToken);
    }

    private static void Summary(IAnsiConsole console, ScanStatistics s)
    {
        double seconds = Math.Max(1e-9, s.Elapsed.Elapsed.TotalSeconds);
        var table = new Table().Border(TableBorder.Rounded).Title("vigil scan")
            .AddColumn("result").AddColumn(new TableColumn("documents").RightAligned());
        table.AddRow("[red]violating[/]", s.Violating.ToString("N0"));
        table.AddRow("[yellow]review[/]", s.Review.ToString("N0"));
        table.AddRow("[green]clear[/]", s.Clear.ToString("N0"));
        if (s.Errors > 0)
        {
            table.AddRow("[red]input errors[/]", s.Errors.ToString("N0"));
        }

        foreach (var category in Taxonomy.All)
        {
            if (s.Labels.TryGetValue(category.Id, out int n))
            {
                table.AddRow($"  label {category.Id}", n.ToString("N0"));
            }
        }

        foreach (var (context, n) in s.Contexts.Where(kv => kv.Key != "none").OrderByDescending(kv => kv.Value))
        {
            table.AddRow($"  context {context}", n.ToString("N0"));
        }

        table.Caption($"{s.Documents:N0} documents in {seconds:F2}s ({s.Documents / seconds:N0}/s)");
        console.Write(table);
        if (s.Errors > 0)
        {
            console.MarkupLine($"[red]{s.Errors} input error(s)[/]: see the records with an \"error\" field; exit code {ExitCodes.InputErrors}.");
        }
    }
}
