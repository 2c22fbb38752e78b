using Vigil.Core.Banks;

namespace Vigil.Moderation.Banks;

/// <summary>Where imported rows come from, for the audit entry.</summary>
/// <param name="Actor">Who: <c>user:NAME</c>, <c>key:ID</c> or <c>cli:USER</c>.</param>
/// <param name="Format">The file's format.</param>
/// <param name="File">The file's name; null for standard input or an unnamed upload.</param>
public sealed record BankImportSource(string Actor, BankFileFormat Format, string? File);

/// <summary>What an import did.</summary>
/// <param name="Added">New entries.</param>
/// <param name="Updated">Entries that were there already and took the file's labels and dates.</param>
/// <param name="Removed">Entries removed because the file marks them deleted.</param>
/// <param name="DeletedUpstream">Deletion records in the file (some may not have been in the bank).</param>
/// <param name="BadRows">Rows skipped for a problem.</param>
/// <param name="Problems">The first <see cref="BankImports.MaxKeptProblems"/> of those rows, with their line numbers.</param>
public sealed record BankImportResult(long Added, long Updated, long Removed, long DeletedUpstream, long BadRows, IReadOnlyList<BankFileRow> Problems);

/// <summary>
/// Applies the rows of an import file (<see cref="BankImporter.Read"/>) to a bank, the same way for <c>vigil bank
/// import</c> and the API: good rows are added or updated, deletion records remove their entries (unless a later row
/// adds the entry back), bad rows are skipped and reported with their line numbers. One transaction, audited as
/// <c>bank.imported</c> with the format, file, counts and bad rows.
/// </summary>
public static class BankImports
{
    /// <summary>How many problem rows a result keeps (all are counted, and passed to the callback).</summary>
    public const int MaxKeptProblems = 100;

    /// <param name="onProblem">Called for every bad row as it is read (e.g. to print it).</param>
    /// <exception cref="Storage.Banks.HashBankException">No such bank.</exception>
    public static async Task<BankImportResult> ImportAsync(
        this HashBanks banks,
        string bank,
        IEnumerable<BankFileRow> rows,
        BankImportSource source,
        Action<BankFileRow>? onProblem = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(banks);
        ArgumentNullException.ThrowIfNull(source);
        var problems = new List<BankFileRow>();
        long bad = 0;
        var deletions = new HashSet<BankEntryKey>();
        long deletionRecords = 0;
        IEnumerable<BankEntry> Entries()
        {
            foreach (var row in rows)
            {
                if (row.Problem is not null)
                {
                    bad++;
                    if (problems.Count < MaxKeptProblems)
                    {
                        problems.Add(row);
                    }

                    onProblem?.Invoke(row);
                }
                else if (row.Deletion is { } key)
                {
                    deletionRecords++;
                    deletions.Add(key);
                }
                else if (row.Entry is { } entry)
                {
                    deletions.Remove(entry.Key);
                    yield return entry;
                }
            }
        }

        var audit = new BankChangeAudit(source.Actor, "bank.imported", () => new Dictionary<string, object?>
        {
            ["format"] = source.Format.ToWire(),
            ["file"] = source.File,
            ["deleted_upstream"] = deletionRecords,
            ["bad_rows"] = bad,
        });
        var change = await banks.ChangeEntriesAsync(bank, Entries(), deletions, audit, cancellationToken);
        return new BankImportResult(change.Added, change.Updated, change.Removed, deletionRecords, bad, problems);
    }
}
