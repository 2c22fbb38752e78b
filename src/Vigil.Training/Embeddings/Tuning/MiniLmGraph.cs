using System.Runtime.InteropServices;
using Onnx;

namespace Vigil.Training.Embeddings.Tuning;

/// <summary>
/// The packaged all-MiniLM-L6-v2 ONNX graph seen as BERT: its float tensors by BERT parameter name, and the hidden
/// state that enters each encoder layer. The export names biases and LayerNorm tensors as BERT does
/// (<c>encoder.layer.4.attention.self.query.bias</c>) but the weight matrices by number; a matrix is named by following
/// the graph from its <c>MatMul</c> to the <c>Add</c> of its named bias.
/// </summary>
internal sealed class MiniLmGraph
{
    public const int Hidden = 384, Heads = 12, FeedForward = 1536, Layers = 6;
    private const int FloatType = 1;

    private readonly ModelProto _model;
    private readonly Dictionary<string, TensorProto> _initializers;
    private readonly Dictionary<string, string> _onnxNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _matMulInputs = new(StringComparer.Ordinal);

    public MiniLmGraph(byte[] model)
    {
        _model = ModelProto.Parser.ParseFrom(model);
        var graph = _model.Graph;
        _initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var tensor in graph.Initializer)
        {
            if (tensor.DataType == FloatType && tensor.Name.StartsWith("encoder.", StringComparison.Ordinal))
            {
                _onnxNames[tensor.Name] = tensor.Name;
            }
        }

        var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (Input: i, Node: n))).ToLookup(x => x.Input, x => x.Node, StringComparer.Ordinal);
        foreach (var node in graph.Node.Where(n => n.OpType == "MatMul" && n.Input.Count == 2))
        {
            if (!_initializers.TryGetValue(node.Input[1], out var weight) || weight.Dims.Count != 2)
            {
                continue;
            }

            string? bias = consumers[node.Output[0]].Where(c => c.OpType == "Add")
                .SelectMany(c => c.Input).FirstOrDefault(i => i.EndsWith(".bias", StringComparison.Ordinal) && _initializers.ContainsKey(i));
            if (bias is not null)
            {
                string name = bias[..^".bias".Length] + ".weight";
                _onnxNames[name] = weight.Name;
                _matMulInputs[name] = node.Input[0];
            }
        }
    }

    /// <summary>The BERT name of a tensor of layer <paramref name="layer"/> (<paramref name="name"/> as in <see cref="EncoderLayer.TensorNames"/>).</summary>
    public static string LayerTensor(int layer, string name) => $"encoder.layer.{layer}.{name}";

    /// <summary>The tensor's ONNX initializer name.</summary>
    public string OnnxName(string bertName) =>
        _onnxNames.TryGetValue(bertName, out var name) ? name : throw new InvalidDataException($"The model has no tensor '{bertName}'.");

    /// <summary>A copy of the tensor's values, as a trainable parameter.</summary>
    public Parameter Parameter(string bertName)
    {
        var tensor = _initializers[OnnxName(bertName)];
        if (tensor.DataType != FloatType || tensor.RawData.Length == 0)
        {
            throw new InvalidDataException($"'{bertName}' is not stored as raw floats.");
        }

        return new Parameter(bertName, [.. tensor.Dims], MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray());
    }

    /// <summary>The name of the hidden state [batch, tokens, 384] that enters encoder layer <paramref name="layer"/> (its query projection's input).</summary>
    public string LayerInput(int layer) =>
        _matMulInputs.TryGetValue(LayerTensor(layer, "attention.self.query.weight"), out var input) ? input : throw new InvalidDataException($"The model has no encoder layer {layer}.");

    /// <summary>The model, with the hidden state entering layer <paramref name="layer"/> as an extra output of that name.</summary>
    public byte[] WithLayerInputOutput(int layer)
    {
        var model = _model.Clone();
        var output = new ValueInfoProto { Name = LayerInput(layer), Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = FloatType } } };
        model.Graph.Output.Add(output);
        return Google.Protobuf.MessageExtensions.ToByteArray(model);
    }
}
