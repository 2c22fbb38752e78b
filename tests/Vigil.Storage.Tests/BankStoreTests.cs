using Microsoft.Data.Sqlite;
using Vigil.Media.Banks;
using Vigil.Storage.Banks;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests;

public sealed class BankStoreTests : IDisposable
{
    private const string Pdq1 = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    private const string Pdq2 = "30a10efd71c83f429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af";
    private const string Md5 = "0123456789abcdef0123456789abcdef";

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"vigil-banks-{Guid.NewGuid():N}.db");
    private readonly FixedTime _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private async Task<SqliteHashBankStore> OpenAsync() => new(await SqliteDatabase.OpenAsync(_path), _time);

    [Fact]
    public async Task Banks_and_entries_round_trip_through_the_database_file()
    {
        var store = await OpenAsync();
        var created = await store.CreateBankAsync(new HashBank("TVEC-images", PdqThreshold: 20, MinQuality: 70, Description: "test bank"), "test");
        Assert.Equal(_time.Now, created.CreatedAt);
        await store.CreateBankAsync(new HashBank("known-good", AllowList: true), "test");
        await Assert.ThrowsAsync<HashBankException>(() => store.CreateBankAsync(new HashBank("tvec-IMAGES"), "test"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateBankAsync(new HashBank("bad name"), "test"));

        var full = new BankEntry(
            BankSignalType.Pdq, Pdq1, new BankLabels("Example Org", "islamist", "terrorism.emblem", ["flag", "v1"]), "collab", "42",
            BankOpinion.Investigate, 0.8, "jpg", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 2, 1, 0, 0, 0, 250, TimeSpan.Zero));
        var change = await store.UpsertEntriesAsync("tvec-images", [full, new BankEntry(BankSignalType.Md5, Md5), new BankEntry(BankSignalType.Pdq, Pdq2)], "test");
        Assert.Equal(new HashBankChange(3, 0, 0), change);

        _time.Now = _time.Now.AddHours(1);
        change = await store.UpsertEntriesAsync("TVEC-images", [new BankEntry(BankSignalType.Pdq, Pdq2, new BankLabels(Category: "hate"))], "test");
        Assert.Equal(new HashBankChange(0, 1, 0), change);

        // A new store on the same file sees everything.
        SqliteConnection.ClearAllPools();
        var reopened = await OpenAsync();
        var banks = await reopened.ListBanksAsync();
        Assert.Equal(["known-good", "TVEC-images"], banks.Select(b => b.Name));
        var bank = banks[1];
        Assert.Equal((20, 70, "test bank", false, true), (bank.PdqThreshold, bank.MinQuality, bank.Description, bank.AllowList, bank.Enabled));
        Assert.Equal(_time.Now, bank.UpdatedAt);
        Assert.True(banks[0].AllowList);

        var entries = await reopened.GetEntriesAsync("tvec-images").ToListAsync();
        Assert.Equal(3, entries.Count);
        var first = entries[0];
        Assert.True(first.Id > 0);
        Assert.Equal(_time.Now.AddHours(-1), first.AddedAt);
        Assert.Equal(full with { Labels = null, Id = first.Id, AddedAt = first.AddedAt }, first with { Labels = null });
        Assert.Equal(full.LabelsOrNone.ToString(), first.LabelsOrNone.ToString());
        Assert.Equal("hate", entries[2].LabelsOrNone.Category);
        Assert.Equal(new HashBankCounts(2, 1, 0), await reopened.CountEntriesAsync("tvec-images"));
    }

    [Fact]
    public async Task Disable_remove_and_delete()
    {
        var store = await OpenAsync();
        var bank = await store.CreateBankAsync(new HashBank("b1"), "test");
        await store.UpsertEntriesAsync("b1", [new BankEntry(BankSignalType.Pdq, Pdq1), new BankEntry(BankSignalType.Md5, Md5)], "test");

        var disabled = await store.UpdateBankAsync(bank with { Enabled = false }, "test");
        Assert.False(disabled.Enabled);
        Assert.False((await store.GetBankAsync("B1"))!.Enabled);
        await Assert.ThrowsAsync<HashBankException>(() => store.UpdateBankAsync(new HashBank("nope"), "test"));

        var removed = await store.RemoveEntriesAsync("b1", [new BankEntryKey(BankSignalType.Md5, Md5), new BankEntryKey(BankSignalType.Md5, new string('2', 32))], "test");
        Assert.Equal(1, removed.Removed);
        Assert.Equal(new HashBankCounts(1, 0, 0), await store.CountEntriesAsync("b1"));

        Assert.True(await store.DeleteBankAsync("b1", "test"));
        Assert.False(await store.DeleteBankAsync("b1", "test"));
        Assert.Null(await store.GetBankAsync("b1"));
        await Assert.ThrowsAsync<HashBankException>(() => store.CountEntriesAsync("b1"));
        await Assert.ThrowsAsync<HashBankException>(async () => await store.GetEntriesAsync("b1").ToListAsync());
    }

    [Fact]
    public async Task An_invalid_entry_writes_nothing()
    {
        var store = await OpenAsync();
        await store.CreateBankAsync(new HashBank("b2"), "test");
        await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertEntriesAsync("b2", [new BankEntry(BankSignalType.Pdq, Pdq1), new BankEntry(BankSignalType.Md5, "xyz")], "test"));
        Assert.Equal(0, (await store.CountEntriesAsync("b2")).Total);
        await Assert.ThrowsAsync<HashBankException>(() => store.UpsertEntriesAsync("missing", [new BankEntry(BankSignalType.Pdq, Pdq1)], "test"));
    }

    [Fact]
    public async Task Every_bank_change_is_audited_in_the_chain_with_its_counts()
    {
        var store = await OpenAsync();
        await store.CreateBankAsync(new HashBank("tvec", PdqThreshold: 20), "cli:alice");
        var bank = await store.UpdateBankAsync(new HashBank("TVEC", Enabled: false, PdqThreshold: 20, Description: "d"), "key:k1");
        Assert.Equal(("tvec", false, "d"), (bank.Name, bank.Enabled, bank.Description));
        Assert.Equal(bank, await store.UpdateBankAsync(bank, "key:k1"));
        await store.UpsertEntriesAsync("tvec", [new BankEntry(BankSignalType.Pdq, Pdq1), new BankEntry(BankSignalType.Md5, Md5)], "key:k1");
        await store.UpsertEntriesAsync("tvec", [], "key:k1");
        await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertEntriesAsync("tvec", [new BankEntry(BankSignalType.Md5, "xyz")], "key:k1"));
        await store.RemoveEntriesAsync("tvec", [new BankEntryKey(BankSignalType.Md5, Md5)], "key:k1");
        using var file = new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"{Pdq1}\nzz\n{Pdq2}\n"));
        var problems = new List<BankFileRow>();
        var import = await store.ImportAsync("tvec", BankImporter.Read(file, BankFileFormat.Plain), new BankImportSource("cli:alice", BankFileFormat.Plain, "list.txt"), problems.Add);
        Assert.Equal((1, 1, 0, 1), (import.Added, import.Updated, import.Removed, import.BadRows));
        Assert.Equal(2, Assert.Single(problems).Line);
        Assert.Equal(problems, import.Problems);
        Assert.True(await store.DeleteBankAsync("tvec", "cli:alice"));

        SqliteConnection.ClearAllPools();
        await using var vigil = await Store.SqliteVigilStore.OpenAsync(_path, _time);
        var entries = (await vigil.Audit.ListAsync(100, null, CancellationToken.None)).Reverse().ToList();
        Assert.Equal(["bank.created", "bank.updated", "bank.entries_added", "bank.entries_removed", "bank.imported", "bank.deleted"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("bank:tvec", e.Subject));
        Assert.Equal(["cli:alice", "key:k1", "key:k1", "key:k1", "cli:alice", "cli:alice"], entries.Select(e => e.Actor));
        Assert.Equal("""{"enabled":true,"allow_list":false,"pdq_threshold":20,"min_quality":50,"description":null}""", entries[0].DetailsJson);
        Assert.Equal("""{"enabled":{"from":true,"to":false},"description":{"from":null,"to":"d"}}""", entries[1].DetailsJson);
        Assert.Equal("""{"added":2,"updated":0,"removed":0}""", entries[2].DetailsJson);
        Assert.Equal("""{"added":0,"updated":0,"removed":1}""", entries[3].DetailsJson);
        Assert.Equal("""{"added":1,"updated":1,"removed":0,"format":"plain","file":"list.txt","deleted_upstream":0,"bad_rows":1}""", entries[4].DetailsJson);
        Assert.Equal("""{"entries":2}""", entries[5].DetailsJson);
        Assert.True((await vigil.Audit.VerifyAsync(CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task Entries_page_by_id()
    {
        var store = await OpenAsync();
        await store.CreateBankAsync(new HashBank("p"), "test");
        await store.UpsertEntriesAsync("p", [new BankEntry(BankSignalType.Pdq, Pdq1), new BankEntry(BankSignalType.Md5, Md5), new BankEntry(BankSignalType.Pdq, Pdq2)], "test");
        var first = await store.ListEntriesAsync("P", 0, 2);
        Assert.Equal([Pdq1, Md5], first.Select(e => e.Value));
        var rest = await store.ListEntriesAsync("p", first[^1].Id, 2);
        Assert.Equal(Pdq2, Assert.Single(rest).Value);
        Assert.Empty(await store.ListEntriesAsync("p", rest[0].Id, 2));
        await Assert.ThrowsAsync<HashBankException>(() => store.ListEntriesAsync("nope", 0, 2));
    }

    [Fact]
    public async Task Stored_banks_load_into_a_matcher()
    {
        var store = await OpenAsync();
        await store.CreateBankAsync(new HashBank("on"), "test");
        await store.CreateBankAsync(new HashBank("off", Enabled: false), "test");
        await store.UpsertEntriesAsync("on", [new BankEntry(BankSignalType.Pdq, Pdq1, new BankLabels(Category: "terrorism.emblem"))], "test");
        await store.UpsertEntriesAsync("off", [new BankEntry(BankSignalType.Pdq, Pdq1)], "test");

        var builder = new BankMatcher.Builder();
        foreach (var bank in await store.ListBanksAsync())
        {
            if (builder.AddBank(bank))
            {
                await foreach (var entry in store.GetEntriesAsync(bank.Name))
                {
                    builder.Add(bank.Name, entry);
                }
            }
        }

        var result = builder.Build().Match(null, new Media.PdqResult(Media.PdqHash.Parse(Pdq1), 100));
        var match = Assert.Single(result.Matches);
        Assert.Equal("on", match.Bank.Name);
        Assert.Equal("terrorism.emblem", match.Entry.LabelsOrNone.Category);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
