using System.Diagnostics;
using System.Text.Json;
using Vigil.Media;
using Vigil.Media.Ocr;

namespace Vigil.Ocr.Bench;

/// <summary>One rendered image of a post.</summary>
internal sealed record BenchImage(BenchPost Post, Condition Condition, string Path)
{
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>Its size in megapixels.</summary>
    public double Megapixels { get; init; }
}

/// <summary>What a strategy read from one image, and how long it took (<see cref="TesseractOcr.ReadAsync"/> alone).</summary>
internal sealed record OcrRow(string Image, string Status, string Text, string Engine, double Milliseconds)
{
    public OcrResult Result => new(Enum.Parse<OcrStatus>(Status), Text, Engine);
}

/// <summary>Renders the images and reads them, keeping every result in the work folder so that a run can resume.</summary>
internal static class Images
{
    public static async Task<IReadOnlyList<BenchImage>> RenderAsync(IReadOnlyList<BenchPost> posts, IReadOnlyList<Condition> conditions, Settings settings)
    {
        string folder = Path.Combine(settings.Work, "images");
        Directory.CreateDirectory(folder);
        var renderer = new Renderer(folder);
        // The large photos of the downscaling comparison: only the first leaflets of each language, unless asked for as a condition.
        var jobs = posts.SelectMany(p => conditions.Select(c => (Post: p, Condition: c)))
            .Where(j => j.Condition != Condition.Large || settings.Conditions.Contains(Condition.Large) || j.Post.Number <= settings.LargeLeaflets)
            .ToList();
        var images = new BenchImage[jobs.Count];
        int done = 0;
        await Parallel.ForAsync(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = settings.Parallel }, async (i, ct) =>
        {
            string path = await renderer.RenderAsync(jobs[i].Post, jobs[i].Condition, ct);
            var size = SixLabors.ImageSharp.Image.Identify(path);
            images[i] = new BenchImage(jobs[i].Post, jobs[i].Condition, path) { Megapixels = size.Width * (double)size.Height / 1e6 };
            Progress("rendered", Interlocked.Increment(ref done), jobs.Count);
        });
        Console.Error.WriteLine();
        return images;
    }

    /// <summary>Reads every image with a strategy (results already in the work folder are reused).</summary>
    public static async Task<Dictionary<string, OcrRow>> ReadAsync(Strategy strategy, IReadOnlyList<BenchImage> images, Settings settings)
    {
        string cache = Path.Combine(settings.Work, $"ocr-{Safe(strategy.Name)}.jsonl");
        var rows = new Dictionary<string, OcrRow>(StringComparer.Ordinal);
        if (File.Exists(cache))
        {
            foreach (var line in File.ReadLines(cache).Where(l => l.Length > 0))
            {
                try
                {
                    var row = JsonSerializer.Deserialize<OcrRow>(line)!;
                    rows[row.Image] = row;
                }
                catch (JsonException)
                {
                    // the last line of a run that was stopped: read again
                }
            }
        }

        var todo = images.Where(i => !rows.ContainsKey(i.Name)).ToList();
        if (todo.Count == 0)
        {
            return rows;
        }

        var ocr = new TesseractOcr(strategy.Options);
        var availability = await ocr.CheckAsync();
        if (!availability.Available)
        {
            throw new InvalidOperationException($"OCR is unavailable: {availability.Description}");
        }

        Console.Error.WriteLine($"{strategy.Name}: {availability.Description}");
        var decoder = new ImageDecoder();
        var gate = new Lock();
        await using var writer = new StreamWriter(cache, append: true);
        int done = 0;
        await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = settings.Parallel }, async (image, ct) =>
        {
            var decoded = decoder.Decode(await File.ReadAllBytesAsync(image.Path, ct));
            var (result, ms) = await TimedReadAsync(ocr, decoded, ct);
            var row = new OcrRow(image.Name, result.Status.ToString(), result.Text, result.Status == OcrStatus.Read ? result.Engine : result.Problem ?? "", ms);
            lock (gate)
            {
                rows[image.Name] = row;
                writer.WriteLine(JsonSerializer.Serialize(row));
                writer.Flush();
            }

            Progress($"{strategy.Name}: read", Interlocked.Increment(ref done), todo.Count);
        });
        Console.Error.WriteLine();
        return rows;
    }

    public static async Task<(OcrResult Result, double Milliseconds)> TimedReadAsync(TesseractOcr ocr, DecodedImage image, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        var result = await ocr.ReadAsync(image, cancellationToken);
        return (result, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) ? c : '_'));

    private static void Progress(string what, int done, int total)
    {
        if (done % 50 == 0 || done == total)
        {
            Console.Error.Write($"\r{what} {done}/{total}   ");
        }
    }
}
