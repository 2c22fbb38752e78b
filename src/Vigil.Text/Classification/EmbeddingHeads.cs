using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Text.Classification;

/// <summary>
/// The embedding stage of the text classifier: for each head, a perceptron over the MiniLM sentence embedding,
/// stacked with the n-gram model's logit by a logistic combiner fitted on out-of-fold predictions:
/// <c>p = σ(a · ngramLogit + b · embeddingLogit + c)</c>. Each head's screen is the n-gram probability below which
/// a post is left to the n-gram model alone (the cascade), chosen at training so that it costs almost no recall, and
/// its fallback, <c>σ(w · ngramLogit + v)</c>, is the probability of a post scored without the embedding.
/// Immutable and thread-safe.
/// </summary>
public sealed class EmbeddingHeads
{
    private const string Magic = "VIGIL-EMBEDDING-HEADS-2";

    /// <summary>Version 1 stored the fallback as a line standing in for the embedding logit in the combiner.</summary>
    private const string MagicVersion1 = "VIGIL-EMBEDDING-HEADS-1";
    private readonly Head[] _heads;

    internal EmbeddingHeads(IReadOnlyList<Head> heads) => _heads = [.. heads];

    public IReadOnlyList<string> Heads => [.. _heads.Select(h => h.Name)];

    internal IReadOnlyList<Head> All => _heads;

    /// <summary>The stacked probability of head <paramref name="index"/>.</summary>
    internal float Combine(int index, float ngramLogit, ReadOnlySpan<float> embedding)
    {
        var head = _heads[index];
        float z = (head.NgramWeight * ngramLogit) + (head.EmbeddingWeight * head.Mlp.Logit(embedding)) + head.Bias;
        return LinearModel.Sigmoid(z);
    }

    /// <summary>
    /// The probability of head <paramref name="index"/> without the embedding: the n-gram logit calibrated by the head's
    /// fallback. <c>vigil train</c> fits it on the dev posts (Platt scaling), so that posts the cascade skips, posts the
    /// encoder cannot read and runs with the embedding stage off are scored on the probability scale the policy's
    /// thresholds were tuned on.
    /// </summary>
    internal float Fallback(int index, float ngramLogit)
    {
        var head = _heads[index];
        return LinearModel.Sigmoid((head.FallbackWeight * ngramLogit) + head.FallbackBias);
    }

    /// <summary>The same heads with new cascade screens (n-gram probabilities), by head name.</summary>
    internal EmbeddingHeads WithScreens(IReadOnlyDictionary<string, float> screens) =>
        new([.. _heads.Select(h => h with { Screen = screens.GetValueOrDefault(h.Name, h.Screen) })]);

    /// <summary>The same heads with new fallbacks (weight and bias on the n-gram logit), by head name.</summary>
    internal EmbeddingHeads WithFallbacks(IReadOnlyDictionary<string, (float Weight, float Bias)> fallbacks) =>
        new([.. _heads.Select(h => fallbacks.TryGetValue(h.Name, out var f) ? h with { FallbackWeight = f.Weight, FallbackBias = f.Bias } : h)]);

    internal sealed record Head(string Name, MlpHead Mlp, float NgramWeight, float EmbeddingWeight, float Bias, float Screen, float FallbackWeight, float FallbackBias);

    public void Save(Stream stream)
    {
        using var brotli = new BrotliStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new BinaryWriter(brotli, Encoding.UTF8, leaveOpen: true);
        var header = new FileHeader(Magic, [.. _heads.Select(h => new HeadHeader(h.Name, h.Mlp.Inputs, h.Mlp.Hidden, h.Mlp.B2, h.NgramWeight, h.EmbeddingWeight, h.Bias, h.Screen, h.FallbackWeight, h.FallbackBias))]);
        writer.Write(JsonSerializer.Serialize(header));
        foreach (var head in _heads)
        {
            WriteHalves(writer, head.Mlp.W1);
            WriteHalves(writer, head.Mlp.B1);
            WriteHalves(writer, head.Mlp.W2);
        }
    }

    public static EmbeddingHeads Load(Stream stream)
    {
        using var brotli = new BrotliStream(stream, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new BinaryReader(brotli, Encoding.UTF8, leaveOpen: true);
        try
        {
            var header = JsonSerializer.Deserialize<FileHeader>(reader.ReadString()) ?? throw new InvalidDataException("empty header");
            if (header.Format is not (Magic or MagicVersion1))
            {
                throw new InvalidDataException($"Unsupported embedding-heads format '{header.Format}'.");
            }

            var heads = new List<Head>();
            foreach (var h in header.Heads ?? throw new InvalidDataException("The embedding-heads file lists no heads."))
            {
                // Refuse a damaged shape before allocating for it.
                if (h.Name is null || h.Inputs is < 1 or > 4096 || h.Hidden is < 1 or > 4096)
                {
                    throw new InvalidDataException($"The embedding-heads file has a damaged head ('{h.Name}', {h.Inputs}×{h.Hidden}).");
                }

                var w1 = ReadHalves(reader, h.Inputs * h.Hidden);
                var b1 = ReadHalves(reader, h.Hidden);
                var w2 = ReadHalves(reader, h.Hidden);
                // Version 1: σ(a·x + e·(slope·x + intercept) + c) = σ((a + e·slope)·x + (c + e·intercept)).
                var (weight, bias) = header.Format == MagicVersion1
                    ? (h.NgramWeight + (h.EmbeddingWeight * h.FallbackSlope), h.Bias + (h.EmbeddingWeight * h.FallbackIntercept))
                    : (h.FallbackWeight, h.FallbackBias);
                heads.Add(new Head(h.Name, new MlpHead(h.Inputs, h.Hidden, w1, b1, w2, h.OutputBias), h.NgramWeight, h.EmbeddingWeight, h.Bias, h.Screen, weight, bias));
            }

            return new EmbeddingHeads(heads);
        }
        catch (Exception e) when (e is JsonException or EndOfStreamException or IOException or InvalidOperationException)
        {
            // InvalidOperationException: what the Brotli decoder throws on bytes that are not Brotli.
            throw new InvalidDataException("Not a Vigil embedding-heads file, or a truncated one.", e);
        }
    }

    private static void WriteHalves(BinaryWriter writer, float[] values)
    {
        foreach (float v in values)
        {
            writer.Write((Half)v);
        }
    }

    private static float[] ReadHalves(BinaryReader reader, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)reader.ReadHalf();
        }

        return values;
    }

    private sealed record FileHeader(string Format, HeadHeader[] Heads);

    /// <summary>One head's numbers; <c>FallbackSlope</c> and <c>FallbackIntercept</c> are version 1's, read only.</summary>
    private sealed record HeadHeader(
        string Name, int Inputs, int Hidden, float OutputBias, float NgramWeight, float EmbeddingWeight, float Bias, float Screen,
        float FallbackWeight = 0, float FallbackBias = 0,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] float FallbackSlope = 0,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] float FallbackIntercept = 0);
}
