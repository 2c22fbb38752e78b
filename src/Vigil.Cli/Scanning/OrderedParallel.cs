namespace Vigil.Cli.Scanning;

/// <summary>Processes items on several threads and hands the results back in input order, a batch at a time.</summary>
internal static class OrderedParallel
{
    public static async Task RunAsync<TIn, TOut>(
        IEnumerable<TIn> items, Func<TIn, CancellationToken, ValueTask<TOut>> work, Action<TOut> onResult, int threads, int batchSize, CancellationToken cancellationToken)
    {
        var batch = new List<TIn>(batchSize);
        var results = new TOut[batchSize];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellationToken };
        foreach (var item in items)
        {
            batch.Add(item);
            if (batch.Count == batchSize)
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

            await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count), parallel, async (i, ct) => results[i] = await work(batch[i], ct));
            for (int i = 0; i < batch.Count; i++)
            {
                onResult(results[i]);
            }

            batch.Clear();
        }
    }
}
