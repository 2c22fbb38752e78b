using System.Globalization;
using Vigil.Ocr.Bench;

// OCR quality benchmark (docs/quality/ocr.md) and OCR time per image (docs/benchmarks.md). See README.md.
//   dotnet run -c Release --project bench/Vigil.Ocr.Bench -- [options]          quality report
//   dotnet run -c Release --project bench/Vigil.Ocr.Bench -- timing [options]   time per image, one image at a time
//   dotnet run -c Release --project bench/Vigil.Ocr.Bench -- posts [options]    detection F1 on OCR text of dev posts against the same posts as text
try
{
    var settings = Settings.Parse(args);
    return settings.Timing ? await Timing.RunAsync(settings) : settings.Posts ? await PostsRun.RunAsync(settings) : await Quality.RunAsync(settings);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"vigil-ocr-bench: {e.Message}");
    Console.Error.WriteLine(Settings.Usage);
    return 2;
}

namespace Vigil.Ocr.Bench
{
    /// <summary>Command-line settings.</summary>
    internal sealed record Settings(
        bool Timing,
        string RepositoryRoot,
        int PerLanguage,
        IReadOnlyList<Strategy> Strategies,
        IReadOnlyList<Strategy> Downscale,
        int LargeLeaflets,
        IReadOnlyList<Condition> Conditions,
        IReadOnlyList<string> Languages,
        int Parallel,
        string Work,
        bool Keep,
        string Output,
        int Images,
        int Rounds,
        string Command)
    {
        /// <summary>The dev-posts mode (<see cref="PostsRun"/>).</summary>
        public bool Posts { get; init; }

        /// <summary>Dev posts per language (posts mode).</summary>
        public int PostsPerLanguage { get; init; } = 200;

        /// <summary>Posts per language also read in the conditions other than clean (posts mode): the first of the sample.</summary>
        public int DegradedPosts { get; init; } = 100;

        /// <summary>The labelled data (posts mode): the folder holding the catalogue's sets.</summary>
        public string SharedData { get; init; } = "";

        public const string Usage = """
            usage: Vigil.Ocr.Bench [timing|posts] [--leaflets N] [--strategies a,b] [--downscale a,b|none] [--large-leaflets N] [--conditions clean,small,rotated,noise,photo,large]
                                   [--languages en,fr,ar] [--parallel N] [--work DIR] [--keep] [--output FILE] [--images N] [--rounds N]
                                   posts: [--posts N] [--degraded N] [--strategies one] [--conditions clean,photo] [--languages en,fr,ar] [--data DIR] [--parallel N] [--work DIR] [--keep] [--output FILE]
            """;

        public static Settings Parse(string[] args)
        {
            string root = RepositoryRootFrom(Environment.CurrentDirectory);
            bool timing = args.Length > 0 && args[0] == "timing";
            bool posts = args.Length > 0 && args[0] == "posts";
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            bool keep = false;
            for (int i = timing || posts ? 1 : 0; i < args.Length; i++)
            {
                if (args[i] == "--keep")
                {
                    keep = true;
                }
                else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
                {
                    values[args[i][2..]] = args[++i];
                }
                else
                {
                    throw new ArgumentException($"unexpected argument '{args[i]}'");
                }
            }

            string Get(string key, string fallback) => values.Remove(key, out var v) ? v : fallback;
            int Int(string key, int fallback) => int.TryParse(Get(key, fallback.ToString(CultureInfo.InvariantCulture)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n : throw new ArgumentException($"--{key} wants a positive number");

            string downscale = Get("downscale", "default+max0,default+max8000000,default+max2000000,default+max1000000");
            var settings = new Settings(
                timing,
                root,
                Int("leaflets", 12),
                [.. Get("strategies", posts ? "default" : "combined,default").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Strategy.Parse)],
                downscale == "none" ? [] : [.. downscale.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Strategy.Parse)],
                Int("large-leaflets", 6),
                [.. Get("conditions", posts ? "clean,photo" : "clean,small,rotated,noise,photo").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(c => Enum.TryParse<Condition>(c, ignoreCase: true, out var parsed) ? parsed : throw new ArgumentException($"unknown condition '{c}'"))],
                [.. Get("languages", "en,fr,ar").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(l => l is "en" or "fr" or "ar" ? l : throw new ArgumentException($"unknown language '{l}' (en, fr, ar)"))],
                Int("parallel", 2),
                Path.GetFullPath(Get("work", Path.Combine(Path.GetTempPath(), "vigil-ocr-bench"))),
                keep,
                Path.GetFullPath(Get("output", Path.Combine(root, "docs", "quality", "ocr.md"))),
                Int("images", 150),
                Int("rounds", 1),
                Shown(args))
            {
                Posts = posts,
                PostsPerLanguage = Int("posts", 200),
                DegradedPosts = Int("degraded", 100),
                SharedData = Path.GetFullPath(Get("data", Vigil.Training.Data.DatasetCatalogue.DefaultRoot())),
            };
            if (posts && settings.Strategies.Count != 1)
            {
                throw new ArgumentException("posts: --strategies takes one strategy");
            }

            if (posts && !settings.Conditions.Contains(Condition.Clean))
            {
                throw new ArgumentException("posts: --conditions must include clean (every post is read clean; the others on the first --degraded posts)");
            }
            if (!posts && settings.Downscale.Count > 0 && !settings.Strategies.Any(s => s.Name == "default"))
            {
                throw new ArgumentException("--downscale compares with the default strategy: add it to --strategies, or give --downscale none");
            }

            if (values.Count > 0)
            {
                throw new ArgumentException($"unknown option --{values.Keys.First()}");
            }

            if (settings.Work.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new ArgumentException("--work must be outside the repository: rendered images are never kept in it");
            }

            return settings;
        }

        /// <summary>The command as the report shows it: without the options that only say where files go.</summary>
        private static string Shown(string[] args)
        {
            var shown = new List<string> { "bench/ocr.sh" };
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] is "--work" or "--output" or "--data")
                {
                    i++;
                }
                else if (args[i] != "--keep")
                {
                    shown.Add(args[i]);
                }
            }

            return string.Join(' ', shown);
        }

        private static string RepositoryRootFrom(string directory)
        {
            for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new ArgumentException("run from inside the Vigil repository");
        }
    }
}
