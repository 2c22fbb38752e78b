using Vigil.Text.Classification;

namespace Vigil.Training.Classification;

/// <summary>
/// Binary logistic regression with L2 regularisation and per-example weights, fitted by L-BFGS on the exact
/// objective. Deterministic: the data are split into fixed chunks whose gradients are summed in a fixed order.
/// </summary>
internal static class LogisticRegression
{
    public sealed record Options(double L2 = 1e-4, int MaxIterations = 300, double Tolerance = 1e-6, int History = 10, int Threads = 2);

    /// <summary>Fits weights of length <paramref name="dimension"/> and a bias; <paramref name="labels"/> are 0 or 1.</summary>
    /// <returns>Weights, bias and the number of iterations used.</returns>
    public static (float[] Weights, float Bias, int Iterations) Fit(
        IReadOnlyList<SparseVector> rows, IReadOnlyList<float> labels, IReadOnlyList<float> sampleWeights, int dimension, Options options, CancellationToken cancellationToken = default)
    {
        int n = rows.Count;
        double totalWeight = 0;
        for (int i = 0; i < n; i++)
        {
            totalWeight += sampleWeights[i];
        }

        // Parameters: [0, dimension) weights, [dimension] bias. The loss is averaged over the total sample weight.
        int p = dimension + 1;
        var x = new double[p];
        var g = new double[p];
        double f = Evaluate(x, g);

        var s = new double[options.History][];
        var yv = new double[options.History][];
        var rho = new double[options.History];
        var alpha = new double[options.History];
        int stored = 0, head = 0;
        var direction = new double[p];
        var xNew = new double[p];
        var gNew = new double[p];
        int iteration = 0;

        for (; iteration < options.MaxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double gnorm = Math.Sqrt(Dot(g, g));
            if (gnorm < options.Tolerance)
            {
                break;
            }

            // Two-loop recursion: direction = -H g
            Array.Copy(g, direction, p);
            for (int k = 0; k < stored; k++)
            {
                int idx = (head - 1 - k + options.History) % options.History;
                alpha[idx] = rho[idx] * Dot(s[idx], direction);
                Axpy(-alpha[idx], yv[idx], direction);
            }

            if (stored > 0)
            {
                int last = (head - 1 + options.History) % options.History;
                double gamma = Dot(s[last], yv[last]) / Dot(yv[last], yv[last]);
                Scale(direction, gamma);
            }
            else
            {
                Scale(direction, 1.0 / Math.Max(1.0, gnorm));
            }

            for (int k = stored - 1; k >= 0; k--)
            {
                int idx = (head - 1 - k + options.History) % options.History;
                double beta = rho[idx] * Dot(yv[idx], direction);
                Axpy(alpha[idx] - beta, s[idx], direction);
            }

            Scale(direction, -1);
            double slope = Dot(g, direction);
            if (slope >= 0)
            {
                // not a descent direction: restart from steepest descent
                Array.Copy(g, direction, p);
                Scale(direction, -1.0 / Math.Max(1.0, gnorm));
                slope = Dot(g, direction);
                stored = 0;
            }

            // Backtracking line search (Armijo).
            double step = 1.0;
            double fNew;
            while (true)
            {
                for (int j = 0; j < p; j++)
                {
                    xNew[j] = x[j] + step * direction[j];
                }

                fNew = Evaluate(xNew, gNew);
                if (fNew <= f + 1e-4 * step * slope || step < 1e-10)
                {
                    break;
                }

                step *= 0.5;
            }

            var sk = s[head] ??= new double[p];
            var yk = yv[head] ??= new double[p];
            for (int j = 0; j < p; j++)
            {
                sk[j] = xNew[j] - x[j];
                yk[j] = gNew[j] - g[j];
            }

            double sy = Dot(sk, yk);
            if (sy > 1e-12)
            {
                rho[head] = 1.0 / sy;
                head = (head + 1) % options.History;
                stored = Math.Min(stored + 1, options.History);
            }

            bool converged = Math.Abs(f - fNew) <= options.Tolerance * Math.Max(1.0, Math.Abs(f));
            (x, xNew) = (xNew, x);
            (g, gNew) = (gNew, g);
            f = fNew;
            if (converged)
            {
                iteration++;
                break;
            }
        }

        var weights = new float[dimension];
        for (int j = 0; j < dimension; j++)
        {
            weights[j] = (float)x[j];
        }

        return (weights, (float)x[dimension], iteration);

        double Evaluate(double[] w, double[] grad)
        {
            int chunks = Math.Max(1, options.Threads);
            var partialLoss = new double[chunks];
            var partialGrad = new double[chunks][];
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
            {
                var local = new double[p];
                double loss = 0;
                int from = (int)((long)n * c / chunks), to = (int)((long)n * (c + 1) / chunks);
                for (int i = from; i < to; i++)
                {
                    var row = rows[i];
                    double z = w[dimension];
                    for (int k = 0; k < row.Count; k++)
                    {
                        z += w[row.Indices[k]] * row.Values[k];
                    }

                    double y = labels[i];
                    double sw = sampleWeights[i];
                    // log(1 + exp(-t)) with t = z for positives, -z for negatives, computed stably
                    double t = y > 0.5 ? z : -z;
                    loss += sw * (t > 0 ? Math.Log(1 + Math.Exp(-t)) : -t + Math.Log(1 + Math.Exp(t)));
                    double prob = 1.0 / (1.0 + Math.Exp(-z));
                    double d = sw * (prob - y);
                    for (int k = 0; k < row.Count; k++)
                    {
                        local[row.Indices[k]] += d * row.Values[k];
                    }

                    local[dimension] += d;
                }

                partialLoss[c] = loss;
                partialGrad[c] = local;
            });

            double total = 0;
            Array.Clear(grad);
            for (int c = 0; c < chunks; c++)
            {
                total += partialLoss[c];
                var pg = partialGrad[c];
                for (int j = 0; j < p; j++)
                {
                    grad[j] += pg[j];
                }
            }

            double inv = 1.0 / totalWeight;
            double reg = 0;
            for (int j = 0; j < dimension; j++)
            {
                grad[j] = grad[j] * inv + options.L2 * w[j];
                reg += w[j] * w[j];
            }

            grad[dimension] *= inv;
            return total * inv + 0.5 * options.L2 * reg;
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    private static void Scale(double[] x, double a)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= a;
        }
    }
}
