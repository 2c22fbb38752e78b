using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Vigil.Text.Classification;

/// <summary>
/// A multi-head linear classifier over hashed n-gram features: one logistic head per label (e.g.
/// <c>terrorism</c>, <c>hate</c>). Weights are stored as 8-bit integers with a scale per head and compressed,
/// which keeps the shipped file small; inference reads them as floats. Immutable and thread-safe; feature
/// extraction uses a per-thread buffer.
/// </summary>
public sealed class LinearModel
{
    private const string Magic = "VIGIL-LINEAR-1";
    private readonly sbyte[] _weights; // [bucket * heads + head], times _scales[head]
    private readonly float[] _scales;
    private readonly float[] _bias;

    [ThreadStatic]
    private static FeatureHasher? t_hasher;

    [ThreadStatic]
    private static SparseVector? t_vector;

    /// <summary>Builds a model from trained weights; they are quantised to 8 bits per weight at once, so that the
    /// model scores exactly as it will after a save and load.</summary>
    internal LinearModel(FeatureOptions options, IReadOnlyList<string> heads, float[] weights, float[] bias)
        : this(options, heads, Quantise(weights, heads.Count, out var scales), scales, bias)
    {
    }

    private LinearModel(FeatureOptions options, IReadOnlyList<string> heads, sbyte[] weights, float[] scales, float[] bias)
    {
        if (weights.Length != options.Buckets * heads.Count || bias.Length != heads.Count || scales.Length != heads.Count)
        {
            throw new ArgumentException("Weights do not match the feature options and heads.");
        }

        Options = options;
        Heads = heads;
        _weights = weights;
        _scales = scales;
        _bias = bias;
    }

    public FeatureOptions Options { get; }

    public IReadOnlyList<string> Heads { get; }

    public int HeadIndex(string head)
    {
        for (int i = 0; i < Heads.Count; i++)
        {
            if (Heads[i] == head)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Writes the probability of each head for <paramref name="normalizedText"/> into <paramref name="probabilities"/>.</summary>
    public void Predict(ReadOnlySpan<char> normalizedText, Span<float> probabilities)
    {
        PredictLogits(normalizedText, probabilities);
        for (int h = 0; h < probabilities.Length; h++)
        {
            probabilities[h] = Sigmoid(probabilities[h]);
        }
    }

    internal static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));

    /// <summary>Writes the logit (log-odds) of each head for <paramref name="normalizedText"/> into <paramref name="logits"/>.</summary>
    public void PredictLogits(ReadOnlySpan<char> normalizedText, Span<float> logits)
    {
        var hasher = t_hasher;
        if (hasher is null || hasher.Options != Options)
        {
            t_hasher = hasher = new FeatureHasher(Options);
        }

        var vector = t_vector ??= new SparseVector();
        hasher.Extract(normalizedText, vector, merge: false);
        PredictLogits(vector, logits);
    }

    internal void PredictLogits(SparseVector vector, Span<float> logits)
    {
        int heads = Heads.Count;
        Span<float> z = stackalloc float[heads];
        z.Clear();
        var weights = _weights;
        for (int k = 0; k < vector.Count; k++)
        {
            int row = vector.Indices[k] * heads;
            float v = vector.Values[k];
            for (int h = 0; h < heads; h++)
            {
                z[h] += weights[row + h] * v;
            }
        }

        for (int h = 0; h < heads; h++)
        {
            logits[h] = (z[h] * _scales[h]) + _bias[h];
        }
    }

    /// <summary>The contribution of each bucket to a head's score, for explaining a decision.</summary>
    internal float Weight(int bucket, int head) => _weights[bucket * Heads.Count + head] * _scales[head];

    private static sbyte[] Quantise(float[] weights, int heads, out float[] scales)
    {
        scales = new float[heads];
        for (int h = 0; h < heads; h++)
        {
            float max = 0;
            for (int b = h; b < weights.Length; b += heads)
            {
                max = Math.Max(max, Math.Abs(weights[b]));
            }

            scales[h] = max > 0 ? max / 127f : 1f;
        }

        var quantised = new sbyte[weights.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            quantised[i] = (sbyte)Math.Clamp(MathF.Round(weights[i] / scales[i % heads]), -127, 127);
        }

        return quantised;
    }

    public void Save(Stream stream)
    {
        var header = new ModelHeader(Magic, Options.Bits, Options.MinCharGram, Options.MaxCharGram, Options.WordBigrams, Options.CharWeight, [.. Heads], _bias, _scales);
        using var brotli = new BrotliStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new BinaryWriter(brotli, Encoding.UTF8, leaveOpen: true);
        writer.Write(JsonSerializer.Serialize(header));
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_weights.AsSpan()));
    }

    /// <summary>Reads a model written by <see cref="Save"/>; anything else, or a damaged file, is an <see cref="InvalidDataException"/>.</summary>
    public static LinearModel Load(Stream stream)
    {
        try
        {
            return Read(stream);
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException)
        {
            // IOException covers a file that ends early; InvalidOperationException is what the Brotli decoder throws on
            // bytes that are not Brotli.
            throw new InvalidDataException("Not a Vigil linear model file, or a damaged one.", e);
        }
    }

    private static LinearModel Read(Stream stream)
    {
        using var brotli = new BrotliStream(stream, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new BinaryReader(brotli, Encoding.UTF8, leaveOpen: true);
        var header = JsonSerializer.Deserialize<ModelHeader>(reader.ReadString()) ?? throw new InvalidDataException("empty model header");
        if (header.Format != Magic)
        {
            throw new InvalidDataException($"Unsupported model format '{header.Format}'.");
        }

        if (header.Bits is < 1 or > MaxBits || header.Heads is null || header.Scales is null || header.Bias is null
            || header.Heads.Length is 0 or > 16 || header.Scales.Length != header.Heads.Length || header.Bias.Length != header.Heads.Length)
        {
            throw new InvalidDataException("The model header is inconsistent.");
        }

        var options = new FeatureOptions(header.Bits, header.MinCharGram, header.MaxCharGram, header.WordBigrams, header.CharWeight);
        int heads = header.Heads.Length;
        var bytes = reader.ReadBytes(options.Buckets * heads);
        if (bytes.Length != options.Buckets * heads)
        {
            throw new InvalidDataException("The model file is truncated.");
        }

        var weights = new sbyte[bytes.Length];
        Buffer.BlockCopy(bytes, 0, weights, 0, bytes.Length);
        return new LinearModel(options, header.Heads, weights, header.Scales, header.Bias);
    }

    /// <summary>The most hashing bits a model file may ask for (2^24 buckets a head); Vigil trains with 18.</summary>
    private const int MaxBits = 24;

    private sealed record ModelHeader(string Format, int Bits, int MinCharGram, int MaxCharGram, bool WordBigrams, float CharWeight, string[] Heads, float[] Bias, float[] Scales);
}
