using System.Text.Json;
using FastBertTokenizer;

namespace FineTune;

public sealed record Example(long[] Ids, float Label, int Task, string Id = "");

public static class Data
{
    public const int MaxTokens = 128;
    public static readonly string DataRoot = Path.Combine(Environment.GetEnvironmentVariable("VIGIL_SHARED") is { Length: > 0 } shared ? shared : "../shared", "data");

    /// <summary>Binary tasks: data set name and its positive label (every other label is negative).</summary>
    public static readonly Dictionary<string, (string Set, string Positive)> Tasks = new()
    {
        ["isis"] = ("isis-tweets-labelled", "extremist"),
        ["stormfront"] = ("stormfront", "hate"),
        ["davidson"] = ("davidson", "hate"),
        ["mlma-en"] = ("mlma-en", "hate"),
        ["mlma-fr"] = ("mlma-fr", "hate"),
        ["mlma-ar"] = ("mlma-ar", "hate"),
        ["l-hsab"] = ("l-hsab", "hate"),
    };

    public static BertTokenizer Tokenizer(string vocabPath)
    {
        var t = new BertTokenizer();
        using var r = new StreamReader(vocabPath);
        t.LoadVocabulary(r, convertInputToLowercase: true);
        return t;
    }

    /// <summary>Tokenises like Vigil's SentenceEncoder: [CLS] … [SEP], at most 128 tokens; ids copied out of the buffer.</summary>
    public static long[] Encode(BertTokenizer tok, string text)
    {
        Span<long> ids = stackalloc long[MaxTokens];
        Span<long> mask = stackalloc long[MaxTokens];
        tok.Encode(text, ids, mask, MaxTokens);
        int count = mask.IndexOf(0L);
        return ids[..(count < 0 ? MaxTokens : Math.Max(count, 2))].ToArray();
    }

    public static List<Example> Load(BertTokenizer tok, string task, string split, int taskIndex = 0)
    {
        var (set, positive) = Tasks[task];
        var list = new List<Example>();
        foreach (var line in File.ReadLines(Path.Combine(DataRoot, set, $"{set}.{split}.jsonl")))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var text = doc.RootElement.GetProperty("text").GetString() ?? "";
            var label = doc.RootElement.GetProperty("label").GetString() == positive ? 1f : 0f;
            var id = doc.RootElement.TryGetProperty("id", out var idEl) ? idEl.ToString() : list.Count.ToString();
            list.Add(new Example(Encode(tok, text), label, taskIndex, id));
        }
        return list;
    }

    /// <summary>Length-bucketed batches: shuffle, cut into pools of 50 batches, sort each pool by length, batch, shuffle batches.</summary>
    public static List<int[]> Batches(IReadOnlyList<Example> data, int batchSize, Random? rng)
    {
        var idx = Enumerable.Range(0, data.Count).ToArray();
        if (rng != null) rng.Shuffle(idx); else idx = idx.OrderBy(i => data[i].Ids.Length).ToArray();
        var batches = new List<int[]>();
        int pool = rng != null ? batchSize * 50 : idx.Length;
        for (int s = 0; s < idx.Length; s += pool)
        {
            var p = idx.Skip(s).Take(pool).OrderBy(i => data[i].Ids.Length).ToArray();
            for (int b = 0; b < p.Length; b += batchSize) batches.Add(p.Skip(b).Take(batchSize).ToArray());
        }
        if (rng != null)
        {
            var arr = batches.ToArray();
            rng.Shuffle(arr);
            batches = arr.ToList();
        }
        return batches;
    }

    /// <summary>Dynamic padding to the batch's longest sequence: (ids, mask) as flat int64 arrays [n, len].</summary>
    public static (long[] Ids, long[] Mask, int Len) Pad(IReadOnlyList<Example> data, int[] batch)
    {
        int len = batch.Max(i => data[i].Ids.Length);
        var ids = new long[batch.Length * len];
        var mask = new long[batch.Length * len];
        for (int k = 0; k < batch.Length; k++)
        {
            var t = data[batch[k]].Ids;
            for (int j = 0; j < t.Length; j++) { ids[k * len + j] = t[j]; mask[k * len + j] = 1; }
        }
        return (ids, mask, len);
    }
}

public static class Metrics
{
    /// <summary>Average precision (area under the precision-recall step curve, as sklearn's average_precision_score).</summary>
    public static double AveragePrecision(float[] scores, float[] labels)
    {
        var order = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ToArray();
        double pos = labels.Sum(), tp = 0, ap = 0;
        for (int k = 0; k < order.Length; k++)
        {
            if (labels[order[k]] > 0.5f) { tp++; ap += tp / (k + 1); }
        }
        return pos > 0 ? ap / pos : 0;
    }

    /// <summary>Best F1 over all thresholds, and that threshold.</summary>
    public static (double F1, float Threshold) BestF1(float[] scores, float[] labels)
    {
        var order = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ToArray();
        double pos = labels.Sum(), tp = 0, best = 0; float thr = 0;
        for (int k = 0; k < order.Length; k++)
        {
            if (labels[order[k]] > 0.5f) tp++;
            if (k + 1 < order.Length && scores[order[k + 1]] == scores[order[k]]) continue;
            double f1 = 2 * tp / (k + 1 + pos);
            if (f1 > best) { best = f1; thr = scores[order[k]]; }
        }
        return (best, thr);
    }
}
