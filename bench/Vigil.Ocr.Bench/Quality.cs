using System.Diagnostics;
using Vigil.Core;
using Vigil.Media;
using Vigil.Media.Banks;
using Vigil.Text;

namespace Vigil.Ocr.Bench;

/// <summary>A post's verdicts as text: as in the dataset, and as printed on its images.</summary>
internal sealed record TextVerdicts(bool Original, bool Printed);

/// <summary>One image read by one strategy, scored.</summary>
/// <param name="Distance">Edit distance between the folded texts (<see cref="Sample.Fold"/>).</param>
/// <param name="ReferenceLength">Length of the folded printed text.</param>
/// <param name="StrictDistance">Edit distance with whitespace alone normalised (<see cref="Sample.Normalize"/>).</param>
/// <param name="StrictLength">Length of the printed text so normalised.</param>
internal sealed record Reading(BenchImage Image, string Strategy, OcrRow Row, bool Flagged, int Distance, int ReferenceLength, int StrictDistance, int StrictLength);

/// <summary>The quality run: sample, render, read with each strategy, score, write docs/quality/ocr.md.</summary>
internal static class Quality
{
    public static async Task<int> RunAsync(Settings settings)
    {
        var stopwatch = Stopwatch.StartNew();
        Setup.Preflight();
        var posts = Sample.Load(settings.DataRoot, settings.PerClass).Where(p => settings.Languages.Contains(p.Language)).ToList();
        Console.Error.WriteLine($"{posts.Count} posts: " + string.Join(", ", posts.GroupBy(p => p.Language).Select(g => $"{g.Key} {g.Count()}")));
        try
        {
            var images = await Images.RenderAsync(posts, settings.Conditions, settings);
            var rows = new Dictionary<string, Dictionary<string, OcrRow>>(StringComparer.Ordinal);
            foreach (var strategy in settings.Strategies)
            {
                rows[strategy.Name] = await Images.ReadAsync(strategy, images, settings);
            }

            Console.Error.WriteLine("scoring the texts with Vigil's detectors and policy");
            var (texts, readings) = Score(settings, posts, images, rows);
            if (settings.Keep)
            {
                // For looking into errors: every reading with its reference, in the work folder (outside the repository).
                await File.WriteAllLinesAsync(Path.Combine(settings.Work, "readings.jsonl"), readings.Select(r => System.Text.Json.JsonSerializer.Serialize(new
                {
                    r.Image.Name,
                    r.Strategy,
                    Font = Renderer.FontOf(r.Image.Post),
                    r.Image.Post.Positive,
                    r.Flagged,
                    TextFlagged = texts[r.Image.Post].Printed,
                    r.Distance,
                    r.ReferenceLength,
                    r.Row.Engine,
                    r.Row.Milliseconds,
                    Reference = Sample.Fold(r.Image.Post.Printed),
                    Read = Sample.Fold(r.Row.Text),
                })));
            }

            var report = Report.Build(settings, posts, texts, readings);
            Directory.CreateDirectory(Path.GetDirectoryName(settings.Output)!);
            await File.WriteAllTextAsync(settings.Output, report);
            Console.Error.WriteLine($"wrote {settings.Output} in {stopwatch.Elapsed.TotalMinutes:F1} min");
            return 0;
        }
        finally
        {
            if (!settings.Keep && Directory.Exists(settings.Work))
            {
                Directory.Delete(settings.Work, recursive: true);
            }
        }
    }

    private static (Dictionary<BenchPost, TextVerdicts> Texts, List<Reading> Readings) Score(
        Settings settings, List<BenchPost> posts, IReadOnlyList<BenchImage> images, Dictionary<string, Dictionary<string, OcrRow>> rows)
    {
        string data = TextResources.DefaultDirectory();
        var resources = TextResources.Load(data);
        var analyzer = new TextAnalyzer(resources, new TextAnalyzerOptions(IdentifyLanguage: true, Embeddings: EmbeddingModeOf(settings.Embeddings)));
        var policy = analyzer.PolicyFor(Policy.Parse(File.ReadAllText(Path.Combine(data, "policy.json"))));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.Parallel };

        var texts = new TextVerdicts[posts.Count];
        Parallel.For(0, posts.Count, parallel, i =>
            texts[i] = new TextVerdicts(Flagged(posts[i], policy.Decide(analyzer.Assess(posts[i].Original))), Flagged(posts[i], policy.Decide(analyzer.Assess(posts[i].Printed)))));

        var jobs = settings.Strategies.SelectMany(s => images.Select(image => (Strategy: s.Name, Image: image))).ToList();
        var readings = new Reading[jobs.Count];
        Parallel.For(0, jobs.Count, parallel, i =>
        {
            var (strategy, image) = jobs[i];
            var row = rows[strategy][image.Name];
            var read = row.Result;
            var assessment = read.HasText ? analyzer.Assess(read.Text) : null;
            var verdict = policy.Decide(MediaAssessment.Combine(image.Name, BankMatchResult.None, read, assessment));
            string reference = Sample.Fold(image.Post.Printed), strict = Sample.Normalize(image.Post.Printed);
            readings[i] = new Reading(
                image, strategy, row, Flagged(image.Post, verdict), Metrics.EditDistance(reference, Sample.Fold(row.Text)), reference.Length,
                Metrics.EditDistance(strict, Sample.Normalize(row.Text)), strict.Length);
        });

        return (posts.Select((p, i) => (p, texts[i])).ToDictionary(x => x.p, x => x.Item2), [.. readings]);
    }

    /// <summary>Flagged as vigil eval counts it: any terrorism label over its review threshold, or hate.</summary>
    private static bool Flagged(BenchPost post, Verdict verdict) => post.Terrorism
        ? verdict.Labels.Any(l => l.StartsWith("terrorism.", StringComparison.Ordinal))
        : verdict.Labels.Contains(Taxonomy.Hate.Id);

    private static EmbeddingMode EmbeddingModeOf(string value) => value switch
    {
        "off" => EmbeddingMode.Off,
        "all" => EmbeddingMode.All,
        "cascade" => EmbeddingMode.Cascade,
        _ => throw new ArgumentException($"--embeddings {value}: cascade, off or all"),
    };
}
