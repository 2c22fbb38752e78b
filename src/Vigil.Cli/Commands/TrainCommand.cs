using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Spectre.Console;
using Vigil.Core;
using Vigil.Text;
using Vigil.Text.Classification;
using Vigil.Text.Data;
using Vigil.Text.Normalization;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil train</c>: fits the linear text model on the train splits, tunes the policy thresholds on the dev
/// splits, and writes <c>model/text-linear.bin</c>, <c>model/model.json</c> and <c>policy.json</c>.
/// </summary>
internal static class TrainCommand
{
    /// <summary>Precision the violating threshold of terrorism categories aims for on the dev split.</summary>
    public const double ViolatingPrecision = 0.9;

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    public static Command Create()
    {
        var datasets = CommonOptions.SharedData();
        var output = new Option<string?>("--output", "-o") { Description = "Data folder to write model/ and policy.json into. Default: the repository's data/." };
        var bits = new Option<int>("--bits") { Description = "log2 of the number of feature hash buckets.", DefaultValueFactory = _ => 18 };
        var l2 = new Option<double>("--l2") { Description = "L2 regularisation strength.", DefaultValueFactory = _ => 1e-5 };
        var command = new Command("train", "Train the text classifier from the labelled datasets and tune the default policy's thresholds.")
        {
            datasets, output, bits, l2,
        };
        command.SetAction((result, cancellationToken) => Task.FromResult(Run(
            result.GetValue(datasets)!, result.GetValue(output) ?? TextResources.RepositoryDirectory(), result.GetValue(bits), result.GetValue(l2), cancellationToken)));
        return command;
    }

    private static int Run(string datasets, string output, int bits, double l2, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        if (bits is < 12 or > 24)
        {
            console.MarkupLine("[red]vigil train:[/] --bits must be between 12 and 24.");
            return ExitCodes.Usage;
        }

        var stopwatch = Stopwatch.StartNew();
        IReadOnlyList<LabelledPost> train, dev;
        try
        {
            train = [.. LabelledData.KnownSets.SelectMany(s => LabelledData.Load(datasets, s, "train"))];
            dev = [.. LabelledData.KnownSets.SelectMany(s => LabelledData.Load(datasets, s, "dev"))];
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]vigil train:[/] cannot read the datasets in '{datasets}': {e.Message}");
            return ExitCodes.Fatal;
        }

        console.MarkupLineInterpolated($"training on {train.Count:N0} posts from {datasets}");
        var options = new TrainerOptions(new FeatureOptions(bits), l2);
        var model = new TextModelTrainer(options).Train(train, line => console.MarkupLineInterpolated($"  {line}"), cancellationToken);

        // Score the dev splits with the stored (quantised) weights, exactly as they will be used.
        Directory.CreateDirectory(Path.Combine(output, "model"));
        string modelPath = Path.Combine(output, TextResources.ModelFile);
        using (var stream = File.Create(modelPath))
        {
            model.Save(stream);
        }

        using (var stream = File.OpenRead(modelPath))
        {
            model = LinearModel.Load(stream);
        }

        var scores = Score(model, dev);
        var tuning = Tune(dev, scores, model);
        foreach (var line in tuning.Report)
        {
            console.MarkupLineInterpolated($"  {line}");
        }

        var policy = new Policy(
            $"default-{DateTime.UtcNow:yyyy-MM-dd}",
            Taxonomy.All.ToDictionary(
                c => c.Id,
                c => c.IsTerrorism ? new CategoryThresholds(tuning.TerrorismReview, tuning.TerrorismViolating) : new CategoryThresholds(tuning.HateReview, tuning.HateViolating)),
            new Dictionary<ContentContext, ContextRule>
            {
                [ContentContext.News] = new(Review: 0.95, AllowViolating: false),
                [ContentContext.Research] = new(Review: 0.95, AllowViolating: false),
                [ContentContext.CounterSpeech] = new(Review: 0.9, AllowViolating: false),
            });
        File.WriteAllText(Path.Combine(output, Engine.PolicyFileName), policy.ToJson() + "\n");

        var card = new
        {
            format = "VIGIL-LINEAR-1",
            trained_on = DateTime.UtcNow.ToString("yyyy-MM-dd"),
            heads = model.Heads,
            features = new { bits, min_char_gram = options.Features.MinCharGram, max_char_gram = options.Features.MaxCharGram, word_bigrams = options.Features.WordBigrams },
            l2,
            training_rows = train.GroupBy(p => p.Set).ToDictionary(g => g.Key, g => g.Count()),
            used_for_heads = new Dictionary<string, string[]>
            {
                ["terrorism"] = ["isis-tweets-labelled (extremist=1, none=0)", "every other set except isis-accounts (negatives, weight 0.5)"],
                ["hate"] = ["stormfront, davidson, mlma-en, mlma-fr, mlma-ar, l-hsab (hate=1, offensive/none=0)", "ag-news (negatives, weight 0.5)"],
                ["news"] = ["ag-news (1) against every other set (0)"],
            },
            thresholds = new { terrorism_review = tuning.TerrorismReview, terrorism_violating = tuning.TerrorismViolating, hate_review = tuning.HateReview, hate_violating = tuning.HateViolating },
            seconds = Math.Round(stopwatch.Elapsed.TotalSeconds, 1),
        };
        File.WriteAllText(Path.Combine(output, "model", "model.json"), JsonSerializer.Serialize(card, IndentedJson) + "\n");
        console.MarkupLineInterpolated($"[green]wrote[/] {modelPath} ({new FileInfo(modelPath).Length / 1024:N0} KiB), model.json and policy.json in {stopwatch.Elapsed.TotalSeconds:F1}s");
        return ExitCodes.Ok;
    }

    internal static float[][] Score(LinearModel model, IReadOnlyList<LabelledPost> posts)
    {
        var scores = new float[posts.Count][];
        Parallel.For(0, posts.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var p = new float[model.Heads.Count];
            model.Predict(TextNormalizer.NormalizeToString(posts[i].Text), p);
            scores[i] = p;
        });
        return scores;
    }

    internal sealed record Tuning(double TerrorismReview, double TerrorismViolating, double HateReview, double HateViolating, IReadOnlyList<string> Report);

    /// <summary>
    /// Review thresholds maximise F1 on the dev splits (terrorism: isis-tweets-labelled; hate: the mean F1 over the
    /// hate sets); violating thresholds are the lowest that reach <see cref="ViolatingPrecision"/> on the same data.
    /// </summary>
    internal static Tuning Tune(IReadOnlyList<LabelledPost> dev, float[][] scores, LinearModel model)
    {
        int terrorismHead = model.HeadIndex("terrorism"), hateHead = model.HeadIndex("hate");
        var report = new List<string>();
        var isis = Enumerable.Range(0, dev.Count).Where(i => dev[i].Set == "isis-tweets-labelled").ToList();
        var truth = isis.Select(i => dev[i].Label == "extremist").ToList();
        var terror = isis.Select(i => (double)scores[i][terrorismHead]).ToList();
        var (terrorismReview, terrorismF1) = BinaryMetrics.BestF1Threshold(truth, terror);
        double terrorismViolating = PrecisionThreshold(truth, terror, ViolatingPrecision, terrorismReview);
        report.Add($"terrorism: review >= {terrorismReview:F3} (dev F1 {terrorismF1:F3}), violating >= {terrorismViolating:F3}");

        string[] hateSets = ["stormfront", "davidson", "mlma-en", "mlma-fr", "mlma-ar", "l-hsab"];
        var bySet = hateSets.Select(set => Enumerable.Range(0, dev.Count).Where(i => dev[i].Set == set).ToList()).ToList();
        double bestMean = -1, hateReview = 0.5;
        for (double t = 0.05; t < 0.95; t += 0.005)
        {
            double mean = bySet.Average(rows => Confusion.Count(
                rows.Select(i => dev[i].Label == "hate").ToList(),
                rows.Select(i => scores[i][hateHead] >= t).ToList()).F1);
            if (mean > bestMean)
            {
                bestMean = mean;
                hateReview = Math.Round(t, 3);
            }
        }

        var hateRows = bySet.SelectMany(r => r).ToList();
        double hateViolating = PrecisionThreshold(
            hateRows.Select(i => dev[i].Label == "hate").ToList(), hateRows.Select(i => (double)scores[i][hateHead]).ToList(), ViolatingPrecision, hateReview);
        report.Add($"hate: review >= {hateReview:F3} (mean dev F1 over {hateSets.Length} sets {bestMean:F3}), violating >= {hateViolating:F3}");
        return new Tuning(Math.Round(terrorismReview, 4), Math.Round(terrorismViolating, 4), hateReview, Math.Round(hateViolating, 4), report);
    }

    /// <summary>The lowest threshold at or above <paramref name="floor"/> at which precision reaches
    /// <paramref name="target"/> with at least a tenth of the positives recalled; else the threshold of the best
    /// precision over that recall.</summary>
    private static double PrecisionThreshold(List<bool> truth, List<double> scores, double target, double floor)
    {
        var curve = BinaryMetrics.PrecisionRecallCurve(truth, scores).Where(p => p.Recall >= 0.1).ToList();
        if (curve.Count == 0)
        {
            return Math.Max(floor, 0.99);
        }

        var reaching = curve.Where(p => p.Precision >= target).ToList();
        double threshold = reaching.Count > 0 ? reaching.Min(p => p.Threshold) : curve.MaxBy(p => p.Precision).Threshold;
        return Math.Max(threshold, floor);
    }
}
