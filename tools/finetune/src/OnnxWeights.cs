using Google.Protobuf;
using Onnx;

namespace FineTune;

/// <summary>
/// Reads the float initializers of the all-MiniLM-L6-v2 ONNX export under BERT parameter names and writes changed
/// values back. Weight matrices of the encoder are exported under generated names (e.g. "927") as MatMul's second
/// input, stored [in, out]; they are named by following the graph: MatMul(x, W) -> Add(bias, ·) where the bias has a
/// BERT name "….bias", so W is "….weight" (kept in the [in, out] layout).
/// </summary>
public sealed class OnnxWeights
{
    public ModelProto Model { get; }
    /// <summary>BERT parameter name -> ONNX initializer name.</summary>
    public Dictionary<string, string> OnnxName { get; } = new();
    private readonly Dictionary<string, TensorProto> _byOnnxName;

    public OnnxWeights(string path)
    {
        Model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var g = Model.Graph;
        _byOnnxName = g.Initializer.ToDictionary(t => t.Name);
        foreach (var t in g.Initializer)
        {
            if (t.DataType == (int)TensorProto.Types.DataType.Float && !IsGenerated(t.Name))
            {
                OnnxName[t.Name] = t.Name;
            }
        }

        var consumers = new Dictionary<string, List<NodeProto>>();
        foreach (var n in g.Node)
        {
            foreach (var i in n.Input)
            {
                if (!consumers.TryGetValue(i, out var l)) consumers[i] = l = new();
                l.Add(n);
            }
        }

        foreach (var n in g.Node.Where(n => n.OpType == "MatMul"))
        {
            var w = n.Input[1];
            if (!_byOnnxName.TryGetValue(w, out var t) || t.Dims.Count != 2) continue;
            var add = consumers.GetValueOrDefault(n.Output[0])?.FirstOrDefault(c => c.OpType == "Add");
            var bias = add?.Input.FirstOrDefault(i => i.EndsWith(".bias") && _byOnnxName.ContainsKey(i))
                ?? throw new InvalidDataException($"MatMul {n.Name}: no bias Add after it");
            OnnxName[bias[..^".bias".Length] + ".weight"] = w;
        }
    }

    private static bool IsGenerated(string name) => name.All(char.IsDigit) || name.StartsWith("onnx::");

    public long[] Shape(string bertName) => _byOnnxName[OnnxName[bertName]].Dims.ToArray();

    public float[] Get(string bertName)
    {
        var t = _byOnnxName[OnnxName[bertName]];
        if (t.RawData.Length > 0)
        {
            var r = new float[t.RawData.Length / 4];
            Buffer.BlockCopy(t.RawData.ToByteArray(), 0, r, 0, t.RawData.Length);
            return r;
        }
        return t.FloatData.ToArray();
    }

    /// <summary>Replaces an initializer's values (same shape); returns the number of bytes written.</summary>
    public long Set(string bertName, float[] values)
    {
        var t = _byOnnxName[OnnxName[bertName]];
        long count = t.Dims.Aggregate(1L, (a, b) => a * b);
        if (values.Length != count) throw new ArgumentException($"{bertName}: {values.Length} values for {count}");
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        t.FloatData.Clear();
        t.RawData = ByteString.CopyFrom(bytes);
        return bytes.Length;
    }

    public void Save(string path) => File.WriteAllBytes(path, Model.ToByteArray());
}
