using BenchmarkDotNet.Attributes;
using Vigil.Training.Embeddings.Tuning;

namespace Vigil.Bench;

/// <summary>
/// The matrix products of encoder fine-tuning at a training batch's shape: 1,024 tokens (32 posts of 32 tokens) through
/// MiniLM's feed-forward projection (384 → 1,536). One operation is 1,024 × 384 × 1,536 = 604 million multiply-adds.
/// </summary>
public class MatrixBenchmarks
{
    private const int Rows = 1024, Inner = 384, Columns = 1536;
    private float[] _a = [], _b = [], _c = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _a = [.. Enumerable.Range(0, Rows * Inner).Select(_ => random.NextSingle() - 0.5f)];
        _b = [.. Enumerable.Range(0, Inner * Columns).Select(_ => random.NextSingle() - 0.5f)];
        _c = new float[Rows * Columns];
    }

    [Benchmark]
    public void FeedForwardProjection() => Matrix.Multiply(_a, _b, _c, Rows, Inner, Columns, accumulate: false, Threads);
}
