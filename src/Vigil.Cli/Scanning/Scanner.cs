using System.Diagnostics;
using System.Threading.Channels;
using Vigil.Core;
using Vigil.Core.Content;
using Vigil.Media;
using Vigil.Moderation.Pipeline;

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
/// Scans a stream of items on several threads through the content pipeline and hands the results back in input order:
/// a text item is a text part, an image file an image part (its bytes read under the decoder's size limit). What the
/// pipeline reports for a part (OCR failed on it) is said on standard error through <paramref name="warn"/>.
/// </summary>
/// <param name="firstImage">Called once, after the first image is assessed (to say what the images were not matched
/// against, say).</param>
internal sealed class Scanner(
    ContentPipeline pipeline, ScanInputOptions options, int threads, ImageDecoder? decoder = null, Action<string>? warn = null, Action? firstImage = null)
{
    private const int BatchSize = 512;
    private readonly ImageDecoder _decoder = decoder ?? new ImageDecoder();
    private int _imagesSeen;

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

    /// <summary>
    /// Scores <paramref name="batch"/> into the first <c>batch.Count</c> places of <paramref name="results"/>: the texts as
    /// one pipeline batch (so that embeddings are computed in batches), the images one at a time on the worker threads
    /// (an image's bytes are held only while it is assessed).
    /// </summary>
    private async Task ScoreAsync(List<ScanItem> batch, ScanResult[] results, ParallelOptions parallel)
    {
        var parsed = new ScanItem[batch.Count];
        if (parallel.MaxDegreeOfParallelism <= 1 || batch.Count < 8)
        {
            for (int i = 0; i < batch.Count; i++)
            {
                parsed[i] = batch[i].Parsed(options);
            }
        }
        else
        {
            Parallel.For(0, batch.Count, parallel, i => parsed[i] = batch[i].Parsed(options));
        }

        var texts = new List<int>();
        var images = new List<int>();
        for (int i = 0; i < parsed.Length; i++)
        {
            if (parsed[i].ImagePath is not null)
            {
                images.Add(i);
            }
            else if (parsed[i].Text is null)
            {
                results[i] = new ScanResult(parsed[i], null);
            }
            else
            {
                texts.Add(i);
            }
        }

        if (texts.Count > 0)
        {
            await AssessAsync(texts, i => [ContentPart.FromText(parsed[i].Text!)], parsed, results, parallel);
        }

        if (images.Count > 0)
        {
            await Parallel.ForEachAsync(images, parallel, async (i, ct) => results[i] = await ScanImageAsync(parsed[i], ct));
        }
    }

    private async Task<ScanResult> ScanImageAsync(ScanItem item, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await MediaFiles.ReadAsync(item.ImagePath!, _decoder, cancellationToken);
        }
        catch (Exception e) when (e is MediaDecodeException or IOException or UnauthorizedAccessException)
        {
            return new ScanResult(item with { Error = MediaFiles.Describe(e) }, null);
        }

        var results = new ScanResult[1];
        await AssessAsync([0], _ => [ContentPart.FromImage(bytes, item.ImagePath)], [item], results, new ParallelOptions { MaxDegreeOfParallelism = 1, CancellationToken = cancellationToken });
        if (Interlocked.Increment(ref _imagesSeen) == 1)
        {
            firstImage?.Invoke();
        }

        return results[0];
    }

    /// <summary>
    /// Assesses the items at <paramref name="at"/> as one pipeline batch. An unexpected failure (a bug: no known input
    /// causes one) makes the batch be assessed again item by item, so that it becomes the error record of the one item
    /// that causes it and one post cannot stop a run over millions.
    /// </summary>
    private async Task AssessAsync(List<int> at, Func<int, IReadOnlyList<ContentPart>> parts, ScanItem[] items, ScanResult[] results, ParallelOptions parallel)
    {
        IReadOnlyList<PipelineResult>? assessed = null;
        try
        {
            assessed = await pipeline.AssessBatchAsync([.. at.Select(parts)], parallel);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // assess one by one below
        }

        for (int k = 0; k < at.Count; k++)
        {
            int i = at[k];
            var result = assessed?[k];
            if (result is null)
            {
                try
                {
                    result = await pipeline.AssessAsync(parts(i), parallel.CancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    results[i] = new ScanResult(items[i] with { Error = $"could not be scanned: {e.GetType().Name}: {e.Message} (a bug in Vigil; please report it)" }, null);
                    continue;
                }
            }

            foreach (var part in result.Parts)
            {
                foreach (var problem in part.Problems)
                {
                    warn?.Invoke($"{items[i].Source}: {problem}");
                }
            }

            results[i] = new ScanResult(items[i], result.Verdict);
        }
    }
}
