using Vigil.Core;
using Vigil.Storage.Cases;
using Vigil.Storage.Content;

namespace Vigil.Storage.Contract;

/// <summary>A clock the tests move.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>
/// The contract every storage backend keeps: content and its parts, cases and decisions, users, keys, webhooks and
/// their outbox, the audit chain, policies, hash banks, migrations and units of work (one transaction, exclusive,
/// rolled back unless committed). A backend runs it with one class that derives from this one and says how to open a
/// fresh, empty store (and reopen the same one); each test gets its own.
/// </summary>
public abstract partial class StoreContract : IAsyncLifetime
{
    protected static readonly CancellationToken None = CancellationToken.None;

    /// <summary>The clock the store (and the use cases under test) read.</summary>
    protected ManualClock Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    /// <summary>This test's store.</summary>
    protected IVigilStore Store { get; private set; } = null!;

    /// <summary>Opens a fresh, empty, migrated store for this test.</summary>
    protected abstract Task<IVigilStore> OpenStoreAsync(TimeProvider clock);

    /// <summary>Opens this test's store again, as another process would (it must see every committed write).</summary>
    protected abstract Task<IVigilStore> ReopenStoreAsync(TimeProvider clock);

    /// <summary>Runs SQL on this test's database behind the store's back (to tamper with it, as an attacker with file or
    /// database access would). Throws what the database throws.</summary>
    protected abstract Task ExecuteRawAsync(string sql);

    /// <summary>Removes this test's database.</summary>
    protected abstract Task DropStoreAsync();

    /// <summary>The migrations a fresh store of this backend must have applied, in order.</summary>
    protected abstract IReadOnlyList<string> ExpectedMigrations { get; }

    public async Task InitializeAsync() => Store = await OpenStoreAsync(Clock);

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await DropStoreAsync();
    }

    /// <summary>Runs <paramref name="work"/> in one unit of work and commits it.</summary>
    protected async Task<T> WriteAsync<T>(Func<IUnitOfWork, Task<T>> work)
    {
        await using var unit = await Store.BeginAsync(None);
        var result = await work(unit);
        await unit.CommitAsync(None);
        return result;
    }

    /// <summary>A content item with a review verdict (or the given kind).</summary>
    protected static NewContent Content(string text, VerdictKind kind = VerdictKind.Review, string? author = "author-1", string[]? labels = null, IReadOnlyList<NewPart>? parts = null) =>
        TestContent.Item(text, kind, author, labels, parts);

    /// <summary>Stores a content item and opens its case, as submitting does.</summary>
    protected async Task<ReviewCase> OpenCaseAsync(string text = "a", string queue = "default", int priority = 50, string[]? labels = null, bool threat = false)
    {
        return await WriteAsync(async unit =>
        {
            var item = await unit.Content.InsertAsync(Content(text, labels: labels), Clock.GetUtcNow(), None);
            return await unit.Cases.InsertAsync(TestContent.CaseFor(item.Id, Clock.GetUtcNow(), queue, priority, labels, threat), None);
        });
    }
}

/// <summary>Content and cases as the tests store them (for the contract suite and the backends' own tests).</summary>
public static class TestContent
{
    /// <summary>A content item with a review verdict (or the given kind).</summary>
    public static NewContent Item(string text, VerdictKind kind = VerdictKind.Review, string? author = "author-1", string[]? labels = null, IReadOnlyList<NewPart>? parts = null)
    {
        labels ??= kind == VerdictKind.Clear ? [] : ["terrorism.propaganda"];
        var verdict = new Verdict(
            kind,
            labels,
            Taxonomy.All.ToDictionary(c => c.Id, c => labels.Contains(c.Id) ? 0.6 : 0.01),
            ContentContext.None,
            "en",
            [new Evidence(0, 3, SignalKinds.Lexicon, "a coded term")],
            ["UK TA 2006 s.2"],
            "policy-1");
        var signals = new[] { new Signal(SignalKinds.Lexicon, "terrorism.propaganda", 0.6, verdict.Evidence), new Signal("pdq", "none", 0.9, []) { Bank = "tvec" } };
        return new NewContent("post-1", author, "https://example.test/p/1", """{"channel":"general"}""", text, parts ?? [], "key:test",
            new Storage.Content.ContentResult(verdict, signals, kind == VerdictKind.Clear ? ModerationAction.Allow : ModerationAction.Review, "default", null));
    }

    /// <summary>A review case for a content item, opened at <paramref name="at"/>.</summary>
    public static NewCase CaseFor(long contentId, DateTimeOffset at, string queue = "default", int priority = 50, string[]? labels = null, bool threat = false) =>
        new(contentId, queue, priority, VerdictKind.Review, ModerationAction.Review, labels ?? ["terrorism.propaganda"], "en", threat, "policy-1", at);
}
