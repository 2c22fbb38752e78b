using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Vigil.Text.Classification;

namespace Vigil.Text.Tests;

public sealed class EmbeddingHeadsTests
{
    private const int Inputs = 4, Hidden = 3;

    private static MlpHead Perceptron() => new(
        Inputs, Hidden,
        [0.5f, -0.25f, 0.125f, 1f, -1f, 0.75f, 0.25f, 0.5f, -0.5f, 0.375f, 0.0625f, -0.125f],
        [0.1f, -0.2f, 0.3f],
        [1.5f, -0.75f, 0.5f],
        0.25f);

    private static readonly float[] Embedding = [0.5f, -0.5f, 0.25f, 1f];

    [Fact]
    public void Saves_and_loads_the_combiner_the_screen_and_the_fallback()
    {
        var heads = new EmbeddingHeads([new EmbeddingHeads.Head("hate", Perceptron(), 0.35f, 0.73f, 0.29f, Screen: 0.026f, FallbackWeight: 0.9f, FallbackBias: -1.5f)]);
        using var file = new MemoryStream();
        heads.Save(file);
        file.Position = 0;
        var loaded = EmbeddingHeads.Load(file);

        Assert.Equal(["hate"], loaded.Heads);
        Assert.Equal(0.026f, loaded.All[0].Screen);
        Assert.Equal(heads.Combine(0, 1.2f, Embedding), loaded.Combine(0, 1.2f, Embedding), 1e-3f); // perceptron weights are stored as halves
        Assert.Equal(1 / (1 + Math.Exp(-((0.9 * 2.0) - 1.5))), loaded.Fallback(0, 2.0f), 1e-6);
    }

    [Fact]
    public void Reads_version_1_files_whose_fallback_stood_in_for_the_embedding_logit()
    {
        // Version 1 stored a line for the missing embedding logit: p = σ(a·x + e·(slope·x + intercept) + c).
        const float a = 0.35f, e = 0.73f, c = 0.29f, slope = 1.4f, intercept = -2.1f;
        var mlp = Perceptron();
        using var file = new MemoryStream();
        using (var brotli = new BrotliStream(file, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new BinaryWriter(brotli, Encoding.UTF8))
        {
            writer.Write(JsonSerializer.Serialize(new
            {
                Format = "VIGIL-EMBEDDING-HEADS-1",
                Heads = new[]
                {
                    new { Name = "terrorism", Inputs, Hidden, OutputBias = mlp.B2, NgramWeight = a, EmbeddingWeight = e, Bias = c, Screen = 0.0076f, FallbackSlope = slope, FallbackIntercept = intercept },
                },
            }));
            foreach (var values in new[] { mlp.W1, mlp.B1, mlp.W2 })
            {
                foreach (float v in values)
                {
                    writer.Write((Half)v);
                }
            }
        }

        file.Position = 0;
        var heads = EmbeddingHeads.Load(file);

        foreach (float x in new[] { -3f, 0f, 2.5f })
        {
            double expected = 1 / (1 + Math.Exp(-((a * x) + (e * ((slope * x) + intercept)) + c)));
            Assert.Equal(expected, heads.Fallback(0, x), 1e-5);
        }

        Assert.Equal(1 / (1 + Math.Exp(-((a * 1.0) + (e * mlp.Logit(Embedding)) + c))), heads.Combine(0, 1f, Embedding), 1e-5);
    }

    [Fact]
    public void Refuses_other_and_truncated_files()
    {
        var heads = new EmbeddingHeads([new EmbeddingHeads.Head("hate", Perceptron(), 0.35f, 0.73f, 0.29f, 0.026f, 0.9f, -1.5f)]);
        using var file = new MemoryStream();
        heads.Save(file);
        byte[] bytes = file.ToArray();

        Assert.Throws<InvalidDataException>(() => EmbeddingHeads.Load(new MemoryStream(bytes[..(bytes.Length / 2)])));
        Assert.Throws<InvalidDataException>(() => EmbeddingHeads.Load(new MemoryStream(Encoding.UTF8.GetBytes("not a heads file at all"))));
    }
}
