namespace Vigil.Training.Embeddings.Tuning;

/// <summary>A trainable tensor under its BERT name (e.g. <c>encoder.layer.5.output.dense.weight</c>), its gradient and
/// its optimiser state. Weight matrices keep the ONNX layout, [inputs, outputs], so that they go back into the model as
/// they came out.</summary>
internal sealed class Parameter(string name, long[] dims, float[] values)
{
    public string Name { get; } = name;

    public long[] Dims { get; } = dims;

    public float[] Values { get; } = values;

    public float[] Gradient { get; } = new float[values.Length];

    /// <summary>AdamW's first and second moment estimates.</summary>
    internal float[] Moment1 { get; } = new float[values.Length];

    internal float[] Moment2 { get; } = new float[values.Length];
}

/// <summary>
/// AdamW (Loshchilov and Hutter; decoupled weight decay, bias-corrected moments), as PyTorch's <c>torch.optim.AdamW</c>
/// computes it, with gradient-norm clipping over all parameters before the step.
/// </summary>
internal static class AdamW
{
    private const float Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-8f;

    /// <summary>Scales every gradient so that their joint L2 norm is at most <paramref name="maxNorm"/>; returns the norm before.</summary>
    public static double ClipGradients(IEnumerable<Parameter> parameters, double maxNorm)
    {
        var all = parameters.ToList();
        double sum = 0;
        foreach (var p in all)
        {
            sum += System.Numerics.Tensors.TensorPrimitives.SumOfSquares(p.Gradient);
        }

        double norm = Math.Sqrt(sum);
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1)
        {
            foreach (var p in all)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(p.Gradient, (float)coefficient, p.Gradient);
            }
        }

        return norm;
    }

    /// <summary>One step (the <paramref name="step"/>-th, from 1) at learning rate <paramref name="rate"/>; clears the gradients.</summary>
    public static void Step(IEnumerable<Parameter> parameters, int step, double rate, double weightDecay)
    {
        float lr = (float)rate;
        float decay = (float)(1 - (rate * weightDecay));
        float correction1 = 1 - MathF.Pow(Beta1, step), correction2 = 1 - MathF.Pow(Beta2, step);
        float stepSize = lr / correction1;
        float root2 = MathF.Sqrt(correction2);
        foreach (var p in parameters)
        {
            var w = p.Values;
            var g = p.Gradient;
            var m = p.Moment1;
            var v = p.Moment2;
            for (int i = 0; i < w.Length; i++)
            {
                w[i] *= decay;
                m[i] = (Beta1 * m[i]) + ((1 - Beta1) * g[i]);
                v[i] = (Beta2 * v[i]) + ((1 - Beta2) * g[i] * g[i]);
                w[i] -= stepSize * m[i] / ((MathF.Sqrt(v[i]) / root2) + Epsilon);
            }

            Array.Clear(g);
        }
    }
}
