using Vigil.Media.Banks;

namespace Vigil.Storage.Banks;

/// <summary>How many entries of each signal type a bank holds.</summary>
public sealed record HashBankCounts(long Pdq, long Md5, long Sha256)
{
    public long Total => Pdq + Md5 + Sha256;
}

/// <summary>What an upsert or removal changed.</summary>
/// <param name="Added">New entries.</param>
/// <param name="Updated">Entries that were there already (same signal type and value) and took the new labels and dates.</param>
/// <param name="Removed">Entries removed.</param>
public sealed record HashBankChange(long Added, long Updated, long Removed);

/// <summary>How a change to a bank's entries is audited.</summary>
/// <param name="Actor">Who: <c>user:NAME</c>, <c>key:ID</c> or <c>cli:USER</c>.</param>
/// <param name="Action">What, e.g. <c>bank.entries_added</c>, <c>bank.entries_removed</c>, <c>bank.imported</c>.</param>
/// <param name="Details">
/// Further details of the audit entry (e.g. the file imported, the rows refused), asked for once the entries have
/// been read, so that it may count what their enumeration skipped; the store adds <c>added</c>, <c>updated</c> and
/// <c>removed</c>.
/// </param>
public sealed record BankChangeAudit(string Actor, string Action, Func<IReadOnlyDictionary<string, object?>>? Details = null);

/// <summary>Thrown for a bank that does not exist, or one that already does when creating it.</summary>
public sealed class HashBankException : Exception
{
    public HashBankException()
    {
    }

    public HashBankException(string message)
        : base(message)
    {
    }

    public HashBankException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Hash banks and their entries. Bank names are unique regardless of case; an entry is identified within its bank
/// by signal type and value, so adding an entry that is there already updates its labels and dates. Every change
/// names its actor and writes an entry to the audit log (subject <c>bank:NAME</c>) in the change's own
/// transaction, so that a change and its audit entry commit together or not at all.
/// </summary>
public interface IHashBankStore
{
    /// <summary>Creates a bank (its times are set by the store); audited as <c>bank.created</c> with its settings.</summary>
    /// <param name="actor">Who: <c>user:NAME</c>, <c>key:ID</c> or <c>cli:USER</c>.</param>
    /// <exception cref="HashBankException">A bank of that name exists.</exception>
    /// <exception cref="ArgumentException">The bank's settings are invalid (<see cref="HashBank.Validate"/>).</exception>
    Task<HashBank> CreateBankAsync(HashBank bank, string actor, CancellationToken cancellationToken = default);

    /// <summary>The bank, or null.</summary>
    Task<HashBank?> GetBankAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every bank, by name.</summary>
    Task<IReadOnlyList<HashBank>> ListBanksAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes a bank's settings (enabled, allow-list, threshold, minimum quality, description); audited as
    /// <c>bank.updated</c> with each changed setting's old and new value. Settings equal to the stored ones change
    /// (and audit) nothing.
    /// </summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    Task<HashBank> UpdateBankAsync(HashBank bank, string actor, CancellationToken cancellationToken = default);

    /// <summary>Deletes a bank and its entries (audited as <c>bank.deleted</c>); false when there was none.</summary>
    Task<bool> DeleteBankAsync(string name, string actor, CancellationToken cancellationToken = default);

    /// <summary>Entry counts of a bank.</summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    Task<HashBankCounts> CountEntriesAsync(string bank, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds entries (or updates those with the same signal type and value), then removes the entries with the
    /// <paramref name="removals"/> keys, in one transaction with its audit entry. <paramref name="removals"/> is
    /// enumerated after <paramref name="entries"/>, so it may be filled while they are read (as an import's
    /// deletion records are). Entries must be valid (<see cref="BankEntry.Validate"/>); their
    /// <see cref="BankEntry.Id"/> and <see cref="BankEntry.AddedAt"/> are ignored. A call that writes nothing
    /// audits nothing.
    /// </summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    /// <exception cref="ArgumentException">An entry is invalid; nothing is written.</exception>
    Task<HashBankChange> ChangeEntriesAsync(
        string bank, IEnumerable<BankEntry> entries, IEnumerable<BankEntryKey> removals, BankChangeAudit audit, CancellationToken cancellationToken = default);

    /// <summary>The entries of a bank, in the order they were added.</summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    IAsyncEnumerable<BankEntry> GetEntriesAsync(string bank, CancellationToken cancellationToken = default);

    /// <summary>A page of a bank's entries in the order they were added: at most <paramref name="limit"/> with an id over <paramref name="afterId"/>.</summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    Task<IReadOnlyList<BankEntry>> ListEntriesAsync(string bank, long afterId, int limit, CancellationToken cancellationToken = default);
}
