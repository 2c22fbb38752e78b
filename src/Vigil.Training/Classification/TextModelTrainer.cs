using System.Diagnostics;
using Vigil.Text.Classification;
using Vigil.Text.Normalization;
using Vigil.Training.Data;

namespace Vigil.Training.Classification;

/// <summary>How <see cref="TextModelTrainer"/> builds its heads from the labelled datasets.</summary>
/// <param name="Features">Feature hashing options.</param>
/// <param name="L2">L2 regularisation strength.</param>
/// <param name="AccountsWeight">Weight of the weakly labelled pro-ISIS account tweets as terrorism positives (0 leaves them out).</param>
/// <param name="OutOfDomainNegativeWeight">Weight of rows from other datasets used as negatives for a head.</param>
/// <param name="PositiveBalance">Positive examples are weighted so that they carry this share of the head's in-domain weight (0 = unweighted).</param>
public sealed record TrainerOptions(
    FeatureOptions Features,
    double L2 = 1e-5,
    float AccountsWeight = 0f,
    float OutOfDomainNegativeWeight = 0.5f,
    float PositiveBalance = 0f,
    int MaxIterations = 400);

/// <summary>One training example for one head.</summary>
internal readonly record struct HeadExample(int Row, float Label, float Weight);

/// <summary>
/// Trains Vigil's linear text model from the datasets of <see cref="DatasetCatalogue"/>: a <c>terrorism</c> head
/// (extremist vs not; news, hate and ordinary posts as negatives), a <c>hate</c> head (hate vs offensive or
/// none, across English, French and Arabic sets) and a <c>news</c> head (news articles vs social-media posts,
/// used by the context detector). Deterministic for the same data and options.
/// </summary>
public sealed class TextModelTrainer(TrainerOptions options)
{
    public static readonly string[] Heads = ["terrorism", "hate", "news"];

    public TrainerOptions Options { get; } = options;

    /// <summary>Fits the model on <paramref name="posts"/> (the train splits).</summary>
    public LinearModel Train(IReadOnlyList<LabelledPost> posts, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var rows = Featurize(posts, Options.Features);
        log?.Invoke($"features for {rows.Length} posts in {stopwatch.Elapsed.TotalSeconds:F1}s");

        int buckets = Options.Features.Buckets;
        var weights = new float[buckets * Heads.Length];
        var bias = new float[Heads.Length];
        for (int h = 0; h < Heads.Length; h++)
        {
            var examples = HeadExamples(Heads[h], posts);
            var headRows = examples.Select(e => rows[e.Row]).ToArray();
            var labels = examples.Select(e => e.Label).ToArray();
            var sampleWeights = examples.Select(e => e.Weight).ToArray();
            var (w, b, iterations) = LogisticRegression.Fit(
                headRows, labels, sampleWeights, buckets,
                new LogisticRegression.Options(L2: Options.L2, MaxIterations: Options.MaxIterations),
                cancellationToken);
            for (int j = 0; j < buckets; j++)
            {
                weights[j * Heads.Length + h] = w[j];
            }

            bias[h] = b;
            log?.Invoke($"head {Heads[h]}: {examples.Count} examples ({labels.Count(l => l > 0.5f)} positive), {iterations} iterations, {stopwatch.Elapsed.TotalSeconds:F1}s");
        }

        return new LinearModel(Options.Features, Heads, weights, bias);
    }

    internal static SparseVector[] Featurize(IReadOnlyList<LabelledPost> posts, FeatureOptions features)
    {
        var rows = new SparseVector[posts.Count];
        Parallel.For(0, posts.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, () => (new FeatureHasher(features), new SparseVector()), (i, _, local) =>
        {
            string normalized = TextNormalizer.NormalizeToString(posts[i].Text);
            local.Item1.Extract(normalized, local.Item2);
            rows[i] = local.Item2.Clone();
            return local;
        }, _ => { });
        return rows;
    }

    /// <summary>Which posts train a head, with which label and weight.</summary>
    internal List<HeadExample> HeadExamples(string head, IReadOnlyList<LabelledPost> posts)
    {
        var examples = new List<HeadExample>();
        for (int i = 0; i < posts.Count; i++)
        {
            var post = posts[i];
            // Vigil's own sentences (NeutralSentences) are in no catalogue set: terrorism negatives, like other sets' posts.
            var set = DatasetCatalogue.Find(post.Set);
            (float Label, float Weight)? example = head switch
            {
                "terrorism" => set?.Task switch
                {
                    DatasetTask.Terrorism => (set.IsPositive(post) ? 1f : 0f, 1f),
                    DatasetTask.Accounts => Options.AccountsWeight > 0 ? (1f, Options.AccountsWeight) : null,
                    _ => (0f, Options.OutOfDomainNegativeWeight),
                },
                "hate" => set?.Task switch
                {
                    DatasetTask.Hate => (set.IsPositive(post) ? 1f : 0f, 1f),
                    DatasetTask.News => (0f, Options.OutOfDomainNegativeWeight),
                    _ => null,
                },
                "news" => (set?.Task == DatasetTask.News ? 1f : 0f, 1f),
                _ => throw new ArgumentOutOfRangeException(nameof(head), head, "unknown head"),
            };
            if (example is { } e)
            {
                examples.Add(new HeadExample(i, e.Label, e.Weight));
            }
        }

        if (Options.PositiveBalance > 0)
        {
            double positive = examples.Where(e => e.Label > 0.5f).Sum(e => e.Weight);
            double negative = examples.Where(e => e.Label <= 0.5f).Sum(e => e.Weight);
            float scale = (float)(Options.PositiveBalance / (1 - Options.PositiveBalance) * negative / Math.Max(1e-9, positive));
            scale = Math.Max(1f, scale);
            for (int k = 0; k < examples.Count; k++)
            {
                if (examples[k].Label > 0.5f)
                {
                    examples[k] = examples[k] with { Weight = examples[k].Weight * scale };
                }
            }
        }

        return examples;
    }
}
