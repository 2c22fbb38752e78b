using System.Numerics.Tensors;

namespace Vigil.Training.Embeddings.Tuning;

/// <summary>
/// One BERT encoder layer (post-LayerNorm, as all-MiniLM-L6-v2): multi-head self-attention, then a GELU feed-forward
/// block, each with dropout, a residual connection and LayerNorm; forward and backward passes for fine-tuning. A batch
/// is the tokens of several sequences one after another (<see cref="Batch"/>), with no padding: attention stays within
/// each sequence, which is what ONNX Runtime computes for a padded batch with its attention mask.
/// </summary>
internal sealed class EncoderLayer
{
    private const float NormEpsilon = 1e-12f;

    private readonly int _hidden, _heads, _headSize, _ffn;
    private readonly Parameter _query, _queryBias, _key, _keyBias, _value, _valueBias, _attentionOut, _attentionOutBias;
    private readonly Parameter _attentionNorm, _attentionNormBias, _intermediate, _intermediateBias, _output, _outputBias, _outputNorm, _outputNormBias;

    /// <param name="parameter">The layer's tensors by their BERT name within the layer (<c>attention.self.query.weight</c>, …).</param>
    public EncoderLayer(int hidden, int heads, int ffn, Func<string, Parameter> parameter)
    {
        _hidden = hidden;
        _heads = heads;
        _headSize = hidden / heads;
        _ffn = ffn;
        Parameter Get(string name, params long[] dims)
        {
            var p = parameter(name);
            if (!p.Dims.SequenceEqual(dims))
            {
                throw new InvalidDataException($"'{p.Name}' has shape [{string.Join(", ", p.Dims)}], not [{string.Join(", ", dims)}].");
            }

            return p;
        }

        _query = Get("attention.self.query.weight", hidden, hidden);
        _queryBias = Get("attention.self.query.bias", hidden);
        _key = Get("attention.self.key.weight", hidden, hidden);
        _keyBias = Get("attention.self.key.bias", hidden);
        _value = Get("attention.self.value.weight", hidden, hidden);
        _valueBias = Get("attention.self.value.bias", hidden);
        _attentionOut = Get("attention.output.dense.weight", hidden, hidden);
        _attentionOutBias = Get("attention.output.dense.bias", hidden);
        _attentionNorm = Get("attention.output.LayerNorm.weight", hidden);
        _attentionNormBias = Get("attention.output.LayerNorm.bias", hidden);
        _intermediate = Get("intermediate.dense.weight", hidden, ffn);
        _intermediateBias = Get("intermediate.dense.bias", ffn);
        _output = Get("output.dense.weight", ffn, hidden);
        _outputBias = Get("output.dense.bias", hidden);
        _outputNorm = Get("output.LayerNorm.weight", hidden);
        _outputNormBias = Get("output.LayerNorm.bias", hidden);
    }

    /// <summary>Names of a layer's tensors within the layer, in a fixed order.</summary>
    public static readonly string[] TensorNames =
    [
        "attention.self.query.weight", "attention.self.query.bias", "attention.self.key.weight", "attention.self.key.bias",
        "attention.self.value.weight", "attention.self.value.bias", "attention.output.dense.weight", "attention.output.dense.bias",
        "attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias", "intermediate.dense.weight", "intermediate.dense.bias",
        "output.dense.weight", "output.dense.bias", "output.LayerNorm.weight", "output.LayerNorm.bias",
    ];

    public IReadOnlyList<Parameter> Parameters =>
    [
        _query, _queryBias, _key, _keyBias, _value, _valueBias, _attentionOut, _attentionOutBias,
        _attentionNorm, _attentionNormBias, _intermediate, _intermediateBias, _output, _outputBias, _outputNorm, _outputNormBias,
    ];

    /// <summary>
    /// Runs the layer on <paramref name="input"/> ([tokens × hidden]) and keeps what the backward pass needs in
    /// <paramref name="state"/>; the output is <see cref="LayerState.Output"/>. With <paramref name="dropout"/>, drops
    /// attention probabilities and both sub-blocks' outputs at <paramref name="dropoutRate"/> (training); without, none.
    /// </summary>
    public void Forward(float[] input, Batch batch, LayerState state, Random? dropout, float dropoutRate, int threads)
    {
        if (batch.Heads != _heads)
        {
            throw new ArgumentException($"The batch is laid out for {batch.Heads} attention heads, the layer has {_heads}.", nameof(batch));
        }

        int n = batch.Tokens, h = _hidden;
        state.Prepare(batch, h, _ffn);
        state.Input = input;
        Linear(input, n, _query, _queryBias, state.Query, h, h, threads);
        Linear(input, n, _key, _keyBias, state.Key, h, h, threads);
        Linear(input, n, _value, _valueBias, state.Value, h, h, threads);

        float keep = 1 - dropoutRate;
        bool drop = dropout is not null && dropoutRate > 0;
        if (drop)
        {
            Mask(state.ProbabilityMask, batch.AttentionSize, dropout!, keep);
            Mask(state.AttentionMask, n * h, dropout!, keep);
            Mask(state.OutputMask, n * h, dropout!, keep);
        }

        state.Dropout = drop;
        Parallel.For(0, batch.Count * _heads, new ParallelOptions { MaxDegreeOfParallelism = threads }, job => AttentionForward(state, batch, job / _heads, job % _heads));

        // Attention output: dense, dropout, residual, LayerNorm.
        Linear(state.Context, n, _attentionOut, _attentionOutBias, state.Residual1, h, h, threads);
        if (drop)
        {
            TensorPrimitives.Multiply(state.Residual1.AsSpan(0, n * h), state.AttentionMask.AsSpan(0, n * h), state.Residual1.AsSpan(0, n * h));
        }

        TensorPrimitives.Add(state.Residual1.AsSpan(0, n * h), input.AsSpan(0, n * h), state.Residual1.AsSpan(0, n * h));
        LayerNorm(state.Residual1, n, _attentionNorm.Values, _attentionNormBias.Values, state.Normalized1, state.InverseDeviation1, state.Attended);

        // Feed-forward: dense, GELU, dense, dropout, residual, LayerNorm.
        Linear(state.Attended, n, _intermediate, _intermediateBias, state.PreActivation, h, _ffn, threads);
        ForEach(n * _ffn, threads, i => state.Activation[i] = Gelu(state.PreActivation[i]));
        Linear(state.Activation, n, _output, _outputBias, state.Residual2, _ffn, h, threads);
        if (drop)
        {
            TensorPrimitives.Multiply(state.Residual2.AsSpan(0, n * h), state.OutputMask.AsSpan(0, n * h), state.Residual2.AsSpan(0, n * h));
        }

        TensorPrimitives.Add(state.Residual2.AsSpan(0, n * h), state.Attended.AsSpan(0, n * h), state.Residual2.AsSpan(0, n * h));
        LayerNorm(state.Residual2, n, _outputNorm.Values, _outputNormBias.Values, state.Normalized2, state.InverseDeviation2, state.Output);
    }

    /// <summary>
    /// Adds the gradients of the layer's parameters for the output gradient <paramref name="outputGradient"/> (changed in
    /// place) to their <see cref="Parameter.Gradient"/>, and writes the input's gradient to
    /// <paramref name="inputGradient"/> unless it is null (the lowest layer being trained needs none).
    /// </summary>
    public void Backward(LayerState state, float[] outputGradient, float[]? inputGradient, int threads)
    {
        var batch = state.Batch;
        int n = batch.Tokens, h = _hidden;
        var scratch = state.Scratch;

        // Output LayerNorm; the residual passes its gradient to the attention block's output unchanged.
        var dResidual2 = state.GradientHidden;
        LayerNormBackward(outputGradient, n, state.Normalized2, state.InverseDeviation2, _outputNorm, _outputNormBias, dResidual2);
        var dAttended = state.GradientAttended;
        Array.Copy(dResidual2, dAttended, n * h);
        if (state.Dropout)
        {
            TensorPrimitives.Multiply(dResidual2.AsSpan(0, n * h), state.OutputMask.AsSpan(0, n * h), dResidual2.AsSpan(0, n * h));
        }

        var dActivation = state.GradientWide;
        LinearBackward(state.Activation, dResidual2, n, _output, _outputBias, _ffn, h, dActivation, accumulate: false, scratch, threads);
        ForEach(n * _ffn, threads, i => dActivation[i] *= GeluDerivative(state.PreActivation[i]));
        LinearBackward(state.Attended, dActivation, n, _intermediate, _intermediateBias, h, _ffn, dAttended, accumulate: true, scratch, threads);

        // Attention LayerNorm; the residual passes its gradient to the layer's input.
        var dResidual1 = state.GradientHidden;
        LayerNormBackward(dAttended, n, state.Normalized1, state.InverseDeviation1, _attentionNorm, _attentionNormBias, dResidual1);
        if (inputGradient is not null)
        {
            Array.Copy(dResidual1, inputGradient, n * h);
        }

        if (state.Dropout)
        {
            TensorPrimitives.Multiply(dResidual1.AsSpan(0, n * h), state.AttentionMask.AsSpan(0, n * h), dResidual1.AsSpan(0, n * h));
        }

        var dContext = state.GradientAttended;
        LinearBackward(state.Context, dResidual1, n, _attentionOut, _attentionOutBias, h, h, dContext, accumulate: false, scratch, threads);
        Parallel.For(0, batch.Count * _heads, new ParallelOptions { MaxDegreeOfParallelism = threads }, job => AttentionBackward(state, batch, job / _heads, job % _heads, dContext));

        LinearBackward(state.Input, state.GradientQuery, n, _query, _queryBias, h, h, inputGradient, accumulate: true, scratch, threads);
        LinearBackward(state.Input, state.GradientKey, n, _key, _keyBias, h, h, inputGradient, accumulate: true, scratch, threads);
        LinearBackward(state.Input, state.GradientValue, n, _value, _valueBias, h, h, inputGradient, accumulate: true, scratch, threads);
    }

    private void AttentionForward(LayerState state, Batch batch, int sequence, int head)
    {
        int t = batch.Lengths[sequence], row0 = batch.Starts[sequence], h = _hidden, d = _headSize, col = head * d;
        int p0 = batch.AttentionStarts[sequence] + (head * t * t);
        float scale = 1 / MathF.Sqrt(d);
        var probabilities = state.Probabilities;
        for (int i = 0; i < t; i++)
        {
            var q = state.Query.AsSpan(((row0 + i) * h) + col, d);
            var row = probabilities.AsSpan(p0 + (i * t), t);
            for (int j = 0; j < t; j++)
            {
                row[j] = TensorPrimitives.Dot(q, state.Key.AsSpan(((row0 + j) * h) + col, d)) * scale;
            }

            TensorPrimitives.SoftMax(row, row);
        }

        var context = state.Context;
        for (int i = 0; i < t; i++)
        {
            var output = context.AsSpan(((row0 + i) * h) + col, d);
            output.Clear();
            for (int j = 0; j < t; j++)
            {
                float weight = probabilities[p0 + (i * t) + j];
                if (state.Dropout)
                {
                    weight *= state.ProbabilityMask[p0 + (i * t) + j];
                }

                if (weight != 0)
                {
                    TensorPrimitives.MultiplyAdd(state.Value.AsSpan(((row0 + j) * h) + col, d), weight, output, output);
                }
            }
        }
    }

    private void AttentionBackward(LayerState state, Batch batch, int sequence, int head, float[] dContext)
    {
        int t = batch.Lengths[sequence], row0 = batch.Starts[sequence], h = _hidden, d = _headSize, col = head * d;
        int p0 = batch.AttentionStarts[sequence] + (head * t * t);
        float scale = 1 / MathF.Sqrt(d);
        var p = state.Probabilities;
        var gradient = new float[t]; // of one row of the probabilities
        for (int j = 0; j < t; j++)
        {
            state.GradientQuery.AsSpan(((row0 + j) * h) + col, d).Clear();
            state.GradientKey.AsSpan(((row0 + j) * h) + col, d).Clear();
            state.GradientValue.AsSpan(((row0 + j) * h) + col, d).Clear();
        }

        for (int i = 0; i < t; i++)
        {
            var dOut = dContext.AsSpan(((row0 + i) * h) + col, d);
            var q = state.Query.AsSpan(((row0 + i) * h) + col, d);
            var dq = state.GradientQuery.AsSpan(((row0 + i) * h) + col, d);
            double dot = 0;
            for (int j = 0; j < t; j++)
            {
                float mask = state.Dropout ? state.ProbabilityMask[p0 + (i * t) + j] : 1f;
                float probability = p[p0 + (i * t) + j];
                if (mask != 0)
                {
                    // Value gradient: the (dropped) probability times the output's gradient.
                    TensorPrimitives.MultiplyAdd(dOut, probability * mask, state.GradientValue.AsSpan(((row0 + j) * h) + col, d), state.GradientValue.AsSpan(((row0 + j) * h) + col, d));
                    gradient[j] = TensorPrimitives.Dot(dOut, state.Value.AsSpan(((row0 + j) * h) + col, d)) * mask;
                }
                else
                {
                    gradient[j] = 0;
                }

                dot += gradient[j] * probability;
            }

            // Softmax: dS = P ⊙ (dP − Σ dP·P), then the 1/√d scale.
            for (int j = 0; j < t; j++)
            {
                float dScore = p[p0 + (i * t) + j] * (gradient[j] - (float)dot) * scale;
                if (dScore != 0)
                {
                    TensorPrimitives.MultiplyAdd(state.Key.AsSpan(((row0 + j) * h) + col, d), dScore, dq, dq);
                    var dk = state.GradientKey.AsSpan(((row0 + j) * h) + col, d);
                    TensorPrimitives.MultiplyAdd(q, dScore, dk, dk);
                }
            }
        }
    }

    /// <summary>output[n×outputs] = input[n×inputs] · weight + bias.</summary>
    private static void Linear(float[] input, int n, Parameter weight, Parameter bias, float[] output, int inputs, int outputs, int threads)
    {
        Matrix.Multiply(input, weight.Values, output, n, inputs, outputs, accumulate: false, threads);
        for (int r = 0; r < n; r++)
        {
            var row = output.AsSpan(r * outputs, outputs);
            TensorPrimitives.Add(row, bias.Values, row);
        }
    }

    /// <summary>Adds the weight and bias gradients of <see cref="Linear"/>; writes (or adds to) the input's gradient unless it is null.</summary>
    private static void LinearBackward(
        float[] input, float[] outputGradient, int n, Parameter weight, Parameter bias, int inputs, int outputs, float[]? inputGradient, bool accumulate, Scratch scratch, int threads)
    {
        var inputT = scratch.Get(0, inputs * n);
        Matrix.Transpose(input, n, inputs, inputT);
        Matrix.Multiply(inputT, outputGradient, weight.Gradient, inputs, n, outputs, accumulate: true, threads);
        Matrix.AddColumnSums(outputGradient, n, outputs, bias.Gradient);
        if (inputGradient is not null)
        {
            var weightT = scratch.Get(1, inputs * outputs);
            Matrix.Transpose(weight.Values, inputs, outputs, weightT);
            Matrix.Multiply(outputGradient, weightT, inputGradient, n, outputs, inputs, accumulate, threads);
        }
    }

    private void LayerNorm(float[] input, int n, float[] scale, float[] shift, float[] normalized, float[] inverseDeviation, float[] output)
    {
        int h = _hidden;
        for (int r = 0; r < n; r++)
        {
            var x = input.AsSpan(r * h, h);
            float mean = TensorPrimitives.Sum(x) / h;
            var xhat = normalized.AsSpan(r * h, h);
            TensorPrimitives.Subtract(x, mean, xhat);
            float variance = TensorPrimitives.SumOfSquares(xhat) / h;
            float inverse = 1 / MathF.Sqrt(variance + NormEpsilon);
            inverseDeviation[r] = inverse;
            TensorPrimitives.Multiply(xhat, inverse, xhat);
            var y = output.AsSpan(r * h, h);
            TensorPrimitives.FusedMultiplyAdd(xhat, scale, shift, y);
        }
    }

    private void LayerNormBackward(float[] outputGradient, int n, float[] normalized, float[] inverseDeviation, Parameter scale, Parameter shift, float[] inputGradient)
    {
        int h = _hidden;
        var dxhat = new float[h];
        for (int r = 0; r < n; r++)
        {
            var dy = outputGradient.AsSpan(r * h, h);
            var xhat = normalized.AsSpan(r * h, h);
            TensorPrimitives.MultiplyAdd(dy, xhat, scale.Gradient, scale.Gradient);
            TensorPrimitives.Add(shift.Gradient, dy, shift.Gradient);
            TensorPrimitives.Multiply(dy, scale.Values, dxhat);
            float meanGradient = TensorPrimitives.Sum(dxhat) / h;
            float meanProjection = TensorPrimitives.Dot(dxhat, xhat) / h;
            var dx = inputGradient.AsSpan(r * h, h);
            for (int i = 0; i < h; i++)
            {
                dx[i] = inverseDeviation[r] * (dxhat[i] - meanGradient - (xhat[i] * meanProjection));
            }
        }
    }

    /// <summary>Runs <paramref name="element"/> for 0 .. <paramref name="count"/> - 1 in one contiguous range per thread.</summary>
    private static void ForEach(int count, int threads, Action<int> element) =>
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            int from = (int)((long)count * t / threads), to = (int)((long)count * (t + 1) / threads);
            for (int i = from; i < to; i++)
            {
                element(i);
            }
        });

    private static void Mask(float[] mask, int count, Random random, float keep)
    {
        float kept = 1 / keep;
        for (int i = 0; i < count; i++)
        {
            mask[i] = random.NextSingle() < keep ? kept : 0f;
        }
    }

    /// <summary>GELU as BERT computes it, with the error function (not the tanh approximation).</summary>
    internal static float Gelu(float x) => (float)(0.5 * x * (1 + Erf(x / Math.Sqrt(2))));

    internal static float GeluDerivative(float x) =>
        (float)((0.5 * (1 + Erf(x / Math.Sqrt(2)))) + (x * Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI)));

    /// <summary>The error function, by the Chebyshev fit of Numerical Recipes (erfc with fractional error below 1.2e-7).</summary>
    internal static double Erf(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + (0.5 * z));
        ReadOnlySpan<double> c = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
        double polynomial = c[^1];
        for (int i = c.Length - 2; i >= 0; i--)
        {
            polynomial = c[i] + (t * polynomial);
        }

        double tail = t * Math.Exp((-z * z) + polynomial);
        return x >= 0 ? 1 - tail : tail - 1;
    }
}

/// <summary>Sequences laid one after another: token rows <c>Starts[s] .. Starts[s] + Lengths[s]</c> of sequence s; and their
/// attention probabilities over <see cref="Heads"/> heads, each sequence's from <c>AttentionStarts[s]</c> (per head
/// length², heads one after another).</summary>
internal sealed class Batch
{
    public Batch(IReadOnlyList<int> lengths, int heads)
    {
        Count = lengths.Count;
        Heads = heads;
        Lengths = [.. lengths];
        Starts = new int[Count];
        AttentionStarts = new int[Count];
        int tokens = 0, attention = 0;
        for (int s = 0; s < Count; s++)
        {
            Starts[s] = tokens;
            AttentionStarts[s] = attention;
            tokens += Lengths[s];
            attention += heads * Lengths[s] * Lengths[s];
        }

        Tokens = tokens;
        AttentionSize = attention;
    }

    public int Count { get; }

    public int Heads { get; }

    public int Tokens { get; }

    public int[] Lengths { get; }

    public int[] Starts { get; }

    public int[] AttentionStarts { get; }

    public int AttentionSize { get; }
}

/// <summary>Reusable buffers, grown as needed.</summary>
internal sealed class Scratch
{
    private readonly float[][] _buffers = [[], [], []];

    public float[] Get(int slot, int size)
    {
        if (_buffers[slot].Length < size)
        {
            _buffers[slot] = new float[size];
        }

        return _buffers[slot];
    }
}

/// <summary>What one layer's forward pass keeps for its backward pass; buffers are reused across batches.</summary>
internal sealed class LayerState
{
    public Batch Batch { get; private set; } = new([], 1);

    public float[] Input { get; set; } = [];

    public bool Dropout { get; set; }

    public float[] Query { get; private set; } = [];

    public float[] Key { get; private set; } = [];

    public float[] Value { get; private set; } = [];

    public float[] Probabilities { get; private set; } = [];

    public float[] ProbabilityMask { get; private set; } = [];

    public float[] Context { get; private set; } = [];

    public float[] AttentionMask { get; private set; } = [];

    public float[] Residual1 { get; private set; } = [];

    public float[] Normalized1 { get; private set; } = [];

    public float[] InverseDeviation1 { get; private set; } = [];

    public float[] Attended { get; private set; } = [];

    public float[] PreActivation { get; private set; } = [];

    public float[] Activation { get; private set; } = [];

    public float[] OutputMask { get; private set; } = [];

    public float[] Residual2 { get; private set; } = [];

    public float[] Normalized2 { get; private set; } = [];

    public float[] InverseDeviation2 { get; private set; } = [];

    public float[] Output { get; private set; } = [];

    public float[] GradientQuery { get; private set; } = [];

    public float[] GradientKey { get; private set; } = [];

    public float[] GradientValue { get; private set; } = [];

    public float[] GradientHidden { get; private set; } = [];

    public float[] GradientAttended { get; private set; } = [];

    public float[] GradientWide { get; private set; } = [];

    public Scratch Scratch { get; } = new();

    public void Prepare(Batch batch, int hidden, int ffn)
    {
        Batch = batch;
        int n = batch.Tokens;
        int attention = batch.AttentionSize;
        static float[] Grow(float[] a, int size) => a.Length >= size ? a : new float[Math.Max(size, a.Length * 5 / 4)];
        Query = Grow(Query, n * hidden);
        Key = Grow(Key, n * hidden);
        Value = Grow(Value, n * hidden);
        Probabilities = Grow(Probabilities, attention);
        ProbabilityMask = Grow(ProbabilityMask, attention);
        Context = Grow(Context, n * hidden);
        AttentionMask = Grow(AttentionMask, n * hidden);
        Residual1 = Grow(Residual1, n * hidden);
        Normalized1 = Grow(Normalized1, n * hidden);
        InverseDeviation1 = Grow(InverseDeviation1, n);
        Attended = Grow(Attended, n * hidden);
        PreActivation = Grow(PreActivation, n * ffn);
        Activation = Grow(Activation, n * ffn);
        OutputMask = Grow(OutputMask, n * hidden);
        Residual2 = Grow(Residual2, n * hidden);
        Normalized2 = Grow(Normalized2, n * hidden);
        InverseDeviation2 = Grow(InverseDeviation2, n);
        Output = Grow(Output, n * hidden);
        GradientQuery = Grow(GradientQuery, n * hidden);
        GradientKey = Grow(GradientKey, n * hidden);
        GradientValue = Grow(GradientValue, n * hidden);
        GradientHidden = Grow(GradientHidden, n * hidden);
        GradientAttended = Grow(GradientAttended, n * hidden);
        GradientWide = Grow(GradientWide, n * ffn);
    }
}
