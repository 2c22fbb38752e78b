using Vigil.Core.Banks;

namespace Vigil.Storage.Banks;

/// <summary>Reads hash banks and their entries. Bank names are unique regardless of case; an entry is identified within
/// its bank by signal type and value.</summary>
public interface IBankReader
{
    /// <summary>The bank, or null.</summary>
    Task<HashBank?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every bank, by name.</summary>
    Task<IReadOnlyList<HashBank>> ListAsync(CancellationToken cancellationToken);

    /// <summary>How many entries of each signal type the bank holds (types it has none of are absent).</summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    Task<IReadOnlyDictionary<string, long>> CountEntriesAsync(string bank, CancellationToken cancellationToken);

    /// <summary>The entries of a bank, in the order they were added, streamed.</summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    IAsyncEnumerable<BankEntry> GetEntriesAsync(string bank, CancellationToken cancellationToken);

    /// <summary>A page of a bank's entries in the order they were added: at most <paramref name="limit"/> with an id over <paramref name="afterId"/>.</summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    Task<IReadOnlyList<BankEntry>> ListEntriesAsync(string bank, long afterId, int limit, CancellationToken cancellationToken);
}

/// <summary>Writes hash banks and entries (inside a unit of work).</summary>
public interface IBankWriter : IBankReader
{
    /// <summary>Creates a bank with these times; false when one of that name (regardless of case) exists.</summary>
    Task<bool> InsertAsync(HashBank bank, CancellationToken cancellationToken);

    /// <summary>The bank, locked against other units of work until this one ends (null when there is none): a unit that
    /// changes a bank reads it so, so that a concurrent change is not overwritten with what it read before.</summary>
    Task<HashBank?> GetForUpdateAsync(string name, CancellationToken cancellationToken);

    /// <summary>Writes a bank's settings (enabled, allow-list, description, signal type settings, updated time).</summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    Task UpdateAsync(HashBank bank, CancellationToken cancellationToken);

    /// <summary>Deletes a bank and its entries; returns how many entries it had, or null when there was no such bank.</summary>
    Task<long?> DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>Adds entries, or updates those with the same signal type and value (their labels and dates; the id and
    /// time added stay). Returns how many were new and how many updated.</summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    Task<(long Added, long Updated)> UpsertEntriesAsync(string bank, IEnumerable<BankEntry> entries, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Removes the entries with these keys; returns how many there were.</summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    Task<long> RemoveEntriesAsync(string bank, IEnumerable<BankEntryKey> keys, CancellationToken cancellationToken);
}

/// <summary>Thrown for a bank that does not exist.</summary>
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
