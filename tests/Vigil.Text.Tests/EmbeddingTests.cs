using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using Vigil.Text.Embeddings;

namespace Vigil.Text.Tests;

public sealed class WeightQuantizerTests
{
    [Fact]
    public void Column_quantisation_keeps_every_weight_within_half_a_step()
    {
        float[] weights = [0.5f, -2f, 0f, 0.001f, 1f, 0f, -0.5f, 0.75f, 0f];
        var (values, scales) = WeightQuantizer.QuantizeColumns(weights, rows: 3, columns: 3);

        Assert.Equal(2f / 63, scales[1], 6);
        Assert.Equal(1f, scales[2]); // an all-zero column keeps a usable scale
        for (int i = 0; i < weights.Length; i++)
        {
            float restored = values[i] * scales[i % 3];
            Assert.InRange(MathF.Abs(restored - weights[i]), 0, (scales[i % 3] / 2) + 1e-6f);
            Assert.InRange(values[i], (sbyte)-63, (sbyte)63);
        }
    }

    [Fact]
    public void A_quantised_model_computes_nearly_the_same_matrix_product_as_the_original()
    {
        const int Inputs = 16, Outputs = 8;
        var random = new Random(7);
        var weights = Enumerable.Range(0, Inputs * Outputs).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        byte[] model = MatMulModel(weights, Inputs, Outputs);

        var (quantized, count) = WeightQuantizer.Quantize(model);
        Assert.Equal(1, count);
        Assert.Contains(ModelProto.Parser.ParseFrom(quantized).Graph.Node, n => n.OpType == "MatMulInteger");

        var input = Enumerable.Range(0, 2 * Inputs).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        var exact = Run(model, input, Inputs);
        var approximate = Run(quantized, input, Inputs);
        Assert.Equal(exact.Length, approximate.Length);
        float largest = exact.Max(MathF.Abs);
        for (int i = 0; i < exact.Length; i++)
        {
            Assert.InRange(MathF.Abs(exact[i] - approximate[i]), 0, 0.03f * largest);
        }
    }

    [Fact]
    public void Products_with_inputs_wider_than_the_limit_stay_in_float()
    {
        int inputs = WeightQuantizer.MaxInputs + 1;
        var (quantized, count) = WeightQuantizer.Quantize(MatMulModel(new float[inputs * 2], inputs, 2));
        Assert.Equal(0, count);
        Assert.Equal("MatMul", Assert.Single(ModelProto.Parser.ParseFrom(quantized).Graph.Node).OpType);
    }

    [Fact]
    public void Quantisation_leaves_products_of_two_activations_alone()
    {
        var graph = new GraphProto { Name = "g" };
        graph.Input.Add(Value("a", 2, 2));
        graph.Input.Add(Value("b", 2, 2));
        graph.Output.Add(Value("y", 2, 2));
        var node = new NodeProto { OpType = "MatMul" };
        node.Input.AddRange(["a", "b"]);
        node.Output.Add("y");
        graph.Node.Add(node);
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });

        var (quantized, count) = WeightQuantizer.Quantize(model.ToByteArray());
        Assert.Equal(0, count);
        Assert.Equal("MatMul", Assert.Single(ModelProto.Parser.ParseFrom(quantized).Graph.Node).OpType);
    }

    internal static byte[] MatMulModel(float[] weights, int inputs, int outputs)
    {
        var graph = new GraphProto { Name = "g" };
        graph.Input.Add(Value("x", -1, inputs));
        graph.Output.Add(Value("y", -1, outputs));
        var w = new TensorProto { Name = "w", DataType = 1, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(weights.AsSpan())) };
        w.Dims.AddRange([inputs, outputs]);
        graph.Initializer.Add(w);
        var node = new NodeProto { OpType = "MatMul", Name = "product" };
        node.Input.AddRange(["x", "w"]);
        node.Output.Add("y");
        graph.Node.Add(node);
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model.ToByteArray();
    }

    private static ValueInfoProto Value(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long d in dims)
        {
            shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "n" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
    }

    private static float[] Run(byte[] model, float[] input, int inputs)
    {
        using var session = new InferenceSession(model);
        using var outputs = session.Run([NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(input, [input.Length / inputs, inputs]))]);
        return [.. outputs.Single().AsTensor<float>()];
    }
}

public sealed class TunedLayersTests
{
    [Theory]
    [InlineData("a plain english sentence", true)]
    [InlineData("café crème, à bientôt", true)] // Latin with accents
    [InlineData("12345 !!! 😀", true)] // no letters at all
    [InlineData("مرحبا بكم", false)] // Arabic
    [InlineData("مرحبا بكم ok", false)] // mostly Arabic
    [InlineData("hello there friends مرحبا", true)] // mostly Latin
    public void The_encoder_reads_texts_whose_letters_are_mostly_latin(string text, bool readable) =>
        Assert.Equal(readable, SentenceEncoder.Reads(text));

    [Fact]
    public void Tuned_weights_are_stored_apart_and_put_back_into_the_base_model()
    {
        float[] original = [1, 2, 3, 4, 5, 6];
        float[] tuned = [1, 2, 3.5f, 4, 5, -6];
        byte[] baseModel = WeightQuantizerTests.MatMulModel(original, 3, 2);

        var layers = TunedLayers.Diff(baseModel, WeightQuantizerTests.MatMulModel(tuned, 3, 2));
        var (name, dims, values) = Assert.Single(layers.Tensors);
        Assert.Equal("w", name);
        Assert.Equal([3L, 2L], dims);
        Assert.Equal(6, layers.Parameters);

        using var file = new MemoryStream();
        layers.Save(file);
        file.Position = 0;
        var loaded = TunedLayers.Load(file);
        Assert.Equal(layers.Digest(), loaded.Digest());

        var patched = ModelProto.Parser.ParseFrom(loaded.Apply(baseModel)).Graph.Initializer.Single(i => i.Name == "w");
        Assert.Equal(tuned, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(patched.RawData.Span).ToArray());
    }

    [Fact]
    public void Layers_tuned_from_another_model_are_refused()
    {
        byte[] baseModel = WeightQuantizerTests.MatMulModel([1, 2, 3, 4], 2, 2);
        var layers = TunedLayers.Diff(baseModel, WeightQuantizerTests.MatMulModel([1, 2, 3, 5], 2, 2));
        Assert.Throws<InvalidDataException>(() => layers.Apply(WeightQuantizerTests.MatMulModel([9, 2, 3, 4], 2, 2)));
    }

    [Fact]
    public void A_truncated_or_foreign_file_is_a_clear_error()
    {
        var layers = TunedLayers.Diff(WeightQuantizerTests.MatMulModel([1, 2, 3, 4], 2, 2), WeightQuantizerTests.MatMulModel([1, 2, 3, 5], 2, 2));
        using var file = new MemoryStream();
        layers.Save(file);
        var bytes = file.ToArray();
        Assert.Throws<InvalidDataException>(() => TunedLayers.Load(new MemoryStream(bytes[..^3])));
        Assert.Throws<InvalidDataException>(() => TunedLayers.Load(new MemoryStream("not a tuned file"u8.ToArray())));

        // A damaged shape is refused before anything is allocated for it.
        using var damaged = new MemoryStream();
        using (var writer = new BinaryWriter(damaged, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("VIGIL-TUNED-1");
            writer.Write(layers.BaseModelSha256);
            writer.Write(1);
            writer.Write("W");
            writer.Write(2);
            writer.Write(1L << 40);
            writer.Write(1L << 40);
        }

        Assert.Throws<InvalidDataException>(() => TunedLayers.Load(new MemoryStream(damaged.ToArray())));
    }
}

public sealed class SentenceEncoderTests
{
    private static readonly string[] Sentences =
    [
        "The council meets on Tuesday to discuss the new bus timetable.",
        "I baked bread this morning and it came out well.",
        "Rain is expected across the north later this week.",
        "ok",
    ];

    [Fact]
    public void The_int8_model_gives_nearly_the_same_embeddings_as_the_float_model()
    {
        using var exact = SentenceEncoder.Load(threads: 1, quantize: false);
        using var quantized = SentenceEncoder.Load(threads: 1);
        Assert.True(quantized.Quantized);
        Assert.False(exact.Quantized);

        var a = exact.Encode(Sentences);
        var b = quantized.Encode(Sentences);
        for (int i = 0; i < Sentences.Length; i++)
        {
            Assert.Equal(SentenceEncoder.Dimensions, b[i].Length);
            Assert.InRange(Cosine(a[i], b[i]), 0.98, 1.0001);
        }

        // Still a sentence embedding: unrelated sentences stay apart after quantisation.
        Assert.True(Cosine(b[0], b[1]) < 0.9);
    }

    [Fact]
    public void A_text_gets_the_same_embedding_alone_or_with_others_on_any_number_of_threads()
    {
        using var single = SentenceEncoder.Load(threads: 1);
        using var parallel = SentenceEncoder.Load(threads: 2);
        string[] many = [.. Sentences, .. Sentences.Reverse(), "One more line about the weather."];
        var together = parallel.Encode(many);
        for (int i = 0; i < many.Length; i++)
        {
            Assert.Equal(single.Encode(many[i]), together[i]);
        }
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}
