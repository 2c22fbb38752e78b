using System.Numerics;

namespace Vigil.Text.Classification;

/// <summary>
/// A one-hidden-layer perceptron (ReLU) with a logistic output, over a dense input such as a sentence embedding.
/// Trained with Adam on the weighted logistic loss, with dropout on the hidden layer and weight decay;
/// deterministic for a given seed.
/// </summary>
internal sealed class MlpHead
{
    public MlpHead(int inputs, int hidden, int seed)
    {
        Inputs = inputs;
        Hidden = hidden;
        W1 = new float[hidden * inputs];
        B1 = new float[hidden];
        W2 = new float[hidden];
        var random = new Random(seed);
        float scale1 = MathF.Sqrt(2f / inputs), scale2 = MathF.Sqrt(1f / hidden);
        for (int i = 0; i < W1.Length; i++)
        {
            W1[i] = (float)Gaussian(random) * scale1;
        }

        for (int i = 0; i < hidden; i++)
        {
            W2[i] = (float)Gaussian(random) * scale2;
        }
    }

    internal MlpHead(int inputs, int hidden, float[] w1, float[] b1, float[] w2, float b2)
    {
        Inputs = inputs;
        Hidden = hidden;
        W1 = w1;
        B1 = b1;
        W2 = w2;
        B2 = b2;
    }

    public int Inputs { get; }

    public int Hidden { get; }

    public float[] W1 { get; }

    public float[] B1 { get; }

    public float[] W2 { get; }

    public float B2 { get; private set; }

    public float Logit(ReadOnlySpan<float> x)
    {
        float z = B2;
        for (int j = 0; j < Hidden; j++)
        {
            float a = B1[j] + Dot(W1.AsSpan(j * Inputs, Inputs), x);
            if (a > 0)
            {
                z += W2[j] * a;
            }
        }

        return z;
    }

    public sealed record TrainingOptions(int Epochs = 10, float LearningRate = 1e-3f, float WeightDecay = 1e-4f, float Dropout = 0.2f, int BatchSize = 32, int Seed = 1);

    public void Train(IReadOnlyList<float[]> x, IReadOnlyList<float> y, IReadOnlyList<float> weights, TrainingOptions options, CancellationToken cancellationToken = default)
    {
        var random = new Random(options.Seed);
        int n = x.Count;
        var order = Enumerable.Range(0, n).ToArray();
        var adam = new[] { new Adam(W1.Length), new Adam(Hidden), new Adam(Hidden), new Adam(1) };
        var gW1 = new float[W1.Length];
        var gB1 = new float[Hidden];
        var gW2 = new float[Hidden];
        var gB2 = new float[1];
        var b2 = new float[1];
        var hidden = new float[Hidden];
        var mask = new float[Hidden];
        float keep = 1 - options.Dropout;
        int step = 0;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int i = n - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }

            for (int start = 0; start < n; start += options.BatchSize)
            {
                Array.Clear(gW1);
                Array.Clear(gB1);
                Array.Clear(gW2);
                gB2[0] = 0;
                float weightSum = 0;
                int end = Math.Min(n, start + options.BatchSize);
                for (int k = start; k < end; k++)
                {
                    int i = order[k];
                    var input = x[i];
                    float z = B2;
                    for (int j = 0; j < Hidden; j++)
                    {
                        float a = B1[j] + Dot(W1.AsSpan(j * Inputs, Inputs), input);
                        mask[j] = a > 0 && random.NextDouble() < keep ? 1f / keep : 0f;
                        hidden[j] = a * mask[j];
                        z += W2[j] * hidden[j];
                    }

                    float p = 1f / (1f + MathF.Exp(-z));
                    float d = (p - y[i]) * weights[i];
                    weightSum += weights[i];
                    gB2[0] += d;
                    for (int j = 0; j < Hidden; j++)
                    {
                        gW2[j] += d * hidden[j];
                        float dh = d * W2[j] * mask[j];
                        if (dh != 0)
                        {
                            gB1[j] += dh;
                            Axpy(input, dh, gW1.AsSpan(j * Inputs, Inputs));
                        }
                    }
                }

                step++;
                float scale = 1f / Math.Max(1e-6f, weightSum);
                adam[0].Step(W1, gW1, scale, options.LearningRate, options.WeightDecay, step);
                adam[1].Step(B1, gB1, scale, options.LearningRate, 0, step);
                adam[2].Step(W2, gW2, scale, options.LearningRate, options.WeightDecay, step);
                b2[0] = B2;
                adam[3].Step(b2, gB2, scale, options.LearningRate, 0, step);
                B2 = b2[0];
            }
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        int i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        }

        float total = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }

    private static void Axpy(ReadOnlySpan<float> x, float a, Span<float> y)
    {
        var va = new Vector<float>(a);
        int i = 0;
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            (new Vector<float>(y[i..]) + (new Vector<float>(x[i..]) * va)).CopyTo(y[i..]);
        }

        for (; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    private sealed class Adam(int size)
    {
        private const float Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-8f;
        private readonly float[] _m = new float[size];
        private readonly float[] _v = new float[size];

        public void Step(float[] parameters, float[] gradient, float scale, float learningRate, float weightDecay, int step)
        {
            float c1 = 1 - MathF.Pow(Beta1, step), c2 = 1 - MathF.Pow(Beta2, step);
            for (int i = 0; i < parameters.Length; i++)
            {
                float g = (gradient[i] * scale) + (weightDecay * parameters[i]);
                _m[i] = (Beta1 * _m[i]) + ((1 - Beta1) * g);
                _v[i] = (Beta2 * _v[i]) + ((1 - Beta2) * g * g);
                parameters[i] -= learningRate * (_m[i] / c1) / (MathF.Sqrt(_v[i] / c2) + Epsilon);
            }
        }
    }
}
