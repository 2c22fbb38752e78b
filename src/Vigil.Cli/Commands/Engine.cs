using Spectre.Console;
using Vigil.Core;
using Vigil.Core.Content;
using Vigil.Media;
using Vigil.Moderation;
using Vigil.Moderation.Pipeline;
using Vigil.Text;

namespace Vigil.Cli.Commands;

/// <summary>The loaded detectors and policy, shared by the commands that score text.</summary>
internal sealed record Engine(TextAnalyzer Analyzer, Policy Policy, TextResources Resources)
{
    public const string PolicyFileName = TextResources.PolicyFile;

    /// <summary>The content pipeline over these detectors and this policy (or <paramref name="policy"/>): images decoded by
    /// <paramref name="decoder"/>, hashed and matched against <paramref name="banks"/>, their text read by
    /// <paramref name="ocr"/> (none: not read).</summary>
    public ContentPipeline Pipeline(IBankMatcherSource banks, ImageDecoder? decoder = null, IContentDetector? ocr = null, Policy? policy = null) => new(
        VigilSignalTypes.Default,
        [new ImagePartReader(decoder ?? new ImageDecoder())],
        ocr is null ? [new TextDetector(Analyzer)] : [new TextDetector(Analyzer), ocr],
        banks,
        policy ?? Policy);

    public static bool TryLoad(string? dataDirectory, string? policyPath, bool identifyLanguage, IAnsiConsole console, out Engine engine) =>
        TryLoad(dataDirectory, policyPath, new TextAnalyzerOptions(identifyLanguage), console, out engine);

    public static bool TryLoad(string? dataDirectory, string? policyPath, TextAnalyzerOptions options, IAnsiConsole console, out Engine engine)
    {
        engine = null!;
        string directory = dataDirectory ?? TextResources.DefaultDirectory();
        try
        {
            var resources = TextResources.Load(directory);
            foreach (var problem in resources.Problems)
            {
                console.MarkupLineInterpolated($"[yellow]warning:[/] {problem}");
            }

            string policyFile = policyPath ?? Path.Combine(directory, PolicyFileName);
            var policy = Policy.Parse(File.ReadAllText(policyFile));
            var analyzer = new TextAnalyzer(resources, options);
            engine = new Engine(analyzer, analyzer.PolicyFor(policy), resources);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            console.MarkupLineInterpolated($"[red]vigil:[/] {e.Message}");
            return false;
        }
    }
}
