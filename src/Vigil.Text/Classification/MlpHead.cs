using System.Numerics;

namespace Vigil.Text.Classification;

/// <summary>
/// A one-hidden-layer perceptron (ReLU) with a logistic output, over a dense input such as a sentence embedding.
/// Made and trained by Vigil.Training's <c>MlpTrainer</c>; here only to score.
/// </summary>
internal sealed class MlpHead
{
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

    /// <summary>The output bias; set by training (Vigil.Training's MlpTrainer).</summary>
    public float B2 { get; internal set; }

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

    internal static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
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
}
