using System.Text.Json.Nodes;
using Vigil.Core.Banks;
using Vigil.Storage.Banks;

namespace Vigil.Storage.Contract;

public abstract partial class StoreContract
{
    private const string Pdq1 = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    private const string Pdq2 = "30a10efd71c83f429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af";
    private const string Md5 = "0123456789abcdef0123456789abcdef";

    private HashBank Bank(string name, bool enabled = true, bool allowList = false) =>
        new(name, enabled, allowList, null, Clock.GetUtcNow(), Clock.GetUtcNow());

    [Fact]
    public async Task Banks_and_entries_round_trip()
    {
        var settings = BankSettings.None.With("pdq", new JsonObject { ["threshold"] = 20, ["min_quality"] = 70 }).With("toy_type", new JsonObject { ["anything"] = "kept as given" });
        var tvec = Bank("TVEC-images") with { Description = "test bank", Settings = settings };
        Assert.True(await WriteAsync(unit => unit.Banks.InsertAsync(tvec, None)));
        Assert.True(await WriteAsync(unit => unit.Banks.InsertAsync(Bank("known-good", allowList: true), None)));
        Assert.False(await WriteAsync(unit => unit.Banks.InsertAsync(Bank("tvec-IMAGES"), None)));

        var full = new BankEntry(
            "pdq", Pdq1, new BankLabels("Example Org", "islamist", "terrorism.emblem", ["flag", "v1"]), "collab", "42",
            BankOpinion.Investigate, 0.8, "jpg", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 2, 1, 0, 0, 0, 250, TimeSpan.Zero));
        var added = await WriteAsync(unit => unit.Banks.UpsertEntriesAsync("tvec-images", [full, new BankEntry("md5", Md5), new BankEntry("pdq", Pdq2), new BankEntry("toy_type", "any value")], Clock.GetUtcNow(), None));
        Assert.Equal((4L, 0L), added);
        var addedAt = Clock.GetUtcNow();
        Clock.Advance(TimeSpan.FromHours(1));
        var updated = await WriteAsync(unit => unit.Banks.UpsertEntriesAsync("TVEC-images", [new BankEntry("pdq", Pdq2, new BankLabels(Category: "hate"))], Clock.GetUtcNow(), None));
        Assert.Equal((0L, 1L), updated);

        await Store.DisposeAsync();
        Store = await ReopenStoreAsync(Clock);
        var banks = await Store.Banks.ListAsync(None);
        Assert.Equal(["known-good", "TVEC-images"], banks.Select(b => b.Name));
        Assert.Equal(tvec, banks[1]);
        Assert.Equal(settings, banks[1].Settings);
        Assert.True(banks[0].AllowList);
        Assert.Equal(tvec, await Store.Banks.GetAsync("tvec-images", None));

        var entries = await Store.Banks.GetEntriesAsync("tvec-images", None).ToListAsync();
        Assert.Equal(["pdq", "md5", "pdq", "toy_type"], entries.Select(e => e.SignalType));
        var first = entries[0];
        Assert.True(first.Id > 0);
        Assert.Equal(addedAt, first.AddedAt);
        Assert.Equal(full with { Labels = null, Id = first.Id, AddedAt = first.AddedAt }, first with { Labels = null });
        Assert.Equal(full.LabelsOrNone.ToString(), first.LabelsOrNone.ToString());
        Assert.Equal(("hate", addedAt), (entries[2].LabelsOrNone.Category, entries[2].AddedAt));
        var counts = await Store.Banks.CountEntriesAsync("tvec-images", None);
        Assert.Equal(new Dictionary<string, long> { ["md5"] = 1, ["pdq"] = 2, ["toy_type"] = 1 }, counts);
        Assert.Empty(await Store.Banks.CountEntriesAsync("known-good", None));
    }

    [Fact]
    public async Task Concurrent_upserts_count_only_their_own_entries()
    {
        Assert.True(await WriteAsync(unit => unit.Banks.InsertAsync(Bank("shared"), None)));
        static string Value(int i) => i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

        // Each unit adds one entry of its own while the others add theirs: each added one, updated none.
        var own = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            WriteAsync(unit => unit.Banks.UpsertEntriesAsync("shared", [new BankEntry("md5", Value(i))], Clock.GetUtcNow(), None)))));
        Assert.All(own, counts => Assert.Equal((1L, 0L), counts));

        // All write the same new entry: one added it, the others updated it.
        var same = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            WriteAsync(unit => unit.Banks.UpsertEntriesAsync("shared", [new BankEntry("md5", Md5, new BankLabels(Category: $"c{i}"))], Clock.GetUtcNow(), None)))));
        Assert.Equal(1, same.Count(c => c == (1L, 0L)));
        Assert.Equal(7, same.Count(c => c == (0L, 1L)));
        Assert.Equal(new Dictionary<string, long> { ["md5"] = 13 }, await Store.Banks.CountEntriesAsync("shared", None));
    }

    [Fact]
    public async Task A_bank_read_for_update_is_locked_until_its_unit_of_work_ends()
    {
        Assert.True(await WriteAsync(unit => unit.Banks.InsertAsync(Bank("locked"), None)));
        var first = await Store.BeginAsync(None);
        var locked = (await first.Banks.GetForUpdateAsync("LOCKED", None))!;
        var second = Task.Run(async () =>
        {
            await using var unit = await Store.BeginAsync(None);
            var current = (await unit.Banks.GetForUpdateAsync("locked", None))!;
            await unit.Banks.UpdateAsync(current with { Description = current.Description + " and second" }, None);
            await unit.CommitAsync(None);
        });
        await Task.Delay(300);
        Assert.False(second.IsCompleted); // the second waits for the first
        await first.Banks.UpdateAsync(locked with { Description = "first" }, None);
        await first.CommitAsync(None);
        await first.DisposeAsync();
        await second.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("first and second", (await Store.Banks.GetAsync("locked", None))!.Description); // it read the first's write
        await using var none = await Store.BeginAsync(None);
        Assert.Null(await none.Banks.GetForUpdateAsync("missing", None));
    }

    [Fact]
    public async Task Banks_update_remove_entries_and_delete()
    {
        var bank = Bank("b1");
        await WriteAsync(unit => unit.Banks.InsertAsync(bank, None));
        await WriteAsync(unit => unit.Banks.UpsertEntriesAsync("b1", [new BankEntry("pdq", Pdq1), new BankEntry("md5", Md5)], Clock.GetUtcNow(), None));
        Clock.Advance(TimeSpan.FromMinutes(5));
        var changed = bank with { Enabled = false, AllowList = true, Description = "d", UpdatedAt = Clock.GetUtcNow(), Settings = BankSettings.None.With("pdq", new JsonObject { ["threshold"] = 10 }) };
        await WriteAsync(async unit =>
        {
            await unit.Banks.UpdateAsync(changed, None);
            return 0;
        });
        Assert.Equal(changed, await Store.Banks.GetAsync("B1", None));
        await Assert.ThrowsAsync<HashBankException>(() => WriteAsync(async unit =>
        {
            await unit.Banks.UpdateAsync(Bank("nope"), None);
            return 0;
        }));

        long removed = await WriteAsync(unit => unit.Banks.RemoveEntriesAsync("b1", [new BankEntryKey("md5", Md5), new BankEntryKey("md5", new string('2', 32))], None));
        Assert.Equal(1, removed);
        Assert.Equal(new Dictionary<string, long> { ["pdq"] = 1 }, await Store.Banks.CountEntriesAsync("b1", None));

        Assert.Equal(1L, await WriteAsync(unit => unit.Banks.DeleteAsync("B1", None)));
        Assert.Null(await WriteAsync(unit => unit.Banks.DeleteAsync("b1", None)));
        Assert.Null(await Store.Banks.GetAsync("b1", None));
        await Assert.ThrowsAsync<HashBankException>(() => Store.Banks.CountEntriesAsync("b1", None));
        await Assert.ThrowsAsync<HashBankException>(async () => await Store.Banks.GetEntriesAsync("b1", None).ToListAsync());
        await Assert.ThrowsAsync<HashBankException>(() => WriteAsync(unit => unit.Banks.UpsertEntriesAsync("b1", [new BankEntry("pdq", Pdq1)], Clock.GetUtcNow(), None)));
        await Assert.ThrowsAsync<HashBankException>(() => WriteAsync(unit => unit.Banks.RemoveEntriesAsync("b1", [], None)));
    }

    [Fact]
    public async Task A_failure_while_entries_are_read_writes_none_of_them()
    {
        await WriteAsync(unit => unit.Banks.InsertAsync(Bank("b2"), None));
        static IEnumerable<BankEntry> Failing()
        {
            yield return new BankEntry("pdq", Pdq1);
            throw new ArgumentException("a bad entry");
        }

        await Assert.ThrowsAsync<ArgumentException>(() => WriteAsync(unit => unit.Banks.UpsertEntriesAsync("b2", Failing(), Clock.GetUtcNow(), None)));
        Assert.Empty(await Store.Banks.CountEntriesAsync("b2", None));
    }

    [Fact]
    public async Task Bank_entries_page_by_id()
    {
        await WriteAsync(unit => unit.Banks.InsertAsync(Bank("p"), None));
        await WriteAsync(unit => unit.Banks.UpsertEntriesAsync("p", [new BankEntry("pdq", Pdq1), new BankEntry("md5", Md5), new BankEntry("pdq", Pdq2)], Clock.GetUtcNow(), None));
        var first = await Store.Banks.ListEntriesAsync("P", 0, 2, None);
        Assert.Equal([Pdq1, Md5], first.Select(e => e.Value));
        var rest = await Store.Banks.ListEntriesAsync("p", first[^1].Id, 2, None);
        Assert.Equal(Pdq2, Assert.Single(rest).Value);
        Assert.Empty(await Store.Banks.ListEntriesAsync("p", rest[0].Id, 2, None));
        await Assert.ThrowsAsync<HashBankException>(() => Store.Banks.ListEntriesAsync("nope", 0, 2, None));
    }
}
