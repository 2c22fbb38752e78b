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
/// Scans a stream of items on several threads and hands the results back in input order.
/// </summary>
internal sealed class Scanner(TextAnalyzer analyzer, Policy policy, ScanInputOptions options, int threads)
{
    private const int BatchSize = 512;

    public ScanResult Scan(ScanItem item)
    {
        item = item.Parsed(options);
        return item.Text is null ? new ScanResult(item, null) : new ScanResult(item, policy.Decide(analyzer.Assess(item.Text)));
    }

    /// <summary>Scans <paramref name="items"/>, calling <paramref name="onResult"/> for each result in input order.</summary>
    public void Run(IEnumerable<ScanItem> items, Action<ScanResult> onResult, CancellationToken cancellationToken)
    {
        var batch = new List<ScanItem>(BatchSize);
        var results = new ScanResult[BatchSize];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellationToken };
        foreach (var item in items)
        {
            batch.Add(item);
            if (batch.Count == BatchSize)
            {
                Flush();
            }
        }

        Flush();

        void Flush()
        {
            if (batch.Count == 0)
            {
                return;
            }

            if (threads <= 1 || batch.Count < 8)
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
