using System.CommandLine;
using Spectre.Console;
using Vigil.Training.Data;

namespace Vigil.Cli.Commands;

/// <summary>Exit codes of every command. They mean the same thing everywhere.</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Ok = 0;

    /// <summary>The run finished, but some input could not be processed (see the error records).</summary>
    public const int InputErrors = 1;

    /// <summary>Wrong usage (bad option values).</summary>
    public const int Usage = 2;

    /// <summary>The command could not run at all (missing data, unreadable configuration).</summary>
    public const int Fatal = 3;

    /// <summary>A check failed (e.g. a quality target was missed).</summary>
    public const int CheckFailed = 4;

    /// <summary>Interrupted.</summary>
    public const int Cancelled = 130;
}

internal static class CommonOptions
{
    /// <summary>JSON for JSON Lines output: non-ASCII text written as is (it is UTF-8), not escaped.</summary>
    public static readonly System.Text.Json.JsonWriterOptions JsonLines = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Option<int> Threads() => new("--threads", "-j")
    {
        Description = "Worker threads.",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    public static Option<string?> Data() => new("--data")
    {
        Description = "Vigil's data folder (lists/, model/, policy.json). Default: the one shipped with Vigil.",
    };

    public static Option<string> Embeddings()
    {
        var option = new Option<string>("--embeddings")
        {
            Description = "When the classifier's MiniLM embedding stage runs: cascade (only for posts the n-gram model does not clear), all, or off (the policy's without_embeddings thresholds then decide).",
            DefaultValueFactory = _ => "cascade",
        };
        option.AcceptOnlyFromAmong("cascade", "all", "off");
        return option;
    }

    public static Vigil.Text.EmbeddingMode ParseEmbeddings(string value) => value switch
    {
        "all" => Vigil.Text.EmbeddingMode.All,
        "off" => Vigil.Text.EmbeddingMode.Off,
        _ => Vigil.Text.EmbeddingMode.Cascade,
    };

    public static Option<string?> PolicyFile() => new("--policy")
    {
        Description = "Policy file (JSON). Default: policy.json in the data folder.",
    };

    public static Option<string> SharedData() => new("--datasets")
    {
        Description = "Folder of the labelled datasets (see its README).",
        DefaultValueFactory = _ => DatasetCatalogue.DefaultRoot(),
    };

    /// <summary>A console on standard error, so that standard output carries only results.</summary>
    public static IAnsiConsole ErrorConsole() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
    });
}
