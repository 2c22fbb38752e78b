using Vigil.Media.Banks;

namespace Vigil.Storage.Banks;

/// <summary>The common entry changes, each one transaction with its audit entry (<see cref="IHashBankStore.ChangeEntriesAsync"/>).</summary>
public static class HashBankEntryChanges
{
    /// <summary>Adds entries (or updates those with the same signal type and value); audited as <c>bank.entries_added</c>.</summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    /// <exception cref="ArgumentException">An entry is invalid; nothing is written.</exception>
    public static Task<HashBankChange> UpsertEntriesAsync(
        this IHashBankStore store, string bank, IEnumerable<BankEntry> entries, string actor, CancellationToken cancellationToken = default) =>
        store.ChangeEntriesAsync(bank, entries, [], new BankChangeAudit(actor, "bank.entries_added"), cancellationToken);

    /// <summary>Removes the entries with these keys; audited as <c>bank.entries_removed</c> (when one was there).</summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    public static Task<HashBankChange> RemoveEntriesAsync(
        this IHashBankStore store, string bank, IEnumerable<BankEntryKey> keys, string actor, CancellationToken cancellationToken = default) =>
        store.ChangeEntriesAsync(bank, [], keys, new BankChangeAudit(actor, "bank.entries_removed"), cancellationToken);
}
