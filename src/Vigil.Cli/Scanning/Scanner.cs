using System.Diagnostics;
using Vigil.Core;
using Vigil.Text;

namespace Vigil.Cli.Scanning;

/// <summary>Totals of a scan, for the summary table.</summary>
internal sealed class ScanStatistics
{
    public int Documents;
    public int Errors;
    public int Violating;
    public int Review;
    public int Clear;
    public Dictionary<string, int> Labels { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> Contexts { get; } = new(StringComparer.Ordinal);
    public Stopwatch Elapsed { get; } = new();

    public void Add(ScanResult result)
    {
        if (result.Verdict is not { } v)
        {
            Errors++;
            return;
        }

        Documents++;
        switch (v.Kind)
        {
            case VerdictKind.Violating: Violating++; break;
            case VerdictKind.Review: Review++; break;
            default: Clear++; break;
        }

        foreach (var label in v.Labels)
        {
            Labels[label] = Labels.GetValueOrDefault(label) + 1;
        }

        string context = v.Context.ToWire();
        Contexts[context] = Contexts.GetValueOrDefault(context) + 1;
    }
}

/// <summary>
/// Scans a stream of items on several threads and hands the results back in input order. Text items are scored by the
/// text detectors; image items by <see cref="ImageScanner"/> (or reported as errors when there is none).
/// </summary>
internal sealed class Scanner(TextAnalyzer analyzer, Policy policy, ScanInputOptions options, int threads, ImageScanner? images = null)
{
    private const int BatchSize = 512;

    public ScanResult Scan(ScanItem item)
    {
        if (item.ImagePath is not null)
        {
            return new ScanResult(item with { Error = "images are not scanned here" }, null);
        }

        item = item.Parsed(options);
        return item.Text is null ? new ScanResult(item, null) : new ScanResult(item, policy.Decide(analyzer.Assess(item.Text)));
    }

    public ValueTask<ScanResult> ScanAsync(ScanItem item, CancellationToken cancellationToken) =>
        item.ImagePath is not null && images is not null ? images.ScanAsync(item, cancellationToken) : ValueTask.FromResult(Scan(item));

    /// <summary>Scans <paramref name="items"/>, calling <paramref name="onResult"/> for each result in input order.</summary>
    public void Run(IEnumerable<ScanItem> items, Action<ScanResult> onResult, CancellationToken cancellationToken) =>
        RunAsync(items, onResult, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Scans <paramref name="items"/>, calling <paramref name="onResult"/> for each result in input order.</summary>
    public async Task RunAsync(IEnumerable<ScanItem> items, Action<ScanResult> onResult, CancellationToken cancellationToken)
    {
        var batch = new List<ScanItem>(BatchSize);
        var results = new ScanResult[BatchSize];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellationToken };
        foreach (var item in items)
        {
            batch.Add(item);
            if (batch.Count == BatchSize)
            {
                await FlushAsync();
            }
        }

        await FlushAsync();

        async Task FlushAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }

            if (batch.Exists(i => i.ImagePath is not null))
            {
                await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count), parallel, async (i, ct) => results[i] = await ScanAsync(batch[i], ct));
            }
            else if (analyzer.EmbeddingMode != EmbeddingMode.Off)
            {
                // Text with the embedding stage: assess the batch together so that embeddings are computed in batches.
                var parsed = new ScanItem[batch.Count];
                Parallel.For(0, batch.Count, parallel, i => parsed[i] = batch[i].Parsed(options));
                var texts = parsed.Where(i => i.Text is not null).Select(i => i.Text!).ToList();
                var assessments = analyzer.AssessBatch(texts, parallel);
                for (int i = 0, k = 0; i < parsed.Length; i++)
                {
                    results[i] = parsed[i].Text is null ? new ScanResult(parsed[i], null) : new ScanResult(parsed[i], policy.Decide(assessments[k++]));
                }
            }
            else if (threads <= 1 || batch.Count < 8)
            {
                for (int i = 0; i < batch.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    results[i] = Scan(batch[i]);
                }
            }
            else
            {
                Parallel.For(0, batch.Count, parallel, i => results[i] = Scan(batch[i]));
            }

            for (int i = 0; i < batch.Count; i++)
            {
                onResult(results[i]);
            }

            batch.Clear();
        }
    }
}
