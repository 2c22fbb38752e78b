using System.CommandLine;
using Spectre.Console;
using Vigil.Cli.Rendering;
using Vigil.Training.Data;
using Vigil.Training.Evaluation;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil eval</c>: runs the whole pipeline (detectors and policy) over the dev splits and writes
/// <c>docs/quality.md</c> with precision, recall, F1, average precision, the false-positive rate on news about
/// terrorism, confusion tables, precision-recall curves (PNG) and the evasion report (<see cref="QualityEvaluator"/>,
/// <see cref="QualityMarkdown"/>).
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var datasets = CommonOptions.SharedData();
        var output = new Option<string>("--output", "-o") { Description = "The report to write.", DefaultValueFactory = _ => Path.Combine("docs", "quality.md") };
        var split = new Option<string>("--split") { Description = "Which split to score.", DefaultValueFactory = _ => "dev" };
        var file = new Option<string[]>("--file") { Description = "Also score any labelled JSON Lines file (fields text and label; label extremist, hate or other).", AllowMultipleArgumentsPerToken = true };
        var check = new Option<bool>("--check") { Description = $"Exit with code {ExitCodes.CheckFailed} when a quality target is missed: extremist F1 >= 0.85 on {DatasetCatalogue.IsisTweets.Name}, hate F1 >= 0.62 on {DatasetCatalogue.Stormfront.Name} and >= 0.55 on {DatasetCatalogue.Davidson.Name}, at most 1% of news about terrorism ({DatasetCatalogue.AgNews.Name}) violating, at most 0.02 F1 lost under evasion per set." };
        var threads = CommonOptions.Threads();
        var embeddings = CommonOptions.Embeddings();
        var data = CommonOptions.Data();
        var policy = CommonOptions.PolicyFile();
        var command = new Command("eval", "Score the labelled dev splits and write docs/quality.md with PR curves and the evasion report.")
        {
            datasets, output, split, file, check, threads, embeddings, data, policy,
        };
        command.SetAction((result, cancellationToken) => Task.FromResult(Run(
            result.GetValue(datasets)!, result.GetValue(output)!, result.GetValue(split)!, result.GetValue(file) ?? [], result.GetValue(check),
            Math.Max(1, result.GetValue(threads)), CommonOptions.ParseEmbeddings(result.GetValue(embeddings)!), result.GetValue(data), result.GetValue(policy), cancellationToken)));
        return command;
    }

    private static int Run(string datasets, string output, string split, string[] files, bool check, int threads, Vigil.Text.EmbeddingMode embeddings, string? dataDirectory, string? policyPath, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        if (!Engine.TryLoad(dataDirectory, policyPath, new Vigil.Text.TextAnalyzerOptions(IdentifyLanguage: true, Embeddings: embeddings), console, out var engine))
        {
            return ExitCodes.Fatal;
        }

        var time = TimeProvider.System;
        long started = time.GetTimestamp();
        List<EvaluationSet> sets;
        try
        {
            sets = EvaluationSet.Load(datasets, split, files);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]vigil eval:[/] {e.Message}");
            return ExitCodes.Fatal;
        }

        var evaluator = new QualityEvaluator(new PipelinePostScorer(engine, threads), engine.Policy);
        var setup = new EvaluationSetup(split, engine.Policy, engine.Analyzer.EmbeddingMode, embeddings);
        var evaluation = console.Status().Start("scoring", ctx => evaluator.Evaluate(sets, setup, status => ctx.Status(Markup.Escape(status)), cancellationToken));

        string outputDirectory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        string plotDirectory = Path.Combine(outputDirectory, "quality");
        Directory.CreateDirectory(plotDirectory);
        var plots = QualityPlots.Write(plotDirectory, evaluation.Curves);
        var elapsed = time.GetElapsedTime(started);
        File.WriteAllText(output, QualityMarkdown.Render(evaluation, [.. plots.Select(p => Path.GetRelativePath(outputDirectory, p))], time.GetUtcNow(), elapsed)
            + MeasuredElsewhere.Render(plotDirectory));
        console.MarkupLineInterpolated($"[green]wrote[/] {output} and {plots.Count} plots in {time.GetElapsedTime(started).TotalSeconds:F1}s");
        foreach (var target in evaluation.Targets)
        {
            string line = QualityMarkdown.Summary(target);
            console.MarkupLine(target.Met ? $"[green]met[/]    {Markup.Escape(line)}" : $"[red]missed[/] {Markup.Escape(line)}");
        }

        return check && evaluation.Targets.Any(t => !t.Met) ? ExitCodes.CheckFailed : ExitCodes.Ok;
    }
}
