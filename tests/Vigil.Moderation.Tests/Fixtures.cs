using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vigil.Core;
using Vigil.Media;
using Vigil.Media.Ocr;
using Vigil.Storage.Contract;
using Vigil.Storage.Sqlite;
using Vigil.Text;

namespace Vigil.Moderation.Tests;

/// <summary>The shipped text detectors and policy (loaded once), images made here, and a fresh SQLite store per test.</summary>
internal static class Fixtures
{
    private static readonly Lazy<(TextAnalyzer Analyzer, Policy Policy)> Shipped = new(() =>
    {
        string data = TextResources.DefaultDirectory();
        var analyzer = new TextAnalyzer(TextResources.Load(data), new TextAnalyzerOptions(IdentifyLanguage: true, Embeddings: EmbeddingMode.Off));
        return (analyzer, analyzer.PolicyFor(Policy.Parse(File.ReadAllText(Path.Combine(data, "policy.json")))));
    });

    public static TextAnalyzer Analyzer => Shipped.Value.Analyzer;

    public static Policy Policy => Shipped.Value.Policy;

    /// <summary>A 64x64 PNG with a pattern that depends on <paramref name="seed"/> (so that PDQ has something to hash).</summary>
    public static byte[] Png(int seed = 1)
    {
        using var image = new Image<Rgb24>(64, 64);
        for (int y = 0; y < 64; y++)
        {
            for (int x = 0; x < 64; x++)
            {
                byte v = (byte)((((x / (8 + seed)) + (y / 8)) % 2 == 0) ? 30 : 220);
                image[x, y] = new Rgb24(v, (byte)(v / 2 + seed), (byte)(255 - v));
            }
        }

        using var buffer = new MemoryStream();
        image.SaveAsPng(buffer);
        return buffer.ToArray();
    }

    /// <summary>The first bytes of a PNG: it starts like one, then ends.</summary>
    public static byte[] TruncatedPng() => Png()[..60];
}

/// <summary>An OCR engine that "reads" the text it was given, for every image.</summary>
internal sealed class FixedOcr(string text, OcrStatus status = OcrStatus.Read) : IOcrEngine
{
    public Task<OcrAvailability> CheckAsync(CancellationToken cancellationToken = default) => Task.FromResult(new OcrAvailability(true, "fixed text"));

    public Task<OcrResult> ReadAsync(DecodedImage image, CancellationToken cancellationToken = default) =>
        Task.FromResult(new OcrResult(status, text, "fixed-ocr 1", status == OcrStatus.Failed ? "timed out" : null));
}

/// <summary>A fresh SQLite store in a temporary file per test, with a clock the test moves.</summary>
public abstract class StoreTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"vigil-moderation-{Guid.NewGuid():N}.db");

    protected static readonly CancellationToken None = CancellationToken.None;

    protected ManualClock Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    protected Storage.IVigilStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await SqliteVigilStore.OpenAsync(_path, Clock);

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
    }
}
