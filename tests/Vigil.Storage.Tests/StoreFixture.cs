using Vigil.Core;
using Vigil.Storage.Content;
using Vigil.Storage.Store;

namespace Vigil.Storage.Tests;

/// <summary>A fresh store in a temporary file, with a clock the test moves.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    private TempStore(SqliteVigilStore store, ManualClock clock, string path)
    {
        Store = store;
        Clock = clock;
        DatabasePath = path;
    }

    public SqliteVigilStore Store { get; }

    public ManualClock Clock { get; }

    public string DatabasePath { get; }

    public static async Task<TempStore> CreateAsync()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        string path = Path.Combine(Path.GetTempPath(), $"vigil-store-{Guid.NewGuid():N}.db");
        return new TempStore(await SqliteVigilStore.OpenAsync(path, clock), clock, path);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(DatabasePath + suffix);
        }
    }

    public static NewContent Content(string text, VerdictKind kind = VerdictKind.Review, string? author = "author-1", string[]? labels = null, ImageUpload? image = null)
    {
        labels ??= kind == VerdictKind.Clear ? [] : ["terrorism.propaganda"];
        var verdict = new Verdict(
            kind,
            labels,
            Taxonomy.All.ToDictionary(c => c.Id, c => labels.Contains(c.Id) ? 0.6 : 0.01),
            ContentContext.None,
            "en",
            [new Evidence(0, 3, SignalTypes.Lexicon, "a coded term")],
            ["UK TA 2006 s.2"],
            "policy-1");
        var signals = new[] { new Signal(SignalTypes.Lexicon, "terrorism.propaganda", 0.6, verdict.Evidence) };
        return new NewContent("post-1", author, "https://example.test/p/1", """{"channel":"general"}""", text, image, "key:test",
            new ContentResult(verdict, signals, kind == VerdictKind.Clear ? ModerationAction.Allow : ModerationAction.Review, "default", null));
    }
}

internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
