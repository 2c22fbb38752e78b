using System.Diagnostics;
using System.Threading.Channels;
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
internal sealed class Scanner(ITextScorer scorer, ScanInputOptions options, int threads, ImageScanner? images = null)
{
    private const int BatchSize = 512;

    public Scanner(TextAnalyzer analyzer, Policy policy, ScanInputOptions options, int threads, ImageScanner? images = null)
        : this(new PolicyTextScorer(analyzer, policy), options, threads, images)
    {
    }

    public ScanResult Scan(ScanItem item)
    {
        if (item.ImagePath is not null)
        {
            return new ScanResult(item with { Error = "images are not scanned here" }, null);
        }

        item = item.Parsed(options);
        return item.Text is null ? new ScanResult(item, null) : ScoreOne(item);
    }

    /// <summary>
    /// Scores one parsed text item. An unexpected failure (a bug: no known input causes one) becomes that item's error
    /// record, so that one post cannot stop a run over millions.
    /// </summary>
    private ScanResult ScoreOne(ScanItem item)
    {
        try
        {
            return new ScanResult(item, scorer.Score(item.Text!));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new ScanResult(item with { Error = $"could not be scanned: {e.GetType().Name}: {e.Message} (a bug in Vigil; please report it)" }, null);
        }
    }

    public ValueTask<ScanResult> ScanAsync(ScanItem item, CancellationToken cancellationToken) =>
        item.ImagePath is not null && images is not null ? images.ScanAsync(item, cancellationToken) : ValueTask.FromResult(Scan(item));

    /// <summary>
    /// Scans <paramref name="items"/>, calling <paramref name="onResult"/> for each result in input order. On one thread,
    /// reading, scoring and writing take turns; on more, they overlap: one task reads the next batch and another writes
    /// the last one while the batch between them is scored.
    /// </summary>
    public Task RunAsync(IEnumerable<ScanItem> items, Action<ScanResult> onResult, CancellationToken cancellationToken) =>
        threads <= 1 ? RunSequentialAsync(items, onResult, cancellationToken) : RunPipelinedAsync(items, onResult, cancellationToken);

    private async Task RunSequentialAsync(IEnumerable<ScanItem> items, Action<ScanResult> onResult, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 1, CancellationToken = cancellationToken };
        var results = new ScanResult[BatchSize];
        foreach (var batch in Batches(items))
        {
            await ScoreAsync(batch, results, parallel);
            for (int i = 0; i < batch.Count; i++)
            {
                onResult(results[i]);
            }
        }
    }

    private async Task RunPipelinedAsync(IEnumerable<ScanItem> items, Action<ScanResult> onResult, CancellationToken cancellationToken)
    {
        // Two batches in flight between stages: enough to keep every stage busy, little memory.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = stop.Token;
        var read = Channel.CreateBounded<List<ScanItem>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var scored = Channel.CreateBounded<(int Count, ScanResult[] Results)>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = token };

        var reader = Stage(e => read.Writer.TryComplete(e), async () =>
        {
            foreach (var batch in Batches(items))
            {
                await read.Writer.WriteAsync([.. batch], token);
            }
        });
        var scorer = Stage(e => scored.Writer.TryComplete(e), async () =>
        {
            await foreach (var batch in read.Reader.ReadAllAsync(token))
            {
                var results = new ScanResult[batch.Count];
                await ScoreAsync(batch, results, parallel);
                await scored.Writer.WriteAsync((batch.Count, results), token);
            }
        });
        var writer = Stage(_ => { }, async () =>
        {
            await foreach (var (count, results) in scored.Reader.ReadAllAsync(token))
            {
                for (int i = 0; i < count; i++)
                {
                    onResult(results[i]);
                }
            }
        });

        try
        {
            await Task.WhenAll(reader, scorer, writer);
        }
        catch
        {
            // A failed stage stops the others, which then end cancelled: report the failure that started it.
            var failure = new[] { reader, scorer, writer }
                .Select(t => t.Exception?.InnerException)
                .FirstOrDefault(e => e is not null and not OperationCanceledException);
            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }

            throw;
        }

        // Runs one stage on the thread pool; when it ends, its output is complete, and when it fails, the others stop.
        Task Stage(Action<Exception?> complete, Func<Task> body) => Task.Run(async () =>
        {
            try
            {
                await body();
                complete(null);
            }
            catch (Exception e)
            {
                complete(e);
                stop.Cancel();
                throw;
            }
        }, CancellationToken.None);
    }

    /// <summary>The items in batches of <see cref="BatchSize"/>; the list is reused, so copy it to keep it.</summary>
    private static IEnumerable<List<ScanItem>> Batches(IEnumerable<ScanItem> items)
    {
        var batch = new List<ScanItem>(BatchSize);
        foreach (var item in items)
        {
            batch.Add(item);
            if (batch.Count == BatchSize)
            {
                yield return batch;
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>Scores <paramref name="batch"/> into the first <c>batch.Count</c> places of <paramref name="results"/>.</summary>
    private async Task ScoreAsync(List<ScanItem> batch, ScanResult[] results, ParallelOptions parallel)
    {
        if (batch.Exists(i => i.ImagePath is not null))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count), parallel, async (i, ct) => results[i] = await ScanAsync(batch[i], ct));
        }
        else if (scorer.PrefersBatches)
        {
            // Text with the embedding stage: assess the batch together so that embeddings are computed in batches.
            var parsed = new ScanItem[batch.Count];
            Parallel.For(0, batch.Count, parallel, i => parsed[i] = batch[i].Parsed(options));
            var texts = parsed.Where(i => i.Text is not null).Select(i => i.Text!).ToList();
            IReadOnlyList<Verdict>? verdicts;
            try
            {
                verdicts = scorer.ScoreBatch(texts, parallel);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                verdicts = null; // score the batch's items one by one, so that only the one that fails is lost
            }

            if (verdicts is null)
            {
                Parallel.For(0, parsed.Length, parallel, i => results[i] = Scan(parsed[i]));
            }
            else
            {
                for (int i = 0, k = 0; i < parsed.Length; i++)
                {
                    results[i] = parsed[i].Text is null ? new ScanResult(parsed[i], null) : new ScanResult(parsed[i], verdicts[k++]);
                }
            }
        }
        else if (parallel.MaxDegreeOfParallelism <= 1 || batch.Count < 8)
        {
            for (int i = 0; i < batch.Count; i++)
            {
                parallel.CancellationToken.ThrowIfCancellationRequested();
                results[i] = Scan(batch[i]);
            }
        }
        else
        {
            Parallel.For(0, batch.Count, parallel, i => results[i] = Scan(batch[i]));
        }
    }
}
