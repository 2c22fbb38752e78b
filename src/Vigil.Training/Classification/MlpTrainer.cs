using System.Numerics;
using Vigil.Text.Classification;

namespace Vigil.Training.Classification;

/// <summary>
/// Makes and trains the perceptrons of the embedding heads (<see cref="MlpHead"/>): initialised from a seed, trained with
/// Adam on the weighted logistic loss, with dropout on the hidden layer and weight decay; deterministic for a given seed.
/// </summary>
internal static class MlpTrainer
{
    public sealed record Options(int Epochs = 10, float LearningRate = 1e-3f, float WeightDecay = 1e-4f, float Dropout = 0.2f, int BatchSize = 32, int Seed = 1);

    /// <summary>A perceptron with random weights (He initialisation for the hidden layer) from <paramref name="seed"/>.</summary>
    public static MlpHead Create(int inputs, int hidden, int seed)
    {
        var w1 = new float[hidden * inputs];
        var b1 = new float[hidden];
        var w2 = new float[hidden];
        var random = new Random(seed);
        float scale1 = MathF.Sqrt(2f / inputs), scale2 = MathF.Sqrt(1f / hidden);
        for (int i = 0; i < w1.Length; i++)
        {
            w1[i] = (float)Gaussian(random) * scale1;
        }

        for (int i = 0; i < hidden; i++)
        {
            w2[i] = (float)Gaussian(random) * scale2;
        }

        return new MlpHead(inputs, hidden, w1, b1, w2, 0f);
    }

    public static void Train(MlpHead head, IReadOnlyList<float[]> x, IReadOnlyList<float> y, IReadOnlyList<float> weights, Options options, CancellationToken cancellationToken = default)
    {
        var random = new Random(options.Seed);
        int n = x.Count;
        var order = Enumerable.Range(0, n).ToArray();
        var adam = new[] { new Adam(head.W1.Length), new Adam(head.Hidden), new Adam(head.Hidden), new Adam(1) };
        var gW1 = new float[head.W1.Length];
        var gB1 = new float[head.Hidden];
        var gW2 = new float[head.Hidden];
        var gB2 = new float[1];
        var b2 = new float[1];
        var hidden = new float[head.Hidden];
        var mask = new float[head.Hidden];
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
                    float z = head.B2;
                    for (int j = 0; j < head.Hidden; j++)
                    {
                        float a = head.B1[j] + MlpHead.Dot(head.W1.AsSpan(j * head.Inputs, head.Inputs), input);
                        mask[j] = a > 0 && random.NextDouble() < keep ? 1f / keep : 0f;
                        hidden[j] = a * mask[j];
                        z += head.W2[j] * hidden[j];
                    }

                    float p = 1f / (1f + MathF.Exp(-z));
                    float d = (p - y[i]) * weights[i];
                    weightSum += weights[i];
                    gB2[0] += d;
                    for (int j = 0; j < head.Hidden; j++)
                    {
                        gW2[j] += d * hidden[j];
                        float dh = d * head.W2[j] * mask[j];
                        if (dh != 0)
                        {
                            gB1[j] += dh;
                            Axpy(input, dh, gW1.AsSpan(j * head.Inputs, head.Inputs));
                        }
                    }
                }

                step++;
                float scale = 1f / Math.Max(1e-6f, weightSum);
                adam[0].Step(head.W1, gW1, scale, options.LearningRate, options.WeightDecay, step);
                adam[1].Step(head.B1, gB1, scale, options.LearningRate, 0, step);
                adam[2].Step(head.W2, gW2, scale, options.LearningRate, options.WeightDecay, step);
                b2[0] = head.B2;
                adam[3].Step(b2, gB2, scale, options.LearningRate, 0, step);
                head.B2 = b2[0];
            }
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

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
