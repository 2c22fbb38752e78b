using System.Diagnostics;
using Vigil.Media;
using Vigil.Media.Ocr;

namespace Vigil.Ocr.Bench;

/// <summary>One image read by one strategy, scored.</summary>
/// <param name="Distance">Edit distance between the folded texts (<see cref="Sample.Fold"/>).</param>
/// <param name="ReferenceLength">Length of the folded printed text.</param>
/// <param name="WordDistance">Edit distance between the folded texts' words.</param>
/// <param name="ReferenceWords">Words of the folded printed text.</param>
/// <param name="StrictDistance">Edit distance with whitespace alone normalised (<see cref="Sample.Normalize"/>).</param>
/// <param name="StrictLength">Length of the printed text so normalised.</param>
internal sealed record Reading(BenchImage Image, string Strategy, OcrRow Row, int Distance, int ReferenceLength, int WordDistance, int ReferenceWords, int StrictDistance, int StrictLength);

/// <summary>What one strategy's reading pass took: images read, and their summed time divided by the images read at once.</summary>
internal sealed record Pass(string Strategy, int Images, TimeSpan Elapsed);

/// <summary>A blank image read once by a strategy: the cost of pixels without text.</summary>
internal sealed record BlankReading(string Strategy, int Side, double Milliseconds, string Engine);

/// <summary>The quality run: render, read with each strategy, score, write docs/quality/ocr.md.</summary>
internal static class Quality
{
    /// <summary>The side of the blank image read by the downscaling strategies (the solid-colour image of the service's limits).</summary>
    public const int BlankSide = 7000;

    public static async Task<int> RunAsync(Settings settings)
    {
        var stopwatch = Stopwatch.StartNew();
        Setup.Preflight();
        var posts = Sample.Load(settings.PerLanguage).Where(p => settings.Languages.Contains(p.Language)).ToList();
        Console.Error.WriteLine($"{posts.Count} leaflets: " + string.Join(", ", posts.GroupBy(p => p.Language).Select(g => $"{g.Key} {g.Count()}")));
        try
        {
            var conditions = settings.Conditions.Union(settings.Downscale.Count > 0 ? [Condition.Large] : []).ToList();
            var images = await Images.RenderAsync(posts, conditions, settings);
            var main = images.Where(i => settings.Conditions.Contains(i.Condition)).ToList();
            var large = images.Where(i => i.Condition == Condition.Large).ToList();
            var rows = new Dictionary<string, Dictionary<string, OcrRow>>(StringComparer.Ordinal);
            var passes = new List<Pass>();
            // Every strategy on the conditions; the default and the downscaling strategies also on the large photos.
            var jobs = new List<(Strategy Strategy, List<BenchImage> Images, string Pass)>();
            jobs.AddRange(settings.Strategies.Select(s => (s, main, s.Name)));
            if (large.Count > 0)
            {
                jobs.AddRange(settings.Strategies.Where(s => s.Name == "default").Concat(settings.Downscale).Select(s => (s, large, $"{s.Name} (large)")));
            }

            foreach (var (strategy, ofStrategy, pass) in jobs.Where(j => j.Images.Count > 0))
            {
                var read = await Images.ReadAsync(strategy, ofStrategy, settings);

                // Throughput from the time of each image, so that readings kept from an earlier run (--keep) count alike.
                passes.Add(new Pass(pass, ofStrategy.Count, TimeSpan.FromMilliseconds(ofStrategy.Sum(i => read[i.Name].Milliseconds) / settings.Parallel)));
                if (!rows.TryAdd(strategy.Name, read))
                {
                    foreach (var (image, row) in read)
                    {
                        rows[strategy.Name][image] = row;
                    }
                }
            }

            var blanks = new List<BlankReading>();
            if (settings.Downscale.Count > 0)
            {
                var grey = new byte[3L * BlankSide * BlankSide];
                Array.Fill(grey, (byte)200);
                var blank = new DecodedImage(BlankSide, BlankSide, grey, "PNG", 1);
                foreach (var strategy in settings.Downscale.Prepend(settings.Strategies.First(s => s.Name == "default")))
                {
                    Console.Error.WriteLine($"{strategy.Name}: a blank {BlankSide}x{BlankSide} image");
                    var (result, ms) = await Images.TimedReadAsync(new TesseractOcr(strategy.Options), blank, CancellationToken.None);
                    blanks.Add(new BlankReading(strategy.Name, BlankSide, ms, result.Status == OcrStatus.Read ? result.Engine : $"{result.Status}: {result.Problem}"));
                }
            }

            var readings = Score(settings, images, rows);
            if (settings.Keep)
            {
                // For looking into errors: every reading with its reference, in the work folder (outside the repository).
                await File.WriteAllLinesAsync(Path.Combine(settings.Work, "readings.jsonl"), readings.Select(r => System.Text.Json.JsonSerializer.Serialize(new
                {
                    r.Image.Name,
                    r.Strategy,
                    Font = Renderer.FontOf(r.Image.Post),
                    r.Distance,
                    r.ReferenceLength,
                    r.Row.Engine,
                    r.Row.Milliseconds,
                    Reference = Sample.Fold(r.Image.Post.Printed),
                    Read = Sample.Fold(r.Row.Text),
                })));
            }

            // The dev-posts blocks (bench/ocr.sh posts) are measured by the other mode: kept as they are.
            string previous = File.Exists(settings.Output) ? await File.ReadAllTextAsync(settings.Output) : "";
            var report = Sections.Carry(previous, Report.Build(settings, posts, readings, passes, blanks), PostsReport.SummaryBlock, PostsReport.SectionBlock, PostsReport.NotesBlock);
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

    private static List<Reading> Score(Settings settings, IReadOnlyList<BenchImage> images, Dictionary<string, Dictionary<string, OcrRow>> rows)
    {
        var readings = new List<Reading>();
        foreach (var (strategy, ofStrategy) in rows)
        {
            foreach (var image in images.Where(i => ofStrategy.ContainsKey(i.Name)))
            {
                var row = ofStrategy[image.Name];
                string reference = Sample.Fold(image.Post.Printed), read = Sample.Fold(row.Text), strict = Sample.Normalize(image.Post.Printed);
                readings.Add(new Reading(
                    image, strategy, row, Metrics.EditDistance(reference, read), reference.Length, Metrics.WordDistance(reference, read), Metrics.Words(reference).Length,
                    Metrics.EditDistance(strict, Sample.Normalize(row.Text)), strict.Length));
            }
        }

        _ = settings;
        return readings;
    }
}
