using Vigil.Text.Classification;
using Vigil.Training.Data;

namespace Vigil.Training.Classification;

/// <summary>How the embedding stage is trained.</summary>
/// <param name="Folds">Folds for the out-of-fold predictions the combiner is fitted on.</param>
/// <param name="Hidden">Hidden units of each head's perceptron.</param>
/// <param name="Epochs">Training epochs of each perceptron.</param>
/// <param name="Seed">Seed of the perceptrons' initialisation, shuffling and dropout.</param>
public sealed record EmbeddingTrainerOptions(int Folds = 5, int Hidden = 128, int Epochs = 10, int Seed = 1);

/// <summary>
/// Trains <see cref="EmbeddingHeads"/> for the <c>terrorism</c> and <c>hate</c> heads: a perceptron on the sentence
/// embeddings of each head's examples (the same examples and weights as the n-gram model), and a combiner fitted on
/// out-of-fold logits of both models, so that it learns how far to trust each on posts neither has seen.
/// Deterministic: folds are fixed by position and every model has a fixed seed.
/// </summary>
public sealed class EmbeddingHeadsTrainer(TrainerOptions ngramOptions, EmbeddingTrainerOptions options)
{
    public static readonly string[] StackedHeads = ["terrorism", "hate"];

    public EmbeddingHeads Train(IReadOnlyList<LabelledPost> posts, IReadOnlyList<float[]> embeddings, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var ngram = new TextModelTrainer(ngramOptions);
        var rows = TextModelTrainer.Featurize(posts, ngramOptions.Features);
        var heads = new List<EmbeddingHeads.Head>();
        foreach (var name in StackedHeads)
        {
            var examples = ngram.HeadExamples(name, posts);
            int n = examples.Count;
            var labels = examples.Select(e => e.Label).ToArray();
            var weights = examples.Select(e => e.Weight).ToArray();
            var inputs = examples.Select(e => embeddings[e.Row]).ToArray();
            var oofNgram = new float[n];
            var oofMlp = new float[n];
            for (int fold = 0; fold < options.Folds; fold++)
            {
                var fit = Enumerable.Range(0, n).Where(i => i % options.Folds != fold).ToArray();
                var held = Enumerable.Range(0, n).Where(i => i % options.Folds == fold).ToArray();
                var (w, b, _) = LogisticRegression.Fit(
                    [.. fit.Select(i => rows[examples[i].Row])], [.. fit.Select(i => labels[i])], [.. fit.Select(i => weights[i])],
                    ngramOptions.Features.Buckets, new LogisticRegression.Options(L2: ngramOptions.L2, MaxIterations: ngramOptions.MaxIterations), cancellationToken);
                var mlp = MlpTrainer.Create(inputs[0].Length, options.Hidden, options.Seed + fold);
                MlpTrainer.Train(mlp, [.. fit.Select(i => inputs[i])], [.. fit.Select(i => labels[i])], [.. fit.Select(i => weights[i])], new MlpTrainer.Options(options.Epochs, Seed: options.Seed + fold), cancellationToken);
                foreach (int i in held)
                {
                    var row = rows[examples[i].Row];
                    float z = b;
                    for (int k = 0; k < row.Count; k++)
                    {
                        z += w[row.Indices[k]] * row.Values[k];
                    }

                    oofNgram[i] = z;
                    oofMlp[i] = mlp.Logit(inputs[i]);
                }

                log?.Invoke($"{name}: fold {fold + 1}/{options.Folds}");
            }

            var stackRows = Enumerable.Range(0, n).Select(i => new SparseVector { Indices = [0, 1], Values = [oofNgram[i], oofMlp[i]], Count = 2 }).ToArray();
            var (stack, stackBias, _) = LogisticRegression.Fit(stackRows, labels, weights, 2, new LogisticRegression.Options(L2: 1e-6), cancellationToken);
            var full = MlpTrainer.Create(inputs[0].Length, options.Hidden, options.Seed);
            MlpTrainer.Train(full, inputs, labels, weights, new MlpTrainer.Options(options.Epochs, Seed: options.Seed), cancellationToken);
            // Without the embedding, its logit is taken as the line that best predicts it from the n-gram logit:
            // σ(a·x + e·(slope·x + intercept) + c). vigil train replaces this with a fit on the dev posts.
            var (slope, intercept) = WeightedLine(oofNgram, oofMlp, weights);
            heads.Add(new EmbeddingHeads.Head(
                name, full, stack[0], stack[1], stackBias, Screen: 0, stack[0] + (stack[1] * slope), stackBias + (stack[1] * intercept)));
            log?.Invoke($"{name}: combiner {stack[0]:F2} × n-gram + {stack[1]:F2} × embedding + {stackBias:F2}");
        }

        return new EmbeddingHeads(heads);
    }

    /// <summary>Weighted least-squares line y ≈ slope · x + intercept.</summary>
    private static (float Slope, float Intercept) WeightedLine(float[] x, float[] y, float[] w)
    {
        double sw = 0, sx = 0, sy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sw += w[i];
            sx += w[i] * x[i];
            sy += w[i] * y[i];
        }

        double mx = sx / sw, my = sy / sw, sxx = 0, sxy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxx += w[i] * (x[i] - mx) * (x[i] - mx);
            sxy += w[i] * (x[i] - mx) * (y[i] - my);
        }

        double slope = sxx > 0 ? sxy / sxx : 0;
        return ((float)slope, (float)(my - (slope * mx)));
    }
}
