using System.CommandLine;
using Spectre.Console;
using Vigil.Cli.Scanning;
using Vigil.Core;
using Vigil.Media;
using Vigil.Media.Ocr;
using Vigil.Text;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil scan PATH…</c>: verdicts for every document, in input order. Image files (JPEG, PNG, GIF, WebP) are
/// documents too: their hash-bank matches and the text read from them (OCR) go through the same policy.
/// </summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or folders: .jsonl, .csv/.tsv, images (JPEG, PNG, GIF, WebP) or plain text files (one document each). '-' reads JSON Lines from standard input.", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format", "-f") { Description = "Output format: jsonl (the contract), csv or txt.", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "csv", "txt");
        var textField = new Option<string>("--text-field") { Description = "Field (JSON) or column (CSV) holding the text.", DefaultValueFactory = _ => "text" };
        var idField = new Option<string>("--id-field") { Description = "Field or column holding the document id.", DefaultValueFactory = _ => "id" };
        var delimiter = new Option<string?>("--delimiter") { Description = "CSV delimiter: ',', ';', 'tab' or any single character (default: ',' for .csv, tab for .tsv)." };
        var output = new Option<string?>("--output", "-o") { Description = "Write results to this file instead of standard output." };
        var threads = CommonOptions.Threads();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar and no summary." };
        var noLanguage = new Option<bool>("--no-language") { Description = "Skip language identification (faster)." };
        var embeddings = CommonOptions.Embeddings();
        var data = CommonOptions.Data();
        var policy = CommonOptions.PolicyFile();
        var db = Database.Option();
        var noOcr = new Option<bool>("--no-ocr") { Description = "Do not read text in images (faster); images are still hashed and matched against the banks." };

        var command = new Command("scan", "Scan posts for terrorist and violent-extremist content and hate speech; one JSON object per input document, in input order.")
        {
            paths, format, textField, idField, delimiter, output, threads, quiet, noLanguage, embeddings, data, policy, db, noOcr,
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
            var media = new MediaOptions(result.GetValue(db)!, !result.GetValue(noOcr));
            return RunAsync(
                result.GetValue(paths)!, options, scanFormat, result.GetValue(output), Math.Max(1, result.GetValue(threads)),
                result.GetValue(quiet), new TextAnalyzerOptions(!result.GetValue(noLanguage), CommonOptions.ParseEmbeddings(result.GetValue(embeddings)!), EmbeddingThreads: Math.Max(1, result.GetValue(threads))),
                result.GetValue(data), result.GetValue(policy), media, cancellationToken);
        });
        return command;
    }

    /// <summary>Where the hash banks are, and whether to read text in images.</summary>
    private sealed record MediaOptions(string DatabasePath, bool Ocr);

    private static async Task<int> RunAsync(
        string[] paths, ScanInputOptions options, ScanFormat format, string? outputPath, int threads, bool quiet,
        TextAnalyzerOptions textOptions, string? dataDirectory, string? policyPath, MediaOptions media, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        if (!Engine.TryLoad(dataDirectory, policyPath, textOptions, console, out var engine))
        {
            return ExitCodes.Fatal;
        }

        var files = ScanInput.ExpandPaths(paths).ToList();
        long totalBytes = ScanInput.TotalBytes(files);
        var statistics = new ScanStatistics();
        var warnings = new Lock();
        void Warn(string message)
        {
            lock (warnings)
            {
                console.MarkupLineInterpolated($"[yellow]vigil scan:[/] {message}");
            }
        }

        var banks = new ScanBanks(media.DatabasePath);
        var decoder = new ImageDecoder();
        var pipeline = engine.Pipeline(banks, decoder, media.Ocr ? new OcrDetector(new TesseractOcr(), Warn) : null);
        var scanner = new Scanner(pipeline, options, threads, decoder, Warn, () =>
        {
            if (banks.Note is { } note)
            {
                Warn(note);
            }
        });

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
                await console.Progress()
                    .AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask("scanning", maxValue: Math.Max(1, totalBytes));
                        await ScanAsync(files, options, scanner, output, statistics, bytes => task.Increment(bytes), cancellationToken);
                        task.Value = task.MaxValue;
                    });
            }
            else
            {
                await ScanAsync(files, options, scanner, output, statistics, null, cancellationToken);
            }

            output.Flush();
        }
        catch (OperationCanceledException)
        {
            output.Dispose();
            console.MarkupLine("[yellow]vigil scan: cancelled[/]");
            return ExitCodes.Cancelled;
        }
        catch (ScanOutputException e)
        {
            // Results already written stay; the scan stops, since nothing more could be kept.
            console.MarkupLineInterpolated($"[red]vigil scan:[/] cannot write the results to {outputPath ?? "standard output"}: {e.Message}");
            return ExitCodes.Fatal;
        }

        statistics.Elapsed.Stop();
        if (!quiet)
        {
            Summary(console, statistics);
        }

        return statistics.Errors > 0 ? ExitCodes.InputErrors : ExitCodes.Ok;
    }

    private static async Task ScanAsync(List<string> files, ScanInputOptions options, Scanner scanner, ScanOutput output, ScanStatistics statistics, Action<long>? onBytes, CancellationToken cancellationToken)
    {
        var items = files.SelectMany(f => ScanInput.Read(f, options, onBytes));
        await scanner.RunAsync(items, r =>
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
