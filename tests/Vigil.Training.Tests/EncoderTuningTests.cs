using Microsoft.ML.OnnxRuntime;
using Vigil.Text.Embeddings;
using Vigil.Training.Embeddings.Tuning;

namespace Vigil.Training.Tests;

public sealed class MatrixTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 5, 37)]
    [InlineData(9, 33, 16)]
    [InlineData(130, 70, 50)]
    public void Products_match_the_schoolbook_sum_and_do_not_depend_on_the_thread_count(int m, int k, int n)
    {
        var random = new Random(m + k + n);
        var a = Enumerable.Range(0, m * k).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var start = Enumerable.Range(0, m * n).Select(_ => random.NextSingle()).ToArray();

        var one = (float[])start.Clone();
        var two = (float[])start.Clone();
        Matrix.Multiply(a, b, one, m, k, n, accumulate: true, threads: 1);
        Matrix.Multiply(a, b, two, m, k, n, accumulate: true, threads: 2);
        Assert.Equal(one, two);

        var fresh = new float[m * n];
        Matrix.Multiply(a, b, fresh, m, k, n, accumulate: false, threads: 2);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum += a[(i * k) + p] * b[(p * n) + j];
                }

                Assert.Equal(sum, fresh[(i * n) + j], 1e-4);
                Assert.Equal(sum + start[(i * n) + j], one[(i * n) + j], 1e-4);
            }
        }
    }

    [Fact]
    public void Transpose_swaps_rows_and_columns()
    {
        float[] source = [1, 2, 3, 4, 5, 6];
        var destination = new float[6];
        Matrix.Transpose(source, 2, 3, destination);
        Assert.Equal([1f, 4, 2, 5, 3, 6], destination);
    }
}

public sealed class EncoderLayerTests
{
    private const int Hidden = 8, Heads = 2, Ffn = 12;

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 0.5204998778)]
    [InlineData(1.0, 0.8427007929)]
    [InlineData(-2.0, -0.9953222650)]
    [InlineData(3.5, 0.9999992569)]
    public void The_error_function_is_accurate(double x, double erf) =>
        Assert.Equal(x == 0 ? 0 : erf, EncoderLayer.Erf(x), 6);

    [Fact]
    public void The_gelu_derivative_matches_finite_differences()
    {
        foreach (float x in new[] { -3f, -1f, -0.2f, 0f, 0.4f, 1.5f, 4f })
        {
            double numeric = (EncoderLayer.Gelu(x + 1e-3f) - EncoderLayer.Gelu(x - 1e-3f)) / 2e-3;
            Assert.Equal(numeric, EncoderLayer.GeluDerivative(x), 2);
        }
    }

    /// <summary>
    /// The backward pass against central finite differences of the forward pass, for every parameter tensor and the
    /// input, with dropout on (the same masks each time), on a small random layer and two sequences of different lengths.
    /// </summary>
    [Theory]
    [InlineData(0f)]
    [InlineData(0.2f)]
    public void Gradients_match_finite_differences(float dropout)
    {
        var random = new Random(3);
        var tensors = EncoderLayer.TensorNames.ToDictionary(n => n, n =>
        {
            long[] dims = n switch
            {
                "intermediate.dense.weight" => [Hidden, Ffn],
                "intermediate.dense.bias" => [Ffn],
                "output.dense.weight" => [Ffn, Hidden],
                _ when n.EndsWith(".weight", StringComparison.Ordinal) && !n.Contains("LayerNorm", StringComparison.Ordinal) => [Hidden, Hidden],
                _ => [Hidden],
            };
            int size = (int)dims.Aggregate(1L, (a, b) => a * b);
            float[] values = n.Contains("LayerNorm.weight", StringComparison.Ordinal)
                ? [.. Enumerable.Range(0, size).Select(_ => 1 + ((random.NextSingle() - 0.5f) * 0.4f))]
                : [.. Enumerable.Range(0, size).Select(_ => (random.NextSingle() - 0.5f) * 0.8f)];
            return new Parameter(n, dims, values);
        });
        var layer = new EncoderLayer(Hidden, Heads, Ffn, n => tensors[n]);
        var batch = new Batch([3, 2], Heads);
        var input = Enumerable.Range(0, batch.Tokens * Hidden).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var weights = Enumerable.Range(0, batch.Tokens * Hidden).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var state = new LayerState();

        double Loss()
        {
            layer.Forward(input, batch, state, dropout > 0 ? new Random(11) : null, dropout, threads: 1);
            double loss = 0;
            for (int i = 0; i < weights.Length; i++)
            {
                loss += weights[i] * state.Output[i];
            }

            return loss;
        }

        Loss();
        var inputGradient = new float[input.Length];
        layer.Backward(state, (float[])weights.Clone(), inputGradient, threads: 1);

        void Check(float[] values, float[] analytic, string name)
        {
            for (int i = 0; i < values.Length; i++)
            {
                float saved = values[i];
                const float Step = 1e-2f;
                values[i] = saved + Step;
                double plus = Loss();
                values[i] = saved - Step;
                double minus = Loss();
                values[i] = saved;
                double numeric = (plus - minus) / (2 * Step);
                Assert.True(Math.Abs(numeric - analytic[i]) <= 2e-3 + (0.02 * Math.Abs(numeric)), $"{name}[{i}]: finite difference {numeric:G5}, backward pass {analytic[i]:G5}");
            }
        }

        foreach (var p in layer.Parameters)
        {
            Check(p.Values, p.Gradient, p.Name);
        }

        Check(input, inputGradient, "input");
    }
}

public sealed class EncoderTunerTests
{
    private static readonly Lazy<(byte[] Model, string Vocabulary)> Package = new(() => SentenceEncoder.ReadPackage());

    private static readonly string[] Sentences =
    [
        "The weather is lovely today.",
        "She bought three apples and a loaf of bread at the market.",
        "Trains to the city centre run every fifteen minutes on weekdays.",
        "A quick test.",
        "The committee will publish its annual report on renewable energy next spring, after a public consultation.",
        "Our cat sleeps on the windowsill every afternoon.",
        "The library opens at nine.",
        "He repaired the bicycle with a borrowed spanner.",
    ];

    /// <summary>The managed layers compute what ONNX Runtime computes for the packaged model's top two layers.</summary>
    [Fact]
    public void The_managed_top_layers_reproduce_the_packaged_model()
    {
        var (model, vocabulary) = Package.Value;
        var graph = new MiniLmGraph(model);
        var tokenizer = new FastBertTokenizer.BertTokenizer();
        tokenizer.LoadVocabulary(new StringReader(vocabulary), convertInputToLowercase: true);

        using var session = new InferenceSession(graph.WithLayerInputOutput(4));
        var inputs = new List<float[]>();
        var expected = new List<float[]>();
        foreach (string sentence in Sentences)
        {
            long[] tokens = SentenceEncoder.Tokenize(tokenizer, sentence);
            using var outputs = session.Run(SentenceEncoder.Inputs([tokens], [0]).Inputs);
            inputs.Add(outputs.First(o => o.Name == graph.LayerInput(4)).AsTensor<float>().ToArray());
            var last = outputs.First(o => o.Name == "last_hidden_state").AsTensor<float>().ToArray();
            var pooled = new float[MiniLmGraph.Hidden];
            for (int j = 0; j < tokens.Length; j++)
            {
                for (int d = 0; d < pooled.Length; d++)
                {
                    pooled[d] += last[(j * pooled.Length) + d] / tokens.Length;
                }
            }

            expected.Add(pooled);
        }

        var managed = EncoderTuner.Pool(new TrainableLayers(graph, 4), inputs, threads: 2);
        for (int s = 0; s < Sentences.Length; s++)
        {
            for (int d = 0; d < MiniLmGraph.Hidden; d++)
            {
                Assert.Equal(expected[s][d], managed[s][d], 1e-4);
            }
        }
    }

    [Fact]
    public void Tuning_changes_only_the_trained_layers_and_gives_the_same_result_on_one_thread_or_two()
    {
        var (model, vocabulary) = Package.Value;
        var task = new TuningTask("toy", Sentences, [.. Sentences.Select(s => s.Length % 2 == 0)]);
        var lines = new List<string>();
        TunedLayers Run(int threads) =>
            EncoderTuner.Tune(model, vocabulary, [task], [task], new EncoderTuningOptions(FirstLayer: 5, Epochs: 2, BatchSize: 4, Threads: threads), lines.Add, CancellationToken.None);

        var one = Run(1);
        var two = Run(2);
        Assert.Equal(16, one.Tensors.Count);
        var graph = new MiniLmGraph(model);
        Assert.All(one.Tensors, t => Assert.Contains(t.Name, EncoderLayer.TensorNames.Select(n => graph.OnnxName(MiniLmGraph.LayerTensor(5, n)))));
        Assert.Equal(Bytes(one), Bytes(two));
        Assert.Contains(lines, l => l.StartsWith("epoch 2:", StringComparison.Ordinal) && l.Contains("toy AP", StringComparison.Ordinal));

        // The tuned tensors moved, and the patched model loads and encodes.
        var before = graph.Parameter(MiniLmGraph.LayerTensor(5, "output.dense.weight")).Values;
        var after = one.Tensors.First(t => t.Name == graph.OnnxName(MiniLmGraph.LayerTensor(5, "output.dense.weight"))).Values;
        Assert.Contains(Enumerable.Range(0, before.Length), i => Math.Abs(before[i] - (float)after[i]) > 1e-4);
        using var encoder = SentenceEncoder.Load(tuned: one);
        Assert.Equal(SentenceEncoder.Dimensions, encoder.Encode("A quick test.").Length);
    }

    private static byte[] Bytes(TunedLayers layers)
    {
        using var memory = new MemoryStream();
        layers.Save(memory);
        return memory.ToArray();
    }
}
