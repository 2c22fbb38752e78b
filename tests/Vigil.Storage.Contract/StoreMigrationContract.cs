using Vigil.Moderation.Access;
using Vigil.Moderation.Audit;
using Vigil.Moderation.Hosting;
using Vigil.Storage.Audit;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Contract;

/// <summary>
/// <c>vigil migrate</c>'s use case (<see cref="StoreMigration"/>) from a SQLite deployment into a backend's store: a
/// class deriving from this one says how to open an empty target (and reopen it).
/// </summary>
public abstract partial class StoreMigrationContract : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _sourcePath = Path.Combine(Path.GetTempPath(), $"vigil-migrate-source-{Guid.NewGuid():N}.db");

    protected ManualClock Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    private SqliteVigilStore Source { get; set; } = null!;

    private IVigilStore Target { get; set; } = null!;

    /// <summary>Opens an empty store to copy into.</summary>
    protected abstract Task<IVigilStore> OpenTargetAsync(TimeProvider clock);

    /// <summary>Removes the target's database.</summary>
    protected abstract Task DropTargetAsync();

    public async Task InitializeAsync()
    {
        Source = await SqliteVigilStore.OpenAsync(_sourcePath, Clock);
        Target = await OpenTargetAsync(Clock);
    }

    public async Task DisposeAsync()
    {
        await Source.DisposeAsync();
        await Target.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_sourcePath);
        await DropTargetAsync();
    }

    /// <summary>A deployment that has been used: a bit of everything, written by the use cases.</summary>
    private Task UseAsync(IVigilStore store, string suffix) => new UsedDeployment(Clock).UseAsync(store, suffix);

    [Fact]
    public async Task A_deployment_is_copied_whole_and_a_second_run_copies_only_what_is_new()
    {
        await UseAsync(Source, "");
        var first = await new StoreMigration(Source, Target).RunAsync(null, None);
        Assert.True(first.Ok, string.Join("; ", first.Problems));
        Assert.Equal(first.Source, first.Target);
        Assert.All(first.Steps, s => Assert.Equal(0, s.AlreadyThere));
        Assert.Equal(first.Source.Audit, first.TargetAudit.Entries);

        // As it was, read through the target: ids, hashes, bytes and the chain.
        Assert.Equal(
            await Source.Audit.ReadAllAsync(None).ToListAsync(),
            await Target.Audit.ReadAllAsync(None).ToListAsync());
        Assert.Equal((await Source.Content.GetPartAsync(3, "image", None))!.Value.Bytes, (await Target.Content.GetPartAsync(3, "image", None))!.Value.Bytes);
        Assert.Equal(
            (await Source.Cases.ListDecisionsAsync(2, None)).Select(d => (d.Id, d.Value, d.DecidedAt)),
            (await Target.Cases.ListDecisionsAsync(2, None)).Select(d => (d.Id, d.Value, d.DecidedAt)));
        Assert.Equal((await Source.Cases.GetAsync(3, None))!.ClaimedBy, (await Target.Cases.GetAsync(3, None))!.ClaimedBy);
        Assert.NotNull(await new UserAccounts(Target, Clock).SignInAsync("ANN", "a-long-enough-password", None)); // the hash came along
        var webhook = Assert.Single(await Target.Webhooks.ListAsync(None));
        Assert.Equal(2, (await Target.Webhooks.ListDeliveriesAsync(webhook.Id, 10, None)).Count);
        Assert.Equal(3, await Target.Users.CountExposureAsync("ann", DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime), None));
        Assert.Equal(
            (await Source.Banks.GetEntriesAsync("tvec", None).ToListAsync()).Select(e => (e.Value, e.AddedAt)),
            (await Target.Banks.GetEntriesAsync("tvec", None).ToListAsync()).Select(e => (e.Value, e.AddedAt)));

        // Again, at once: nothing new, nothing duplicated.
        var again = await new StoreMigration(Source, Target).RunAsync(null, None);
        Assert.True(again.Ok, string.Join("; ", again.Problems));
        Assert.All(again.Steps, s => Assert.Equal(0, s.Copied));
        Assert.Equal(first.Target, again.Target);

        // The source went on being used: a third run copies what is new, the chain continues.
        await UseAsync(Source, "-2");
        var third = await new StoreMigration(Source, Target).RunAsync(null, None);
        Assert.True(third.Ok, string.Join("; ", third.Problems));
        Assert.Equal(third.Source, third.Target);
        Assert.Contains(third.Steps, s => s.Kind == "audit" && s.Copied > 0 && s.AlreadyThere == first.Source.Audit);
        Assert.True((await new AuditTrail(Target, Clock).VerifyAsync(None)).Ok);

        // The target, used on its own from then on, is not the source's: the fourth run is refused and writes nothing.
        await new AuditTrail(Source, Clock).RecordAsync(new AuditRecord("cli", "test", "on the source"), None);
        await new AuditTrail(Target, Clock).RecordAsync(new AuditRecord("cli", "test", "on the target"), None);
        var before = await Target.Export.CountAsync(None);
        await Assert.ThrowsAsync<StoreMigrationException>(() => new StoreMigration(Source, Target).RunAsync(null, None));
        Assert.Equal(before, await Target.Export.CountAsync(None));
    }

    [Fact]
    public async Task A_target_that_went_on_from_a_copy_is_not_refused()
    {
        await UseAsync(Source, "");
        Assert.True((await new StoreMigration(Source, Target).RunAsync(null, None)).Ok);
        await new AuditTrail(Target, Clock).RecordAsync(new AuditRecord("cli", "test", "served from the target"), None);
        var again = await new StoreMigration(Source, Target).RunAsync(null, None);
        Assert.True(again.Ok, string.Join("; ", again.Problems));
        Assert.Equal(again.Source.Audit + 1, again.Target.Audit);
    }

    private static async Task<T> WriteAsync<T>(IVigilStore store, Func<IUnitOfWork, Task<T>> work)
    {
        await using var unit = await store.BeginAsync(None);
        var result = await work(unit);
        await unit.CommitAsync(None);
        return result;
    }
}
