using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FineTune;

/// <summary>
/// all-MiniLM-L6-v2 (BERT: 6 layers, hidden 384, 12 heads, FFN 1536, exact GELU, post-LN, eps 1e-12) written
/// functionally over a dictionary of parameters keyed by the BERT names. Linear weights keep the ONNX [in, out]
/// layout (y = x·W + b) so they can be written back to the ONNX initializers unchanged in shape.
/// </summary>
public sealed class MiniLm
{
    public const int Hidden = 384, Heads = 12, HeadDim = 32, Layers = 6;
    public readonly Dictionary<string, Parameter> P = new();
    public double Dropout = 0.1;
    public bool Training;

    public static IEnumerable<string> Names()
    {
        yield return "embeddings.word_embeddings.weight";
        yield return "embeddings.position_embeddings.weight";
        yield return "embeddings.token_type_embeddings.weight";
        yield return "embeddings.LayerNorm.weight";
        yield return "embeddings.LayerNorm.bias";
        for (int l = 0; l < Layers; l++)
        {
            var p = $"encoder.layer.{l}.";
            foreach (var s in new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense", "intermediate.dense", "output.dense" })
            {
                yield return p + s + ".weight";
                yield return p + s + ".bias";
            }
            yield return p + "attention.output.LayerNorm.weight";
            yield return p + "attention.output.LayerNorm.bias";
            yield return p + "output.LayerNorm.weight";
            yield return p + "output.LayerNorm.bias";
        }
    }

    public MiniLm(OnnxWeights w)
    {
        foreach (var n in Names())
        {
            P[n] = new Parameter(torch.tensor(w.Get(n), w.Shape(n)), requires_grad: true);
        }
    }

    /// <summary>Sets requires_grad: word embeddings optionally frozen; layers below <paramref name="firstTrainableLayer"/> frozen (and the embeddings with them if &gt; 0).</summary>
    public void SetTrainable(bool wordEmbeddings, int firstTrainableLayer)
    {
        foreach (var (n, p) in P)
        {
            bool train;
            if (n.StartsWith("embeddings.")) train = firstTrainableLayer == 0 && (wordEmbeddings || n != "embeddings.word_embeddings.weight");
            else train = int.Parse(n.Split('.')[2]) >= firstTrainableLayer;
            p.requires_grad = train;
        }
    }

    public IEnumerable<Parameter> Trainable() => P.Values.Where(p => p.requires_grad);

    private Tensor Lin(Tensor x, string name) => x.matmul(P[name + ".weight"]).add_(P[name + ".bias"]);
    private Tensor Ln(Tensor x, string name) => nn.functional.layer_norm(x, new long[] { Hidden }, P[name + ".weight"], P[name + ".bias"], 1e-12);
    private Tensor Drop(Tensor x) => Training && Dropout > 0 ? nn.functional.dropout(x, Dropout, true) : x;

    /// <summary>Last hidden state [B, T, 384] for ids/mask [B, T] (int64).</summary>
    public Tensor Forward(Tensor ids, Tensor mask) => Layers_(Embed(ids), mask, 0, Layers);

    /// <summary>Embeddings (word + position + token type 0, LayerNorm, dropout): [B, T, 384].</summary>
    public Tensor Embed(Tensor ids)
    {
        long b = ids.shape[0], t = ids.shape[1];
        var pos = torch.arange(t, dtype: ScalarType.Int64);
        var x = P["embeddings.word_embeddings.weight"].index_select(0, ids.reshape(-1)).view(b, t, Hidden)
            + P["embeddings.position_embeddings.weight"].index_select(0, pos).unsqueeze(0)
            + P["embeddings.token_type_embeddings.weight"][0];
        return Drop(Ln(x, "embeddings.LayerNorm"));
    }

    /// <summary>Runs encoder layers [from, to) on hidden states x [B, T, 384].</summary>
    public Tensor Layers_(Tensor x, Tensor mask, int from, int to)
    {
        long b = x.shape[0], t = x.shape[1];
        // Additive mask [B, 1, 1, T]: 0 for tokens, -10000 for padding (as in the ONNX graph).
        var bias = (1 - mask.to(ScalarType.Float32)).mul(-10000f).view(b, 1, 1, t);
        double scale = 1 / Math.Sqrt(HeadDim);
        for (int l = from; l < to; l++)
        {
            var p = $"encoder.layer.{l}.";
            var q = Lin(x, p + "attention.self.query").view(b, t, Heads, HeadDim).transpose(1, 2);
            var k = Lin(x, p + "attention.self.key").view(b, t, Heads, HeadDim).transpose(1, 2);
            var v = Lin(x, p + "attention.self.value").view(b, t, Heads, HeadDim).transpose(1, 2);
            var att = q.matmul(k.transpose(2, 3)).mul(scale).add(bias).softmax(-1);
            att = Drop(att);
            var ctx = att.matmul(v).transpose(1, 2).reshape(b, t, Hidden);
            x = Ln(Drop(Lin(ctx, p + "attention.output.dense")).add(x), p + "attention.output.LayerNorm");
            var h = nn.functional.gelu(Lin(x, p + "intermediate.dense"));
            x = Ln(Drop(Lin(h, p + "output.dense")).add(x), p + "output.LayerNorm");
        }
        return x;
    }

    /// <summary>Mean of the token states where mask = 1: [B, 384].</summary>
    public static Tensor MeanPool(Tensor states, Tensor mask)
    {
        var m = mask.to(ScalarType.Float32).unsqueeze(-1);
        return (states * m).sum(1) / m.sum(1).clamp_min(1e-9);
    }
}
