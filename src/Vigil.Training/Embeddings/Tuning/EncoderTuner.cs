using System.Diagnostics;
using System.Numerics.Tensors;
using FastBertTokenizer;
using Vigil.Core;
using Vigil.Text.Embeddings;

namespace Vigil.Training.Embeddings.Tuning;

/// <summary>One binary task to tune the encoder for: texts (normalised, as Vigil encodes them) and whether each is positive.</summary>
public sealed record TuningTask(string Name, IReadOnlyList<string> Texts, IReadOnlyList<bool> Labels);

/// <summary>How <see cref="EncoderTuner"/> trains. The defaults are the recipe of the shipped layers.</summary>
/// <param name="FirstLayer">Layers below it (and the embeddings) stay frozen; their output is computed once.</param>
/// <param name="Threads">Threads of the matrix products (the result does not depend on it).</param>
public sealed record EncoderTuningOptions(
    int FirstLayer = 4,
    int Epochs = 2,
    double LearningRate = 1e-4,
    double HeadLearningRate = 1e-3,
    double WeightDecay = 0.01,
    double Warmup = 0.1,
    int BatchSize = 32,
    float Dropout = 0.1f,
    double MaxGradientNorm = 1.0,
    int Seed = 42,
    int Threads = 2);

/// <summary>
/// Fine-tunes the top layers of the packaged MiniLM on several binary tasks at once (one logistic head per task over the
/// mean-pooled last hidden state; binary cross-entropy with the positives weighted by √(negatives/positives); AdamW with
/// a linear warm-up and decay; dropout as in BERT), in managed code: the frozen layers run once through ONNX Runtime, the
/// trained ones through <see cref="EncoderLayer"/>. Deterministic for a seed, whatever the thread count. The result is
/// the changed tensors, as <see cref="TunedLayers"/>.
/// </summary>
public static class EncoderTuner
{
    private const int H = MiniLmGraph.Hidden;

    /// <param name="dev">Tasks scored after each epoch, to report (not used to train); may be empty.</param>
    public static TunedLayers Tune(
        IReadOnlyList<TuningTask> train, IReadOnlyList<TuningTask> dev, EncoderTuningOptions options, Action<string> log, CancellationToken cancellationToken = default)
    {
        var (model, vocabulary) = SentenceEncoder.ReadPackage();
        return Tune(model, vocabulary, train, dev, options, log, cancellationToken);
    }

    internal static TunedLayers Tune(
        byte[] baseModel, string vocabulary, IReadOnlyList<TuningTask> train, IReadOnlyList<TuningTask> dev, EncoderTuningOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        if (options.FirstLayer is < 0 or >= MiniLmGraph.Layers)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"The first trained layer must be between 0 and {MiniLmGraph.Layers - 1}.");
        }

        if (train.Concat(dev).FirstOrDefault(t => t.Texts.Count != t.Labels.Count) is { } uneven)
        {
            throw new ArgumentException($"Task '{uneven.Name}' has {uneven.Texts.Count} texts but {uneven.Labels.Count} labels.", nameof(train));
        }

        var stopwatch = Stopwatch.StartNew();
        var graph = new MiniLmGraph(baseModel);
        var tokenizer = new BertTokenizer();
        using (var reader = new StringReader(vocabulary))
        {
            tokenizer.LoadVocabulary(reader, convertInputToLowercase: true);
        }

        // Examples: every train text, its task and label; positives weighted by √(negatives/positives) of their task.
        var examples = new List<(int Task, bool Label)>();
        var trainTexts = new List<string>();
        var positiveWeights = new float[train.Count];
        for (int t = 0; t < train.Count; t++)
        {
            int positives = train[t].Labels.Count(l => l), negatives = train[t].Labels.Count - positives;
            positiveWeights[t] = positives > 0 ? MathF.Sqrt((float)negatives / positives) : 1f;
            trainTexts.AddRange(train[t].Texts);
            examples.AddRange(train[t].Labels.Select(l => (t, l)));
            log($"task {train[t].Name}: {train[t].Texts.Count:N0} posts ({positives:N0} positive, weight {positiveWeights[t]:F2})");
        }

        var frozen = new FrozenLayers(graph, options.FirstLayer, tokenizer, options.Threads);
        var inputs = frozen.Run(trainTexts, done => log($"frozen layers: {done:N0}/{trainTexts.Count:N0} train posts"), cancellationToken);
        var devInputs = dev.Select(d => frozen.Run(d.Texts, null, cancellationToken)).ToList();
        log($"frozen layers 0-{options.FirstLayer - 1} run once on {trainTexts.Count + dev.Sum(d => d.Texts.Count):N0} posts in {stopwatch.Elapsed.TotalSeconds:F0}s");

        var encoder = new TrainableLayers(graph, options.FirstLayer);
        var random = new Random(options.Seed);
        var head = new Parameter("head.weight", [H, train.Count], [.. Enumerable.Range(0, H * train.Count).Select(_ => 0.02f * Gaussian(random))]);
        var headBias = new Parameter("head.bias", [train.Count], new float[train.Count]);
        Parameter[] encoderParameters = [.. encoder.Parameters];
        Parameter[] headParameters = [head, headBias];

        int stepsPerEpoch = Batches(inputs, options.BatchSize, new Random(0)).Count;
        int total = stepsPerEpoch * options.Epochs, warm = (int)(total * options.Warmup), step = 0;
        var pass = new Pass(encoder, train.Count);
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var epochWatch = Stopwatch.StartNew();
            double lossSum = 0;
            int batches = 0;
            foreach (var batch in Batches(inputs, options.BatchSize, random))
            {
                cancellationToken.ThrowIfCancellationRequested();
                double schedule = step < warm ? (step + 1.0) / warm : Math.Max(0, (total - step) / (double)(total - warm));
                lossSum += pass.Train(batch, inputs, examples, positiveWeights, head, headBias, random, options);
                AdamW.ClipGradients(encoderParameters.Concat(headParameters), options.MaxGradientNorm);
                step++;
                AdamW.Step(encoderParameters, step, options.LearningRate * schedule, options.WeightDecay);
                AdamW.Step(headParameters, step, options.HeadLearningRate * schedule, 0);
                batches++;
                if (batches % 200 == 0)
                {
                    log($"epoch {epoch}: {batches}/{stepsPerEpoch} batches, loss {lossSum / batches:F4}, {epochWatch.Elapsed.TotalSeconds:F0}s");
                }
            }

            var report = new List<string>();
            for (int t = 0; t < dev.Count; t++)
            {
                int task = train.ToList().FindIndex(x => x.Name == dev[t].Name);
                if (task < 0)
                {
                    continue;
                }

                var scores = pass.Score(devInputs[t], head, headBias, task, options.Threads);
                double ap = BinaryMetrics.AveragePrecision(dev[t].Labels, scores);
                var (_, f1) = BinaryMetrics.BestF1Threshold(dev[t].Labels, scores);
                report.Add($"{dev[t].Name} AP {ap:F3} F1 {f1:F3}");
            }

            log($"epoch {epoch}: loss {lossSum / Math.Max(1, batches):F4} in {epochWatch.Elapsed.TotalSeconds:F0}s" + (report.Count > 0 ? $"; dev {string.Join(", ", report)}" : ""));
        }

        return TunedLayers.FromTensors(baseModel, encoderParameters.Select(p => (graph.OnnxName(p.Name), p.Dims, p.Values)));
    }

    /// <summary>The mean-pooled (not normalised) top hidden states for the inputs of the first trained layer: for tests and checks.</summary>
    internal static float[][] Pool(TrainableLayers encoder, IReadOnlyList<float[]> inputs, int threads)
    {
        var pass = new Pass(encoder, 1);
        return pass.Pooled(inputs, threads);
    }

    /// <summary>Length-bucketed batches: shuffled, cut into pools of 50 batches, each pool sorted by length and batched, the batches shuffled.</summary>
    internal static List<int[]> Batches(IReadOnlyList<float[]> inputs, int size, Random random)
    {
        int[] order = [.. Enumerable.Range(0, inputs.Count)];
        random.Shuffle(order);
        var batches = new List<int[]>();
        int pool = size * 50;
        for (int start = 0; start < order.Length; start += pool)
        {
            int[] sorted = [.. order.Skip(start).Take(pool).OrderBy(i => inputs[i].Length)];
            for (int b = 0; b < sorted.Length; b += size)
            {
                batches.Add(sorted[b..Math.Min(sorted.Length, b + size)]);
            }
        }

        var shuffled = batches.ToArray();
        random.Shuffle(shuffled);
        return [.. shuffled];
    }

    private static float Gaussian(Random random)
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    /// <summary>Forward and backward passes of the trained layers and the task heads over one batch.</summary>
    private sealed class Pass(TrainableLayers encoder, int tasks)
    {
        private readonly LayerState[] _states = [.. encoder.Layers.Select(_ => new LayerState())];
        private float[] _input = [], _gradient = [], _lowerGradient = [];

        /// <summary>Adds the batch's gradients to the parameters; returns its mean loss.</summary>
        public double Train(
            int[] batch, IReadOnlyList<float[]> inputs, List<(int Task, bool Label)> examples, float[] positiveWeights,
            Parameter head, Parameter headBias, Random random, EncoderTuningOptions options)
        {
            var top = Forward(batch, inputs, random, options.Dropout, options.Threads);
            var shape = _states[^1].Batch;
            float keep = 1 - options.Dropout;
            var pooled = new float[H];
            var mask = new float[H];
            var dPooled = new float[H];
            Array.Clear(_gradient, 0, shape.Tokens * H);
            double loss = 0;
            for (int s = 0; s < batch.Length; s++)
            {
                var (task, label) = examples[batch[s]];
                int length = shape.Lengths[s];
                MeanPool(top, shape.Starts[s], length, pooled);
                for (int d = 0; d < H; d++)
                {
                    mask[d] = random.NextSingle() < keep ? 1 / keep : 0f;
                    pooled[d] *= mask[d];
                }

                float logit = headBias.Values[task];
                for (int d = 0; d < H; d++)
                {
                    logit += pooled[d] * head.Values[(d * tasks) + task];
                }

                float y = label ? 1f : 0f, weight = label ? positiveWeights[task] : 1f;
                loss += weight * (Math.Max(logit, 0) - (logit * y) + Math.Log(1 + Math.Exp(-Math.Abs(logit))));
                float dLogit = weight * (Sigmoid(logit) - y) / batch.Length;
                headBias.Gradient[task] += dLogit;
                for (int d = 0; d < H; d++)
                {
                    head.Gradient[(d * tasks) + task] += pooled[d] * dLogit;
                    dPooled[d] = dLogit * head.Values[(d * tasks) + task] * mask[d] / length;
                }

                for (int j = 0; j < length; j++)
                {
                    var row = _gradient.AsSpan((shape.Starts[s] + j) * H, H);
                    TensorPrimitives.Add(row, dPooled, row);
                }
            }

            Backward(options.Threads);
            return loss / batch.Length;
        }

        /// <summary>Sigmoid of the head's logit for each input, without dropout.</summary>
        public List<double> Score(IReadOnlyList<float[]> inputs, Parameter head, Parameter headBias, int task, int threads)
        {
            var pooled = Pooled(inputs, threads);
            return [.. pooled.Select(p =>
            {
                float logit = headBias.Values[task];
                for (int d = 0; d < H; d++)
                {
                    logit += p[d] * head.Values[(d * tasks) + task];
                }

                return (double)Sigmoid(logit);
            })];
        }

        public float[][] Pooled(IReadOnlyList<float[]> inputs, int threads)
        {
            var result = new float[inputs.Count][];
            int[] order = [.. Enumerable.Range(0, inputs.Count).OrderBy(i => inputs[i].Length)];
            for (int start = 0; start < order.Length; start += 64)
            {
                int[] batch = order[start..Math.Min(order.Length, start + 64)];
                var top = Forward(batch, inputs, null, 0, threads);
                var shape = _states[^1].Batch;
                for (int s = 0; s < batch.Length; s++)
                {
                    var pooled = new float[H];
                    MeanPool(top, shape.Starts[s], shape.Lengths[s], pooled);
                    result[batch[s]] = pooled;
                }
            }

            return result;
        }

        private float[] Forward(int[] batch, IReadOnlyList<float[]> inputs, Random? random, float dropout, int threads)
        {
            var shape = new Batch([.. batch.Select(i => inputs[i].Length / H)], MiniLmGraph.Heads);
            if (_input.Length < shape.Tokens * H)
            {
                int size = Math.Max(shape.Tokens * H, _input.Length * 5 / 4);
                _input = new float[size];
                _gradient = new float[size];
                _lowerGradient = new float[size];
            }

            for (int s = 0; s < batch.Length; s++)
            {
                inputs[batch[s]].CopyTo(_input, shape.Starts[s] * H);
            }

            var x = _input;
            for (int l = 0; l < encoder.Layers.Count; l++)
            {
                encoder.Layers[l].Forward(x, shape, _states[l], random, dropout, threads);
                x = _states[l].Output;
            }

            return x;
        }

        private void Backward(int threads)
        {
            var gradient = _gradient;
            for (int l = encoder.Layers.Count - 1; l >= 0; l--)
            {
                var below = l > 0 ? _lowerGradient : null;
                encoder.Layers[l].Backward(_states[l], gradient, below, threads);
                if (below is not null)
                {
                    (_gradient, _lowerGradient) = (_lowerGradient, _gradient);
                    gradient = _gradient;
                }
            }
        }

        private static void MeanPool(float[] states, int start, int length, float[] pooled)
        {
            Array.Clear(pooled);
            for (int j = 0; j < length; j++)
            {
                TensorPrimitives.Add(pooled, states.AsSpan((start + j) * H, H), pooled);
            }

            TensorPrimitives.Divide(pooled, length, pooled);
        }

        private static float Sigmoid(float x) => 1 / (1 + MathF.Exp(-x));
    }

    /// <summary>The packaged model's layers below the first trained one, run once through ONNX Runtime.</summary>
    private sealed class FrozenLayers(MiniLmGraph graph, int firstLayer, BertTokenizer tokenizer, int threads)
    {
        private const int BatchSize = 32;

        /// <summary>The hidden state entering layer <c>firstLayer</c> for each text: [tokens × 384], real tokens only.</summary>
        public float[][] Run(IReadOnlyList<string> texts, Action<int>? progress, CancellationToken cancellationToken)
        {
            var tokens = texts.Select(t => SentenceEncoder.Tokenize(tokenizer, t)).ToArray();
            var result = new float[texts.Count][];
            string output = graph.LayerInput(firstLayer);
            using var session = SentenceEncoder.CreateSession(graph.WithLayerInputOutput(firstLayer), threads);
            int[] order = [.. Enumerable.Range(0, texts.Count).OrderBy(i => tokens[i].Length)];
            for (int start = 0; start < order.Length; start += BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int[] batch = order[start..Math.Min(order.Length, start + BatchSize)];
                var (inputs, length) = SentenceEncoder.Inputs(tokens, batch);
                using var outputs = session.Run(inputs, [output]);
                var hidden = outputs[0].AsTensor<float>().ToArray();
                for (int k = 0; k < batch.Length; k++)
                {
                    result[batch[k]] = hidden.AsSpan(k * length * H, tokens[batch[k]].Length * H).ToArray();
                }

                if (progress is not null && (start / BatchSize) % 200 == 199)
                {
                    progress(start + batch.Length);
                }
            }

            return result;
        }
    }
}

/// <summary>The encoder layers being trained, from the first trained one to the top, over copies of the model's tensors.</summary>
internal sealed class TrainableLayers
{
    public TrainableLayers(MiniLmGraph graph, int firstLayer)
    {
        var layers = new List<EncoderLayer>();
        var parameters = new List<Parameter>();
        for (int l = firstLayer; l < MiniLmGraph.Layers; l++)
        {
            var tensors = EncoderLayer.TensorNames.ToDictionary(n => n, n => graph.Parameter(MiniLmGraph.LayerTensor(l, n)), StringComparer.Ordinal);
            layers.Add(new EncoderLayer(MiniLmGraph.Hidden, MiniLmGraph.Heads, MiniLmGraph.FeedForward, n => tensors[n]));
            parameters.AddRange(EncoderLayer.TensorNames.Select(n => tensors[n]));
        }

        Layers = layers;
        Parameters = parameters;
    }

    public IReadOnlyList<EncoderLayer> Layers { get; }

    public IReadOnlyList<Parameter> Parameters { get; }
}
