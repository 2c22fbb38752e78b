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
/// by signal type and value, so adding an entry that is there already updates its labels and dates.
/// </summary>
public interface IHashBankStore
{
    /// <summary>Creates a bank (its times are set by the store).</summary>
    /// <exception cref="HashBankException">A bank of that name exists.</exception>
    /// <exception cref="ArgumentException">The bank's settings are invalid (<see cref="HashBank.Validate"/>).</exception>
    Task<HashBank> CreateBankAsync(HashBank bank, CancellationToken cancellationToken = default);

    /// <summary>The bank, or null.</summary>
    Task<HashBank?> GetBankAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every bank, by name.</summary>
    Task<IReadOnlyList<HashBank>> ListBanksAsync(CancellationToken cancellationToken = default);

    /// <summary>Changes a bank's settings (enabled, allow-list, threshold, minimum quality, description).</summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    Task<HashBank> UpdateBankAsync(HashBank bank, CancellationToken cancellationToken = default);

    /// <summary>Deletes a bank and its entries; false when there was none.</summary>
    Task<bool> DeleteBankAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Entry counts of a bank.</summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    Task<HashBankCounts> CountEntriesAsync(string bank, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds entries (or updates those with the same signal type and value) in one transaction. Entries must be
    /// valid (<see cref="BankEntry.Validate"/>); their <see cref="BankEntry.Id"/> and <see cref="BankEntry.AddedAt"/>
    /// are ignored.
    /// </summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    /// <exception cref="ArgumentException">An entry is invalid; nothing is written.</exception>
    Task<HashBankChange> UpsertEntriesAsync(string bank, IEnumerable<BankEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Removes the entries with these keys, in one transaction.</summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    Task<HashBankChange> RemoveEntriesAsync(string bank, IEnumerable<BankEntryKey> keys, CancellationToken cancellationToken = default);

    /// <summary>The entries of a bank, in the order they were added.</summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    IAsyncEnumerable<BankEntry> GetEntriesAsync(string bank, CancellationToken cancellationToken = default);
}
