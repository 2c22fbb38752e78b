using Vigil.Moderation.Audit;
using Vigil.Moderation.Cases;
using Vigil.Storage.Audit;
using Vigil.Storage.Cases;
using Vigil.Storage.Contract;

namespace Vigil.Storage.Postgres.Tests;

/// <summary>
/// Several Vigil processes on one database, each with its own store (its own data source and pool, nothing shared in
/// memory), as <c>vigil serve</c> processes behind a load balancer would have: one audit chain, no delivery leased twice,
/// no case claimed twice, and a dead process's leases taken over.
/// </summary>
public sealed class SeveralProcessesTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private string _database = "";
    private PostgresVigilStore _first = null!;
    private PostgresVigilStore _second = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        _first = await PostgresVigilStore.OpenAsync(_database, _clock);
        _second = await PostgresVigilStore.OpenAsync(_database, _clock);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task Appends_from_two_processes_form_one_chain_that_verifies()
    {
        var trails = new[] { new AuditTrail(_first, _clock), new AuditTrail(_second, _clock) };
        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() => trails[i % 2].RecordAsync(new AuditRecord("test", "test", $"thing:{i}"), None))));

        await using var third = await PostgresVigilStore.OpenAsync(_database, _clock);
        var verification = await new AuditTrail(third, _clock).VerifyAsync(None);
        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(60, verification.Entries);
        Assert.Equal(60, (await third.Audit.ReadAllAsync(None).ToListAsync()).Select(e => e.Subject).Distinct().Count());
    }

    [Fact]
    public async Task Two_processes_never_lease_the_same_delivery_and_a_dead_ones_leases_are_taken_over()
    {
        var hook = await WriteAsync(_first, unit => unit.Webhooks.InsertAsync(new Uri("http://127.0.0.1:9/hook"), "s3cret-s3cret-s3", ["decision.created"], "user:admin", _clock.GetUtcNow(), None));
        for (int i = 0; i < 40; i++)
        {
            await WriteAsync(_first, unit => unit.Outbox.EnqueueAsync(hook.Id, "decision.created", $$"""{"n":{{i}}}""", _clock.GetUtcNow(), None));
        }

        var lease = TimeSpan.FromMinutes(2);
        async Task<List<long>> DrainAsync(PostgresVigilStore store, string owner)
        {
            var taken = new List<long>();
            while (await store.Outbox.LeaseDueAsync(_clock.GetUtcNow(), 3, owner, lease, None) is { Count: > 0 } due)
            {
                taken.AddRange(due.Select(d => d.Message.Id));
            }

            return taken;
        }

        var leased = await Task.WhenAll(
            Task.Run(() => DrainAsync(_first, "process-1")), Task.Run(() => DrainAsync(_second, "process-2")),
            Task.Run(() => DrainAsync(_first, "process-1b")), Task.Run(() => DrainAsync(_second, "process-2b")));
        var all = leased.SelectMany(l => l).ToList();
        Assert.Equal(40, all.Count);
        Assert.Equal(40, all.Distinct().Count()); // no delivery went to two
        Assert.True(leased[0].Count + leased[2].Count > 0 && leased[1].Count + leased[3].Count > 0, "both processes leased some");

        // The first process sends its deliveries; the second dies holding its own. Once their leases end, the first
        // takes them over, and not before.
        foreach (long id in leased[0].Concat(leased[2]))
        {
            await _first.Outbox.MarkDeliveredAsync(id, 204, _clock.GetUtcNow(), None);
        }

        var orphaned = leased[1].Concat(leased[3]).Order().ToList();
        await _second.DisposeAsync();
        _second = await PostgresVigilStore.OpenAsync(_database, _clock); // (for DisposeAsync)
        Assert.Empty(await _first.Outbox.LeaseDueAsync(_clock.GetUtcNow(), 50, "process-1", lease, None));
        Assert.Equal(_clock.GetUtcNow() + lease, await _first.Outbox.NextDueAsync(None));
        _clock.Advance(lease + TimeSpan.FromSeconds(1));
        Assert.Equal(orphaned, (await _first.Outbox.LeaseDueAsync(_clock.GetUtcNow(), 50, "process-1", lease, None)).Select(d => d.Message.Id).Order());
    }

    [Fact]
    public async Task Two_processes_claiming_at_once_never_both_get_a_case()
    {
        var cases = new List<ReviewCase>();
        for (int i = 0; i < 10; i++)
        {
            cases.Add(await WriteAsync(_first, async unit =>
            {
                var item = await unit.Content.InsertAsync(TestContent.Item($"case {i}"), _clock.GetUtcNow(), None);
                return await unit.Cases.InsertAsync(TestContent.CaseFor(item.Id, _clock.GetUtcNow()), None);
            }));
        }

        var workflows = new[] { new CaseWorkflow(_first, _clock), new CaseWorkflow(_second, _clock) };
        var claims = await Task.WhenAll(cases.SelectMany(c => Enumerable.Range(0, 6).Select(r =>
            Task.Run(async () => (Case: c.Id, Result: await workflows[r % 2].ClaimAsync(c.Id, $"user:r{r}", TimeSpan.FromMinutes(5), None))))));
        foreach (var group in claims.GroupBy(c => c.Case))
        {
            var winner = Assert.Single(group, c => c.Result.Status == ClaimStatus.Claimed);
            Assert.All(group.Where(c => c.Result.Status != ClaimStatus.Claimed), c => Assert.Equal(ClaimStatus.HeldByOther, c.Result.Status));
            Assert.Equal(winner.Result.Case!.ClaimedBy, (await _second.Cases.GetAsync(group.Key, None))!.ClaimedBy);
        }
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_vigil_is_refused()
    {
        await PostgresServer.ExecuteAsync(_database, "INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_from_the_future', '2030-01-01');");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => PostgresVigilStore.OpenAsync(_database, _clock));
        Assert.Contains("9999_from_the_future", error.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade Vigil", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Processes_starting_together_on_a_new_database_migrate_it_once()
    {
        string fresh = await PostgresServer.CreateDatabaseAsync();
        try
        {
            var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresVigilStore.OpenAsync(fresh, _clock))));
            Assert.All(stores, s => Assert.Equal(PostgresDatabase.EmbeddedMigrations().Select(m => m.Name), s.AppliedMigrations));
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(fresh);
        }
    }

    private static async Task<T> WriteAsync<T>(PostgresVigilStore store, Func<IUnitOfWork, Task<T>> work)
    {
        await using var unit = await store.BeginAsync(None);
        var result = await work(unit);
        await unit.CommitAsync(None);
        return result;
    }
}
