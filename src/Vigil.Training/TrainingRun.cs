using System.Security.Cryptography;
using Vigil.Core;
using Vigil.Text;
using Vigil.Text.Classification;
using Vigil.Text.Embeddings;
using Vigil.Text.Language;
using Vigil.Text.Normalization;
using Vigil.Training.Classification;
using Vigil.Training.Data;
using Vigil.Training.Embeddings;
using Vigil.Training.Embeddings.Tuning;

namespace Vigil.Training;

/// <summary>The posts <c>vigil train</c> learns from (the train splits and Vigil's neutral sentences) and tunes on (the dev splits).</summary>
public sealed record TrainingData(IReadOnlyList<LabelledPost> Train, IReadOnlyList<LabelledPost> Dev)
{
    /// <summary>Every catalogue set's train and dev split under <paramref name="root"/>, with <see cref="NeutralSentences.Religious"/> added to train.</summary>
    /// <exception cref="IOException">A file cannot be read.</exception>
    /// <exception cref="InvalidDataException">A row is not a labelled post.</exception>
    public static TrainingData Load(string root) => new(
        [.. DatasetCatalogue.LoadAll(root, DatasetCatalogue.Train), .. NeutralSentences.Religious],
        DatasetCatalogue.LoadAll(root, DatasetCatalogue.Dev));
}

/// <summary>How <see cref="TrainingRun"/> trains (the options of <c>vigil train</c>).</summary>
/// <param name="Output">The data folder to write <c>model/</c> and <c>policy.json</c> into.</param>
/// <param name="Bits">log2 of the number of feature hash buckets.</param>
/// <param name="L2">L2 regularisation strength of the n-gram model.</param>
/// <param name="Embeddings">Whether to train the embedding stage (else the n-gram model only).</param>
/// <param name="CachePath">The sentence embedding cache; null for the default one of the encoder.</param>
/// <param name="TuneEncoder">Fine-tune MiniLM's top layers first (and store them).</param>
/// <param name="EncoderFrom">A fine-tuned MiniLM ONNX model whose changed layers to store and use.</param>
/// <param name="Seed">Seed of the embedding heads, and of the encoder tuning (41 + seed).</param>
public sealed record TrainingRunOptions(
    string Output,
    int Bits = 18,
    double L2 = 1e-5,
    bool Embeddings = true,
    string? CachePath = null,
    bool TuneEncoder = false,
    string? EncoderFrom = null,
    int Seed = 1);

/// <summary>What <see cref="TrainingRun.Run"/> wrote.</summary>
/// <param name="ModelPath">The n-gram model file.</param>
/// <param name="Elapsed">How long the run took.</param>
public sealed record TrainingRunResult(string ModelPath, TimeSpan Elapsed);

/// <summary>
/// <c>vigil train</c>: fits the n-gram model on the train splits and, with the embedding stage, the embedding heads (on
/// the tuned encoder layers), tunes the policy thresholds on the dev splits, and writes <c>model/text-linear.bin</c>,
/// <c>model/text-embedding.bin</c>, <c>model/model.json</c> and <c>policy.json</c>. Progress goes to <paramref name="log"/>.
/// </summary>
public sealed class TrainingRun(TimeProvider time, Action<string> log)
{
    public TrainingRunResult Run(TrainingData data, TrainingRunOptions run, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        var (train, dev) = (data.Train, data.Dev);
        string output = run.Output;
        var options = new TrainerOptions(new FeatureOptions(run.Bits), run.L2);
        var model = new TextModelTrainer(options).Train(train, line => log($"  {line}"), cancellationToken);

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
        var identifier = new LanguageIdentifier();
        string?[] languages = [.. dev.Select(p => identifier.Identify(p.Text))];
        var scores = Probabilities(devLogits);
        EmbeddingHeads? heads = null;
        string headsPath = Path.Combine(output, TextResources.EmbeddingHeadsFile);
        int embeddedShare = 0;
        TunedLayers? tuned = null;
        string? tunedDigest = null;
        float[][]? withoutEmbeddingScores = null;
        if (run.Embeddings)
        {
            tuned = TunedEncoder(output, run.TuneEncoder ? (train, dev) : null, run.EncoderFrom, run.Seed, cancellationToken);
            tunedDigest = tuned?.Digest();
            string cachePath = run.CachePath ?? EmbeddingCache.DefaultPath(tunedDigest);
            var cache = EmbeddingCache.Open(cachePath);
            log($"embedding stage: {cache.Count:N0} cached sentence embeddings in {cachePath}");
            SentenceEncoder? encoder = null;
            SentenceEncoder Encoder() => encoder ??= SentenceEncoder.Load(threads: Environment.ProcessorCount, tuned: tuned);
            void Progress(int done, int total) => log($"  embedded {done:N0}/{total:N0}");
            var trainEmbeddings = cache.GetOrCompute([.. train.Select(p => TextNormalizer.NormalizeToString(p.Text))], Encoder, Progress, cancellationToken);
            var devEmbeddings = cache.GetOrCompute(devTexts, Encoder, Progress, cancellationToken);
            encoder?.Dispose();
            heads = new EmbeddingHeadsTrainer(options, new EmbeddingTrainerOptions(Seed: run.Seed))
                .Train(train, trainEmbeddings, line => log($"  {line}"), cancellationToken);
            var ngramScores = scores;
            bool[] readable = [.. devTexts.Select(t => SentenceEncoder.Reads(t))];
            heads = heads.WithFallbacks(Fallbacks(model, heads, options, dev, devLogits));
            withoutEmbeddingScores = Stack(model, heads, ngramScores, devLogits, devEmbeddings, readable: new bool[dev.Count]);
            scores = Stack(model, heads, ngramScores, devLogits, devEmbeddings, readable);
            var provisional = ThresholdTuner.Tune(dev, scores, model.HeadIndex("terrorism"), model.HeadIndex("hate"), languages);
            var screens = Screens(model, heads, dev, ngramScores, scores, provisional, languages);
            heads = heads.WithScreens(screens);
            embeddedShare = (int)Math.Round(100.0 * Enumerable.Range(0, dev.Count).Count(i => readable[i] && heads.All.Any(h => ngramScores[i][model.HeadIndex(h.Name)] >= h.Screen)) / dev.Count);
            log($"  cascade: the embedding stage runs on {embeddedShare}% of dev posts (screens {string.Join(", ", screens.Select(kv => $"{kv.Key} {kv.Value:F4}"))})");
            using var stream = File.Create(headsPath);
            heads.Save(stream);
        }
        else if (File.Exists(headsPath))
        {
            File.Delete(headsPath); // it was fitted to the previous n-gram model
        }

        var tuning = ThresholdTuner.Tune(dev, scores, model.HeadIndex("terrorism"), model.HeadIndex("hate"), languages);
        foreach (var line in tuning.Report)
        {
            log($"  {line}");
        }

        // The same tuning for the scores every post gets with the embedding stage off (each stacked head's fallback).
        var tuningWithout = withoutEmbeddingScores is null ? null : ThresholdTuner.Tune(dev, withoutEmbeddingScores, model.HeadIndex("terrorism"), model.HeadIndex("hate"), languages);
        foreach (var line in tuningWithout?.Report ?? [])
        {
            log($"  without the embedding stage, {line}");
        }

        var trainedOn = time.GetUtcNow();
        string tunedPath = Path.Combine(output, TextResources.TunedEncoderFile);
        var policy = new Policy(
            TrainingRecipe.PolicyVersion(trainedOn, ModelDigest(modelPath, heads is null ? null : headsPath, tuned is null ? null : tunedPath)),
            tuning.Categories(),
            TrainingRecipe.ContextRules)
        {
            Languages = tuning.Languages(),
            WithoutEmbeddings = tuningWithout is null ? null : new PolicyThresholds(tuningWithout.Categories(), tuningWithout.Languages()),
        };
        File.WriteAllText(Path.Combine(output, TextResources.PolicyFile), policy.ToJson() + "\n");

        string cardPath = Path.Combine(output, CardFile);
        var card = new ModelCard(
            ModelCard.FormatName,
            trainedOn.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            model.Heads,
            new ModelCard.FeatureCard(run.Bits, options.Features.MinCharGram, options.Features.MaxCharGram, options.Features.WordBigrams),
            run.L2,
            train.GroupBy(p => p.Set).ToDictionary(g => g.Key, g => g.Count()),
            TrainingRecipe.HeadSources(options),
            heads is null ? null : new ModelCard.EmbeddingStageCard(
                TrainingRecipe.EmbeddingModel,
                tuned is null ? null : new ModelCard.TunedLayersCard(
                    TextResources.TunedEncoderFile,
                    tunedDigest!,
                    tuned.Tensors.Count,
                    tuned.Parameters,
                    run.TuneEncoder ? TrainingRecipe.TunedByVigil : run.EncoderFrom is not null ? TrainingRecipe.TunedElsewhere : ModelCard.PreviousMaker(cardPath, tunedDigest)),
                [.. heads.All.Select(h => new ModelCard.HeadCard(h.Name, h.Mlp.Hidden, new ModelCard.CombinerCard(h.NgramWeight, h.EmbeddingWeight, h.Bias), h.Screen))],
                embeddedShare),
            ModelCard.ThresholdsCard.From(tuning),
            tuningWithout is null ? null : ModelCard.ThresholdsCard.From(tuningWithout),
            Math.Round(time.GetElapsedTime(started).TotalSeconds, 1));
        File.WriteAllText(cardPath, card.ToJson());
        return new TrainingRunResult(modelPath, time.GetElapsedTime(started));
    }

    /// <summary>The model card in the data folder.</summary>
    public const string CardFile = "model/model.json";

    /// <summary>The fine-tuned encoder layers to train the heads with: tuned now on <paramref name="tuneOn"/>'s train posts
    /// (and stored in the data folder), or taken from <paramref name="encoderFrom"/> (and stored), else the data folder's
    /// own, if any.</summary>
    private TunedLayers? TunedEncoder(
        string output, (IReadOnlyList<LabelledPost> Train, IReadOnlyList<LabelledPost> Dev)? tuneOn, string? encoderFrom, int seed, CancellationToken cancellationToken)
    {
        string path = Path.Combine(output, TextResources.TunedEncoderFile);
        TunedLayers? made = null;
        if (tuneOn is { } posts)
        {
            var options = new EncoderTuningOptions(Seed: 41 + seed, Threads: Environment.ProcessorCount);
            log($"  encoder: fine-tuning MiniLM's layers {options.FirstLayer + 1}-6 (of 6) on {string.Join(", ", TuningTasks.Select(t => t.Name))}");
            made = EncoderTuner.Tune(TuningTaskSplit(posts.Train), TuningTaskSplit(posts.Dev), options, line => log($"    {line}"), cancellationToken);
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

            log($"  encoder: {made.Tensors.Count} tuned tensors ({made.Parameters:N0} parameters) stored in {path}");
            return made;
        }

        var stored = TunedLayers.LoadIfPresent(path);
        if (stored is not null)
        {
            log($"  encoder: tuned layers from {path}");
        }

        return stored;
    }

    /// <summary>The tasks MiniLM's top layers are tuned for: one per terrorism or hate set, its positive label against the rest.</summary>
    internal static IReadOnlyList<Dataset> TuningTasks { get; } =
        [.. DatasetCatalogue.All.Where(d => d.Task == DatasetTask.Terrorism), .. DatasetCatalogue.HateSets];

    private static List<TuningTask> TuningTaskSplit(IReadOnlyList<LabelledPost> posts) =>
    [
        .. TuningTasks.Select(t =>
        {
            var rows = posts.Where(p => p.Set == t.Name).ToList();
            return new TuningTask(t.Name, [.. rows.Select(p => TextNormalizer.NormalizeToString(p.Text))], [.. rows.Select(t.IsPositive)]);
        }),
    ];

    /// <summary>The first 8 hex digits of the SHA-256 of the model files (n-gram model, embedding heads, tuned encoder layers), so that a policy version names the weights it was tuned for.</summary>
    private static string ModelDigest(string modelPath, params string?[] more)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
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
    /// that leans on the embedding then leaves the fallback far too low (terrorism dev F1 0.16 with
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
}
