using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Google.Protobuf;
using Onnx;

namespace Vigil.Text.Embeddings;

/// <summary>
/// The weights that fine-tuning changed in the packaged MiniLM model (<c>data/model/minilm-tuned.bin</c>), stored
/// apart from it as 16-bit floats and patched into the packaged model when it is loaded, so that Vigil ships a few
/// megabytes instead of a second 90 MB model. Each tensor is named as the ONNX initializer it replaces; the file also
/// records the SHA-256 of the model it was tuned from and refuses any other.
/// </summary>
public sealed class TunedLayers
{
    private const string Magic = "VIGIL-TUNED-1";
    private const int FloatType = 1;

    /// <summary>More values than any MiniLM weight matrix holds (the word embeddings: 30,522 × 384).</summary>
    private const long MaxTensorSize = 1 << 24;

    private TunedLayers(string baseModelSha256, IReadOnlyList<(string Name, long[] Dims, Half[] Values)> tensors)
    {
        BaseModelSha256 = baseModelSha256;
        Tensors = tensors;
    }

    /// <summary>Hex SHA-256 of the ONNX model the layers were tuned from.</summary>
    public string BaseModelSha256 { get; }

    /// <summary>The replaced initializers.</summary>
    public IReadOnlyList<(string Name, long[] Dims, Half[] Values)> Tensors { get; }

    /// <summary>Parameters replaced.</summary>
    public long Parameters => Tensors.Sum(t => (long)t.Values.Length);

    /// <summary>The float initializers of <paramref name="tunedModel"/> that differ from <paramref name="baseModel"/>.</summary>
    public static TunedLayers Diff(byte[] baseModel, byte[] tunedModel)
    {
        var original = ModelProto.Parser.ParseFrom(baseModel).Graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var changed = new List<(string, long[], Half[])>();
        foreach (var tensor in ModelProto.Parser.ParseFrom(tunedModel).Graph.Initializer)
        {
            if (!original.TryGetValue(tensor.Name, out var before) || before.DataType != tensor.DataType || !before.Dims.SequenceEqual(tensor.Dims))
            {
                throw new InvalidDataException($"The tuned model's initializer '{tensor.Name}' has no counterpart of the same shape in the base model.");
            }

            if (tensor.DataType == FloatType && !before.RawData.Span.SequenceEqual(tensor.RawData.Span))
            {
                changed.Add((tensor.Name, [.. tensor.Dims], ToHalf(MemoryMarshal.Cast<byte, float>(tensor.RawData.Span))));
            }
        }

        return new TunedLayers(Sha256(baseModel), changed);
    }

    /// <summary>Tensors of <paramref name="baseModel"/> (by ONNX initializer name) replaced by new values, stored as 16-bit floats.</summary>
    internal static TunedLayers FromTensors(byte[] baseModel, IEnumerable<(string OnnxName, long[] Dims, float[] Values)> tensors) =>
        new(Sha256(baseModel), [.. tensors.Select(t => (t.OnnxName, t.Dims, ToHalf(t.Values)))]);

    private static Half[] ToHalf(ReadOnlySpan<float> values)
    {
        var half = new Half[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            half[i] = (Half)values[i];
        }

        return half;
    }

    /// <summary><paramref name="baseModel"/> with the tuned tensors in place.</summary>
    /// <exception cref="InvalidDataException">The base model is not the one the layers were tuned from, or lacks a tensor.</exception>
    public byte[] Apply(byte[] baseModel)
    {
        if (Sha256(baseModel) != BaseModelSha256)
        {
            throw new InvalidDataException("The tuned MiniLM layers were made for another version of the model; run the fine-tuning again.");
        }

        var model = ModelProto.Parser.ParseFrom(baseModel);
        var initializers = model.Graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var (name, dims, values) in Tensors)
        {
            if (!initializers.TryGetValue(name, out var tensor) || tensor.DataType != FloatType || !tensor.Dims.SequenceEqual(dims))
            {
                throw new InvalidDataException($"The model has no float initializer '{name}' of shape [{string.Join(", ", dims)}].");
            }

            var floats = new float[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                floats[i] = (float)values[i];
            }

            tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(floats.AsSpan()));
        }

        return model.ToByteArray();
    }

    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(BaseModelSha256);
        writer.Write(Tensors.Count);
        foreach (var (name, dims, values) in Tensors)
        {
            writer.Write(name);
            writer.Write(dims.Length);
            foreach (long d in dims)
            {
                writer.Write(d);
            }

            writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        }
    }

    /// <exception cref="InvalidDataException">Not a tuned-layers file, or a truncated one.</exception>
    public static TunedLayers Load(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadString() != Magic)
            {
                throw new InvalidDataException("Not a tuned MiniLM layers file.");
            }

            string sha = reader.ReadString();
            int count = reader.ReadInt32();
            var tensors = new List<(string, long[], Half[])>(count);
            for (int t = 0; t < count; t++)
            {
                string name = reader.ReadString();
                int rank = reader.ReadInt32();
                if (rank is < 1 or > 4)
                {
                    throw new InvalidDataException($"The tuned MiniLM layers file is damaged (tensor '{name}' of rank {rank}).");
                }

                var dims = new long[rank];
                long size = 1;
                for (int d = 0; d < dims.Length; d++)
                {
                    dims[d] = reader.ReadInt64();
                    size *= dims[d];
                    if (dims[d] < 1 || size > MaxTensorSize)
                    {
                        throw new InvalidDataException($"The tuned MiniLM layers file is damaged (tensor '{name}' of shape [{string.Join(", ", dims[..(d + 1)])}]).");
                    }
                }

                var values = new Half[size];
                stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
                tensors.Add((name, dims, values));
            }

            return new TunedLayers(sha, tensors);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The tuned MiniLM layers file is truncated.", e);
        }
    }

    /// <summary>The layers in the file at <paramref name="path"/>, or null when there is no such file.</summary>
    /// <exception cref="InvalidDataException">Not a tuned-layers file, or a truncated one.</exception>
    public static TunedLayers? LoadIfPresent(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <summary>Hex SHA-256 of the whole layers file's content, to name it (in caches and model cards).</summary>
    public string Digest()
    {
        using var memory = new MemoryStream();
        Save(memory);
        return Sha256(memory.ToArray())[..16];
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
