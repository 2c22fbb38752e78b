using Vigil.Cli.Scanning;
using Vigil.Core;
using Vigil.Core.Content;
using Vigil.Core.Signals;
using Vigil.Media;
using Vigil.Moderation;
using Vigil.Moderation.Pipeline;
using Vigil.Text;

namespace Vigil.Cli.Tests;

/// <summary>The scan loop itself: results in input order on any number of threads, and failures that stop it cleanly.</summary>
public sealed class ScannerTests
{
    private static readonly Lazy<(TextAnalyzer Analyzer, Policy Policy)> Shipped = new(() =>
    {
        string data = TextResources.DefaultDirectory();
        var analyzer = new TextAnalyzer(TextResources.Load(data), new TextAnalyzerOptions(Embeddings: EmbeddingMode.Off));
        return (analyzer, Policy.Parse(File.ReadAllText(Path.Combine(data, "policy.json"))));
    });

    private static ContentPipeline Pipeline(params IContentDetector[] detectors) =>
        new(VigilSignalTypes.Default, [new ImagePartReader(new ImageDecoder())], detectors, FixedBankMatcher.None, Shipped.Value.Policy);

    private static Scanner NewScanner(int threads) => new(Pipeline(new TextDetector(Shipped.Value.Analyzer)), new ScanInputOptions(), threads);

    /// <summary>Several batches' worth of items, some flagged, some input errors.</summary>
    private static IEnumerable<ScanItem> Items(int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return i % 7 == 3
                ? new ScanItem($"item-{i}", null, "test", Error: "missing field 'text'")
                : new ScanItem($"item-{i}", i % 5 == 0 ? "new release from amaq, share it" : $"the gardening club meets on day {i}", "test");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Results_come_back_in_input_order_whatever_the_threads(int threads)
    {
        var results = new List<ScanResult>();
        await NewScanner(threads).RunAsync(Items(2_000), results.Add, CancellationToken.None);

        Assert.Equal(Items(2_000).Select(i => i.Id), results.Select(r => r.Item.Id));
        Assert.All(results.Where((_, i) => i % 7 == 3), r => Assert.Null(r.Verdict));
        Assert.All(results.Where((_, i) => i % 7 != 3 && i % 5 == 0), r => Assert.Contains("terrorism.propaganda", r.Verdict!.Labels));
        Assert.All(results.Where((_, i) => i % 7 != 3 && i % 5 != 0), r => Assert.Equal(VerdictKind.Clear, r.Verdict!.Kind));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_failing_writer_stops_the_scan_with_its_own_error(int threads)
    {
        int written = 0;
        var error = await Assert.ThrowsAsync<IOException>(() => NewScanner(threads).RunAsync(Items(5_000), _ =>
        {
            if (++written == 600)
            {
                throw new IOException("disk full");
            }
        }, CancellationToken.None));

        Assert.Equal("disk full", error.Message);
        Assert.Equal(600, written);
    }

    [Fact]
    public async Task A_failing_reader_stops_the_scan_with_its_own_error()
    {
        static IEnumerable<ScanItem> Broken()
        {
            foreach (var item in Items(1_000))
            {
                yield return item;
            }

            throw new InvalidDataException("unreadable input");
        }

        var results = new List<ScanResult>();
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => NewScanner(2).RunAsync(Broken(), results.Add, CancellationToken.None));
        Assert.Equal("unreadable input", error.Message);
    }

    [Fact]
    public async Task Cancellation_ends_the_scan_as_cancelled()
    {
        using var cancel = new CancellationTokenSource();
        int written = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewScanner(2).RunAsync(Items(20_000), _ =>
        {
            if (++written == 100)
            {
                cancel.Cancel();
            }
        }, cancel.Token));
        Assert.True(written < 20_000);
    }

    /// <summary>A detector that fails on one text, as a bug would (failing the whole batch that holds it).</summary>
    private sealed class FailingDetector : IContentDetector
    {
        public IReadOnlyList<string> PartTypes { get; } = [Core.Content.PartTypes.Text];

        public Task<IReadOnlyList<DetectorResult>> DetectAsync(IReadOnlyList<PartView> parts, ParallelOptions parallel) =>
            parts.Any(p => p.Part.Text!.Contains("day 777", StringComparison.Ordinal))
                ? throw new InvalidOperationException("simulated bug")
                : Task.FromResult<IReadOnlyList<DetectorResult>>([.. parts.Select(_ => DetectorResult.None)]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task An_unexpected_failure_on_one_post_costs_that_post_only(int threads)
    {
        var results = new List<ScanResult>();
        await new Scanner(Pipeline(new TextDetector(Shipped.Value.Analyzer), new FailingDetector()), new ScanInputOptions(), threads).RunAsync(Items(2_000), results.Add, CancellationToken.None);

        Assert.Equal(Items(2_000).Select(i => i.Id), results.Select(r => r.Item.Id));
        var failed = Assert.Single(results, r => r.Item.Error?.Contains("simulated bug", StringComparison.Ordinal) == true);
        Assert.Equal("item-777", failed.Item.Id);
        Assert.Null(failed.Verdict);
        Assert.Equal(2_000 - Items(2_000).Count(i => i.Error is not null) - 1, results.Count(r => r.Verdict is not null));
    }
}
