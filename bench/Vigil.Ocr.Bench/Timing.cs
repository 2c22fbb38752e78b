using System.Globalization;
using Vigil.Media;
using Vigil.Media.Ocr;

namespace Vigil.Ocr.Bench;

/// <summary>
/// Time per image of each strategy on the same images, one image at a time (no other Tesseract running), the
/// strategies taking turns image by image so that the machine's drift falls on all of them alike.
/// </summary>
internal static class Timing
{
    public static async Task<int> RunAsync(Settings settings)
    {
        Setup.Preflight();
        var posts = Sample.Load(settings.PerLanguage).Where(p => settings.Languages.Contains(p.Language)).ToList();
        try
        {
            var all = await Images.RenderAsync(posts, settings.Conditions, settings);

            // The same number of images of every language and condition, in hash order.
            var groups = all.GroupBy(i => (i.Post.Language, i.Condition)).Select(g => g.OrderBy(i => Sample.Hash(i.Name)).ToList()).ToList();
            var images = Enumerable.Range(0, all.Count).SelectMany(k => groups.Where(g => k < g.Count).Select(g => g[k])).Take(settings.Images).ToList();
            var decoder = new ImageDecoder();
            var decoded = images.Select(i => decoder.Decode(File.ReadAllBytes(i.Path))).ToList();
            var engines = settings.Strategies.Select(s => new TesseractOcr(s.Options)).ToList();
            foreach (var engine in engines)
            {
                await engine.ReadAsync(decoded[0]); // warm-up: the probe and the page cache
            }

            var times = settings.Strategies.Select(_ => new List<(BenchImage Image, double Ms)>()).ToList();
            for (int round = 0; round < settings.Rounds; round++)
            {
                for (int i = 0; i < images.Count; i++)
                {
                    for (int k = 0; k < engines.Count; k++)
                    {
                        int s = (i + k + round) % engines.Count;
                        var (_, ms) = await Images.TimedReadAsync(engines[s], decoded[i], CancellationToken.None);
                        times[s].Add((images[i], ms));
                    }

                    if ((i + 1) % 10 == 0)
                    {
                        Console.Error.Write($"\rround {round + 1}: {i + 1}/{images.Count}   ");
                    }
                }
            }

            Console.Error.WriteLine();
            Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Setup.Machine()}; `{settings.Command}`");
            Console.WriteLine($"{images.Count} images ({string.Join(", ", images.GroupBy(i => i.Post.Language).Select(g => $"{g.Key} {g.Count()}"))}; conditions {string.Join(", ", settings.Conditions).ToLowerInvariant()}), {settings.Rounds} round(s), one image at a time");
            Console.WriteLine();
            Console.WriteLine("| strategy | mean ms | median ms | p90 ms | English | French | Arabic |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            for (int s = 0; s < engines.Count; s++)
            {
                var ms = times[s].Select(t => t.Ms).Order().ToList();
                string Mean(string language) => times[s].Where(t => t.Image.Post.Language == language).Select(t => t.Ms).DefaultIfEmpty(double.NaN).Average().ToString("F0", CultureInfo.InvariantCulture);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| `{settings.Strategies[s].Name}` | {ms.Average():F0} | {ms[ms.Count / 2]:F0} | {ms[(int)(ms.Count * 0.9)]:F0} | {Mean("en")} | {Mean("fr")} | {Mean("ar")} |"));
            }

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
}
