using System.Text;
using System.Text.Json.Nodes;
using Vigil.Core;
using Vigil.Core.Banks;
using Vigil.Moderation.Banks;
using Vigil.Storage.Banks;

namespace Vigil.Moderation.Tests;

/// <summary>Bank changes: validated against the signal-type registry, audited in their own transaction, announced.</summary>
public sealed class HashBanksTests : StoreTests
{
    private const string Pdq1 = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    private const string Pdq2 = "30a10efd71c83f429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af";
    private const string Md5 = "0123456789abcdef0123456789abcdef";

    private HashBanks Banks() => new(Store, VigilSignalTypes.Default, Clock);

    private static HashBank WithPdq(string name, int threshold) => new(name) { Settings = BankSettings.None.With("pdq", new JsonObject { ["threshold"] = threshold }) };

    [Fact]
    public async Task Banks_are_validated_against_the_registry()
    {
        var banks = Banks();
        await Assert.ThrowsAsync<ArgumentException>(() => banks.CreateAsync(new HashBank("bad name"), "test", None));
        await Assert.ThrowsAsync<ArgumentException>(() => banks.CreateAsync(WithPdq("x", 99), "test", None));
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => banks.CreateAsync(new HashBank("y") { Settings = BankSettings.None.With("nope", new JsonObject { ["a"] = 1 }) }, "test", None));
        Assert.Contains("unknown signal type 'nope'", unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => banks.CreateAsync(new HashBank("z", AllowList: true) { OnMatch = ModerationAction.Remove }, "test", None));

        var created = await banks.CreateAsync(WithPdq("tvec", 20), "test", None);
        Assert.Equal((Clock.GetUtcNow(), Clock.GetUtcNow()), (created.CreatedAt, created.UpdatedAt));
        await Assert.ThrowsAsync<BankExistsException>(() => banks.CreateAsync(new HashBank("TVEC"), "test", None));

        await Assert.ThrowsAsync<ArgumentException>(() => banks.UpsertEntriesAsync("tvec", [new BankEntry("pdq", Pdq1), new BankEntry("md5", "xyz")], "test", None));
        await Assert.ThrowsAsync<ArgumentException>(() => banks.UpsertEntriesAsync("tvec", [new BankEntry("nope", "1")], "test", None));
        Assert.Empty(await Store.Banks.CountEntriesAsync("tvec", None)); // nothing of a refused change is written
        await Assert.ThrowsAsync<HashBankException>(() => banks.UpsertEntriesAsync("missing", [new BankEntry("pdq", Pdq1)], "test", None));
    }

    [Fact]
    public async Task Every_bank_change_is_audited_in_the_chain_with_its_counts()
    {
        var banks = Banks();
        int changes = 0;
        banks.Changed += () => changes++;
        await banks.CreateAsync(WithPdq("tvec", 20), "cli:alice", None);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var bank = await banks.UpdateAsync("TVEC", b => b with { Enabled = false, Description = "d", OnMatch = ModerationAction.Remove }, "key:k1", None);
        Assert.Equal(("tvec", false, "d", Clock.GetUtcNow()), (bank.Name, bank.Enabled, bank.Description, bank.UpdatedAt));
        Assert.Equal(bank, await banks.UpdateAsync("tvec", b => b, "key:k1", None)); // no change, no audit
        await banks.UpsertEntriesAsync("tvec", [new BankEntry("pdq", Pdq1), new BankEntry("md5", Md5)], "key:k1", None);
        await banks.UpsertEntriesAsync("tvec", [], "key:k1", None);
        await banks.RemoveEntriesAsync("tvec", [new BankEntryKey("md5", Md5)], "key:k1", None);
        var problems = new List<BankFileRow>();
        using var file = new MemoryStream(Encoding.UTF8.GetBytes($"{Pdq1}\nzz\n{Pdq2}\n"));
        var import = await banks.ImportAsync("tvec", BankImporter.Read(file, BankFileFormat.Plain, new BankImportOptions(banks.SignalTypes)), new BankImportSource("cli:alice", BankFileFormat.Plain, "list.txt"), problems.Add, None);
        Assert.Equal((1, 1, 0, 1), (import.Added, import.Updated, import.Removed, import.BadRows));
        Assert.Equal(2, Assert.Single(problems).Line);
        Assert.True(await banks.DeleteAsync("tvec", "cli:alice", None));
        Assert.False(await banks.DeleteAsync("tvec", "cli:alice", None));
        Assert.Equal(6, changes);

        var entries = (await Store.Audit.ListAsync(100, null, None)).Reverse().ToList();
        Assert.Equal(["bank.created", "bank.updated", "bank.entries_added", "bank.entries_removed", "bank.imported", "bank.deleted"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("bank:tvec", e.Subject));
        Assert.Equal(["cli:alice", "key:k1", "key:k1", "key:k1", "cli:alice", "cli:alice"], entries.Select(e => e.Actor));
        Assert.Equal("""{"enabled":true,"allow_list":false,"settings":{"pdq":{"threshold":20}},"on_match":null,"description":null}""", entries[0].DetailsJson);
        Assert.Equal("""{"enabled":{"from":true,"to":false},"on_match":{"from":null,"to":"remove"},"description":{"from":null,"to":"d"}}""", entries[1].DetailsJson);
        Assert.Equal("""{"added":2,"updated":0,"removed":0}""", entries[2].DetailsJson);
        Assert.Equal("""{"added":0,"updated":0,"removed":1}""", entries[3].DetailsJson);
        Assert.Equal("""{"added":1,"updated":1,"removed":0,"format":"plain","file":"list.txt","deleted_upstream":0,"bad_rows":1}""", entries[4].DetailsJson);
        Assert.Equal("""{"entries":2}""", entries[5].DetailsJson);
    }

    [Fact]
    public async Task Settings_changes_are_audited_per_signal_type()
    {
        var banks = Banks();
        await banks.CreateAsync(new HashBank("tvec"), "test", None);
        await banks.UpdateAsync("tvec", b => b with { Settings = b.Settings.With("pdq", new JsonObject { ["threshold"] = 12, ["min_quality"] = 60 }) }, "test", None);
        var updated = (await Store.Audit.ListAsync(1, null, None))[0];
        Assert.Equal("""{"settings.pdq":{"from":null,"to":{"threshold":12,"min_quality":60}}}""", updated.DetailsJson);
    }

    [Fact]
    public async Task Stored_banks_load_into_a_matcher_of_the_enabled_ones()
    {
        var banks = Banks();
        await banks.CreateAsync(new HashBank("on"), "test", None);
        await banks.CreateAsync(new HashBank("off", Enabled: false), "test", None);
        await banks.UpsertEntriesAsync("on", [new BankEntry("pdq", Pdq1, new BankLabels(Category: "terrorism.emblem"))], "test", None);
        await banks.UpsertEntriesAsync("off", [new BankEntry("pdq", Pdq1)], "test", None);

        var matcher = await banks.LoadMatcherAsync(null, None);
        var match = Assert.Single(matcher.Match([new Core.Signals.ContentHash("pdq", Pdq1, 100)]).Matches);
        Assert.Equal(("on", "terrorism.emblem"), (match.Bank.Name, match.Entry.LabelsOrNone.Category));
        Assert.Equal(2, (await banks.LoadMatcherAsync("OFF", None)).Match([new Core.Signals.ContentHash("pdq", Pdq1, 100)]).Matches.Count);
        await Assert.ThrowsAsync<HashBankException>(() => banks.LoadMatcherAsync("nope", None));

        var live = new LiveBankMatcher(banks, TimeSpan.FromHours(1), Clock);
        Assert.Equal(1, (await live.CurrentAsync(None)).EntryCount);
        await banks.UpsertEntriesAsync("on", [new BankEntry("md5", Md5)], "test", None);
        Assert.Equal(2, (await live.CurrentAsync(None)).EntryCount); // a change rebuilds it at once
    }
}
