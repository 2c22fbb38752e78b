using System.CommandLine;
using Spectre.Console;
using Vigil.Text;
using Vigil.Training;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil train</c>: fits the linear text model on the train splits, tunes the policy thresholds on the dev
/// splits, and writes <c>model/text-linear.bin</c>, <c>model/model.json</c> and <c>policy.json</c>
/// (<see cref="TrainingRun"/>).
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var datasets = CommonOptions.SharedData();
        var output = new Option<string?>("--output", "-o") { Description = "Data folder to write model/ and policy.json into. Default: the repository's data/." };
        var bits = new Option<int>("--bits") { Description = "log2 of the number of feature hash buckets.", DefaultValueFactory = _ => 18 };
        var l2 = new Option<double>("--l2") { Description = "L2 regularisation strength.", DefaultValueFactory = _ => 1e-5 };
        var noEmbeddings = new Option<bool>("--no-embeddings") { Description = "Train the n-gram model only (no MiniLM embedding stage)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the embedding heads' initialisation and shuffling, and of --tune-encoder (41 + seed), to measure how much the figures owe to it.", DefaultValueFactory = _ => 1 };
        var cache = new Option<string?>("--cache") { Description = "File caching sentence embeddings between runs. Default: one per encoder in ~/.cache/vigil/." };
        var tuneEncoder = new Option<bool>("--tune-encoder") { Description = "First fine-tune MiniLM's top two layers on the train splits (the shipped recipe; about half an hour on 2 cores) and store them as model/minilm-tuned.bin. Without it, an existing model/minilm-tuned.bin is kept." };
        var encoderFrom = new Option<string?>("--encoder-from") { Description = "A fine-tuned MiniLM ONNX model made elsewhere (tools/finetune): its changed layers are stored as model/minilm-tuned.bin and used for the embedding stage." };
        var command = new Command("train", "Train the text classifier from the labelled datasets and tune the default policy's thresholds.")
        {
            datasets, output, bits, l2, noEmbeddings, cache, seed, tuneEncoder, encoderFrom,
        };
        command.SetAction((result, cancellationToken) => Task.FromResult(Run(
            result.GetValue(datasets)!, result.GetValue(output) ?? TextResources.RepositoryDirectory(), result.GetValue(bits), result.GetValue(l2),
            !result.GetValue(noEmbeddings), result.GetValue(cache), result.GetValue(tuneEncoder), result.GetValue(encoderFrom), result.GetValue(seed), cancellationToken)));
        return command;
    }

    private static int Run(
        string datasets, string output, int bits, double l2, bool embeddings, string? cachePath, bool tuneEncoder, string? encoderFrom, int seed, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        if (tuneEncoder && (encoderFrom is not null || !embeddings))
        {
            console.MarkupLine("[red]vigil train:[/] --tune-encoder cannot be combined with --encoder-from or --no-embeddings.");
            return ExitCodes.Usage;
        }

        if (bits is < 12 or > 24)
        {
            console.MarkupLine("[red]vigil train:[/] --bits must be between 12 and 24.");
            return ExitCodes.Usage;
        }

        long started = TimeProvider.System.GetTimestamp();
        TrainingData data;
        try
        {
            data = TrainingData.Load(datasets);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]vigil train:[/] cannot read the datasets in '{datasets}': {e.Message}");
            return ExitCodes.Fatal;
        }

        console.MarkupLineInterpolated($"training on {data.Train.Count:N0} posts from {datasets}");
        var run = new TrainingRun(TimeProvider.System, line => console.MarkupLineInterpolated($"{line}"));
        var result = run.Run(data, new TrainingRunOptions(output, bits, l2, embeddings, cachePath, tuneEncoder, encoderFrom, seed), cancellationToken);
        console.MarkupLineInterpolated($"[green]wrote[/] {result.ModelPath} ({new FileInfo(result.ModelPath).Length / 1024:N0} KiB), model.json and policy.json in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:F1}s");
        return ExitCodes.Ok;
    }
}
