using System.Diagnostics;
using Vigil.Core;
using Vigil.Core.Content;
using Vigil.Media;
using Vigil.Media.Ocr;
using Vigil.Moderation;
using Vigil.Moderation.Pipeline;
using Vigil.Text;
using Vigil.Training.Evaluation;

namespace Vigil.Ocr.Bench;

/// <summary>What the pipeline decided on one dev post given as text.</summary>
/// <param name="AsData">Flagged for the set's category when given the post as the data has it.</param>
/// <param name="AsPrinted">Flagged when given the text that is printed (<see cref="DevPosts.Printable"/>).</param>
internal sealed record TextDecision(DevPost Post, bool AsData, bool AsPrinted);

/// <summary>What the pipeline decided on one image of a dev post, and the text its OCR read.</summary>
/// <param name="Failed">The image was not analysed (<c>media.unreadable</c>: OCR failed on it).</param>
internal sealed record ImageDecision(DevPost Post, Condition Condition, bool Flagged, string Read, bool Failed)
{
    /// <summary>Edit distance between the folded printed text and the folded text read (<see cref="Sample.Fold"/>).</summary>
    public int Distance { get; } = Metrics.EditDistance(Sample.Fold(Post.Printed), Sample.Fold(Read));

    public int ReferenceLength { get; } = Sample.Fold(Post.Printed).Length;
}

/// <summary>
/// <c>bench/ocr.sh posts</c>: labelled dev posts (<see cref="DevPosts"/>) printed as leaflets, each read by the content
/// pipeline twice, as Vigil runs it (normalisation, lists, classifier with its embedding stage <c>cascade</c>, context,
/// language, the shipped policy and its thresholds, no hash banks; as <c>vigil eval</c> scores text): once as a text part,
/// once as an image part (decoded, read by <see cref="OcrDetector"/> with <see cref="TesseractOcr"/>'s default options as
/// <c>vigil scan</c> runs it, the text read assessed as a derived part). A post is flagged as <c>vigil eval</c> flags it
/// (any <c>terrorism.*</c> label for the terrorism set, <c>hate</c> for the hate sets). Writes its section of docs/quality/ocr.md.
/// </summary>
internal static class PostsRun
{
    private const int ImageBatch = 8;

    public static async Task<int> RunAsync(Settings settings)
    {
        var stopwatch = Stopwatch.StartNew();
        Setup.Preflight();
        var posts = DevPosts.Load(settings.SharedData, settings.Languages, settings.PostsPerLanguage);
        Console.Error.WriteLine($"{posts.Count} dev posts: {DevPosts.Describe(posts)}");
        try
        {
            string data = Path.Combine(settings.RepositoryRoot, "data");
            var analyzer = new TextAnalyzer(TextResources.Load(data), new TextAnalyzerOptions(IdentifyLanguage: true, Embeddings: EmbeddingMode.Cascade));
            var policy = analyzer.PolicyFor(Policy.Parse(await File.ReadAllTextAsync(Path.Combine(data, TextResources.PolicyFile))));
            Directory.CreateDirectory(settings.Work);
            var strategy = settings.Strategies[0];
            string cache = strategy.Name == "default" ? "posts-ocr.jsonl" : $"posts-ocr-{string.Concat(strategy.Name.Select(c => char.IsLetterOrDigit(c) ? c : '_'))}.jsonl";
            using var ocr = new CachedOcr(new TesseractOcr(strategy.Options), Path.Combine(settings.Work, cache));
            var availability = await ocr.CheckAsync();
            if (!availability.Available)
            {
                throw new InvalidOperationException($"OCR is unavailable: {availability.Description}");
            }

            var pipeline = new ContentPipeline(
                VigilSignalTypes.Default,
                [new ImagePartReader(new ImageDecoder())],
                [new TextDetector(analyzer), new OcrDetector(ocr, why => Console.Error.WriteLine(why))],
                FixedBankMatcher.None,
                policy);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.Parallel };

            Console.Error.WriteLine("scoring the posts as text");
            var asData = await FlagTextsAsync(pipeline, posts, p => p.Post.Text, parallel);
            var asPrinted = await FlagTextsAsync(pipeline, posts, p => p.Printed, parallel);
            var texts = posts.Select((p, i) => new TextDecision(p, asData[i], asPrinted[i])).ToList();

            var images = await RenderAsync(posts, settings);
            var decisions = new List<ImageDecision>(images.Count);
            long readStart = Stopwatch.GetTimestamp();
            for (int start = 0; start < images.Count; start += ImageBatch)
            {
                var batch = images.Skip(start).Take(ImageBatch).ToList();
                var items = new List<IReadOnlyList<ContentPart>>(batch.Count);
                foreach (var image in batch)
                {
                    var bytes = await File.ReadAllBytesAsync(image.Path);
                    items.Add([ContentPart.FromImage(bytes, image.Name, image.Path.EndsWith(".jpg", StringComparison.Ordinal) ? "image/jpeg" : "image/png")]);
                }

                var results = await pipeline.AssessBatchAsync(items, parallel);
                for (int i = 0; i < batch.Count; i++)
                {
                    var post = posts.Single(p => p.Leaflet == batch[i].Post);
                    var result = results[i];
                    string read = result.Parts.FirstOrDefault(p => p.Part.IsDerived && p.Part.Type == PartTypes.Text)?.Part.Text ?? "";
                    bool failed = result.Assessment.Signals.Any(s => s.Type == SignalKinds.Unreadable);
                    var scored = new ScoredPost(post.Post, result.Verdict, result.Assessment);
                    decisions.Add(new ImageDecision(post, batch[i].Condition, scored.Flagged(post.Terrorism), read, failed));
                }

                Console.Error.Write($"\rread and scored {decisions.Count}/{images.Count} images ({ocr.Read} read by Tesseract in this run, {Stopwatch.GetElapsedTime(readStart).TotalMinutes:F1} min)   ");
            }

            Console.Error.WriteLine();
            if (settings.Keep)
            {
                // For looking into errors: every image's reading and decision (outside the repository; holds dataset text).
                await File.WriteAllLinesAsync(Path.Combine(settings.Work, cache.Replace("posts-ocr", "posts-readings", StringComparison.Ordinal)), decisions.Select(d => System.Text.Json.JsonSerializer.Serialize(new
                {
                    d.Post.Leaflet.Key,
                    d.Post.Set.Name,
                    d.Post.Post.Id,
                    d.Post.Post.Label,
                    Condition = d.Condition.ToString(),
                    Font = Renderer.FontOf(d.Post.Leaflet),
                    TextFlagged = texts.First(t => t.Post == d.Post).AsPrinted,
                    OcrFlagged = d.Flagged,
                    d.Distance,
                    d.ReferenceLength,
                    Reference = Sample.Fold(d.Post.Printed),
                    Read = Sample.Fold(d.Read),
                })));
            }

            string previous = File.Exists(settings.Output) ? await File.ReadAllTextAsync(settings.Output) : "";
            var report = PostsReport.Build(settings, strategy, posts, texts, decisions, ocr.Milliseconds, policy);
            Directory.CreateDirectory(Path.GetDirectoryName(settings.Output)!);
            await File.WriteAllTextAsync(settings.Output, Sections.Put(Sections.Put(previous, PostsReport.SummaryBlock, report.Summary), PostsReport.SectionBlock, report.Section));
            Console.Error.WriteLine($"wrote {settings.Output} in {stopwatch.Elapsed.TotalMinutes:F1} min");
            Console.Error.Write(report.Summary);
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

    /// <summary>Whether the pipeline flags each post given as the text <paramref name="text"/> picks, in order.</summary>
    private static async Task<bool[]> FlagTextsAsync(ContentPipeline pipeline, IReadOnlyList<DevPost> posts, Func<DevPost, string> text, ParallelOptions parallel)
    {
        var items = posts.Select(p => (IReadOnlyList<ContentPart>)[ContentPart.FromText(text(p))]).ToList();
        var results = await pipeline.AssessBatchAsync(items, parallel);
        return [.. posts.Select((p, i) => new ScoredPost(p.Post, results[i].Verdict, results[i].Assessment).Flagged(p.Terrorism))];
    }

    /// <summary>Every post clean; the first <see cref="Settings.DegradedPosts"/> of each language in the other conditions.</summary>
    private static async Task<IReadOnlyList<BenchImage>> RenderAsync(IReadOnlyList<DevPost> posts, Settings settings)
    {
        string folder = Path.Combine(settings.Work, "posts");
        Directory.CreateDirectory(folder);
        var renderer = new Renderer(folder);
        var jobs = posts.SelectMany(p => settings.Conditions.Select(c => (Post: p.Leaflet, Condition: c)))
            .Where(j => j.Condition == Condition.Clean || j.Post.Number <= settings.DegradedPosts)
            .ToList();
        var images = new BenchImage[jobs.Count];
        int done = 0;
        await Parallel.ForAsync(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = settings.Parallel }, async (i, ct) =>
        {
            images[i] = new BenchImage(jobs[i].Post, jobs[i].Condition, await renderer.RenderAsync(jobs[i].Post, jobs[i].Condition, ct));
            if (Interlocked.Increment(ref done) % 50 == 0 || done == jobs.Count)
            {
                Console.Error.Write($"\rrendered {done}/{jobs.Count}   ");
            }
        });
        Console.Error.WriteLine();
        return images;
    }
}
