using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using Vigil.Core.Banks;
using Vigil.Storage.Banks;

namespace Vigil.Storage.Relational;

/// <summary>Hash banks (<c>hash_banks</c>) and their entries (<c>hash_bank_entries</c>).</summary>
internal sealed class RelationalBanks(RelationalScope scope) : IBankWriter
{
    private const string BankColumns = BankRow.Columns;
    private const string EntryColumns = BankEntryRows.Columns;

    public Task<HashBank?> GetAsync(string name, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => (await ReadBankAsync(connection, transaction, name, cancellationToken))?.ToBank(), cancellationToken);

    public Task<HashBank?> GetForUpdateAsync(string name, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => (await ReadBankAsync(connection, transaction, name, cancellationToken, scope.Dialect.ForUpdate))?.ToBank(), cancellationToken);

    public Task<IReadOnlyList<HashBank>> ListAsync(CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<HashBank>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<BankRow>(new CommandDefinition(
                $"SELECT {BankColumns} FROM hash_banks ORDER BY {scope.Dialect.ByName("name")};", transaction: transaction, cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToBank())];
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, long>> CountEntriesAsync(string bank, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyDictionary<string, long>>(async (connection, transaction) =>
        {
            long bankId = await BankIdAsync(connection, transaction, bank, cancellationToken);
            var rows = await connection.QueryAsync<(string Type, long Count)>(new CommandDefinition(
                "SELECT signal_type, count(*) FROM hash_bank_entries WHERE bank_id = @bankId GROUP BY signal_type ORDER BY signal_type;",
                new { bankId },
                transaction,
                cancellationToken: cancellationToken));
            return rows.ToDictionary(r => r.Type, r => r.Count, StringComparer.Ordinal);
        }, cancellationToken);

    public IAsyncEnumerable<BankEntry> GetEntriesAsync(string bank, CancellationToken cancellationToken) =>
        scope.StreamAsync((connection, transaction) => EntriesAsync(connection, transaction, bank, cancellationToken), cancellationToken);

    private async IAsyncEnumerable<BankEntry> EntriesAsync(
        DbConnection connection, DbTransaction? transaction, string bank, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long bankId = await BankIdAsync(connection, transaction, bank, cancellationToken);
        await using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = $"SELECT {EntryColumns} FROM hash_bank_entries WHERE bank_id = @bank ORDER BY id;";
        select.AddParameter("@bank", bankId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var rows = new EntryReader(reader);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return rows.Read();
        }
    }

    public Task<IReadOnlyList<BankEntry>> ListEntriesAsync(string bank, long afterId, int limit, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<BankEntry>>(async (connection, transaction) =>
        {
            long bankId = await BankIdAsync(connection, transaction, bank, cancellationToken);
            await using var select = connection.CreateCommand();
            select.Transaction = transaction;
            select.CommandText = $"SELECT {EntryColumns} FROM hash_bank_entries WHERE bank_id = @bank AND id > @after ORDER BY id LIMIT @limit;";
            select.AddParameter("@bank", bankId);
            select.AddParameter("@after", afterId);
            select.AddParameter("@limit", Math.Max(limit, 0));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            var rows = new EntryReader(reader);
            var entries = new List<BankEntry>();
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(rows.Read());
            }

            return entries;
        }, cancellationToken);

    public Task<bool> InsertAsync(HashBank bank, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO hash_banks (name, enabled, allow_list, description, settings, on_match, created_at, updated_at)
            VALUES (@Name, @Enabled, @AllowList, @Description, @settings, @onMatch, @created, @updated)
            ON CONFLICT DO NOTHING;
            """,
            BankRow.Values(bank),
            transaction,
            cancellationToken: cancellationToken)) == 1, cancellationToken);

    public Task UpdateAsync(HashBank bank, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            int changed = await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE hash_banks SET enabled = @Enabled, allow_list = @AllowList, description = @Description, settings = @settings, on_match = @onMatch, updated_at = @updated WHERE {scope.Dialect.SameName("name", "@Name")};",
                BankRow.Values(bank),
                transaction,
                cancellationToken: cancellationToken));
            return changed == 1 ? changed : throw NoSuchBank(bank.Name);
        }, cancellationToken);

    public Task<long?> DeleteAsync(string name, CancellationToken cancellationToken) =>
        scope.RunAsync<long?>(async (connection, transaction) =>
        {
            if (await ReadBankAsync(connection, transaction, name, cancellationToken) is not { } bank)
            {
                return null;
            }

            long entries = await CountAsync(connection, transaction, bank.Id, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM hash_bank_entries WHERE bank_id = @Id;", new { bank.Id }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM hash_banks WHERE id = @Id;", new { bank.Id }, transaction, cancellationToken: cancellationToken));
            return entries;
        }, cancellationToken);

    /// <summary>
    /// Each entry is inserted if the bank lacks it, else its labels are updated (its time added stays); counted row by row,
    /// so that the counts hold while other processes change the bank's entries at the same time (a count of the bank's
    /// entries before and after would include their changes).
    /// </summary>
    public Task<(long Added, long Updated)> UpsertEntriesAsync(string bank, IEnumerable<BankEntry> entries, DateTimeOffset at, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            long bankId = await BankIdAsync(connection, transaction, bank, cancellationToken);
            await using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText =
                $"UPDATE hash_bank_entries SET {string.Join(", ", BankEntryRows.ValueColumns.Skip(2).Select(c => $"{c} = @{c}"))} " +
                "WHERE bank_id = @bank AND signal_type = @signal_type AND value = @value;";
            update.AddParameter("@bank", bankId);
            var values = BankEntryRows.ValueColumns.Select(c => update.AddParameter("@" + c)).ToArray();
            long added = 0, updated = 0;
            foreach (var entry in entries)
            {
                if (await InsertOrUpdateAsync(entry))
                {
                    added++;
                }
                else
                {
                    updated++;
                }
            }

            // True when inserted. Another unit may insert or remove the entry between the two statements: an insert that
            // meets one already there (committed by another) updates it, and an update that finds none inserts again.
            async Task<bool> InsertOrUpdateAsync(BankEntry entry)
            {
                while (true)
                {
                    if (await WriteEntriesAsync(connection, transaction, bankId, [entry], "ON CONFLICT (bank_id, signal_type, value) DO NOTHING", _ => at, cancellationToken) == 1)
                    {
                        return true;
                    }

                    var row = BankEntryRows.Values(entry);
                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i].Value = row[i] ?? DBNull.Value;
                    }

                    if (await update.ExecuteNonQueryAsync(cancellationToken) == 1)
                    {
                        return false;
                    }
                }
            }

            return (added, updated);
        }, cancellationToken);

    /// <summary>Adds the entries the bank does not have, each with its own time added; returns how many were added.</summary>
    internal Task<long> InsertEntriesAsync(string bank, IEnumerable<BankEntry> entries, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            long bankId = await BankIdAsync(connection, transaction, bank, cancellationToken);
            return await WriteEntriesAsync(connection, transaction, bankId, entries, "ON CONFLICT DO NOTHING", e => e.AddedAt, cancellationToken);
        }, cancellationToken);

    /// <summary>Inserts each entry (one statement, run per entry) with <paramref name="onConflict"/>; returns the rows written.</summary>
    private static async Task<long> WriteEntriesAsync(
        DbConnection connection, DbTransaction? transaction, long bankId, IEnumerable<BankEntry> entries, string onConflict, Func<BankEntry, DateTimeOffset> addedAt, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText =
            $"INSERT INTO hash_bank_entries (bank_id, {string.Join(", ", BankEntryRows.ValueColumns)}, added_at) " +
            $"VALUES (@bank, {string.Join(", ", BankEntryRows.ValueColumns.Select(c => "@" + c))}, @added) {onConflict};";
        insert.AddParameter("@bank", bankId);
        var added = insert.AddParameter("@added");
        var values = BankEntryRows.ValueColumns.Select(c => insert.AddParameter("@" + c)).ToArray();
        long written = 0;
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = BankEntryRows.Values(entry);
            for (int i = 0; i < values.Length; i++)
            {
                values[i].Value = row[i] ?? DBNull.Value;
            }

            added.Value = UnixMs.Of(addedAt(entry));
            written += await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return written;
    }

    public Task<long> RemoveEntriesAsync(string bank, IEnumerable<BankEntryKey> keys, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            long bankId = await BankIdAsync(connection, transaction, bank, cancellationToken);
            await using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM hash_bank_entries WHERE bank_id = @bank AND signal_type = @type AND value = @value;";
            delete.AddParameter("@bank", bankId);
            var type = delete.AddParameter("@type");
            var value = delete.AddParameter("@value");
            long removed = 0;
            foreach (var key in keys)
            {
                cancellationToken.ThrowIfCancellationRequested();
                type.Value = key.SignalType;
                value.Value = key.Value;
                removed += await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            return removed;
        }, cancellationToken);

    private async Task<BankRow?> ReadBankAsync(DbConnection connection, DbTransaction? transaction, string name, CancellationToken cancellationToken, string lockClause = "") =>
        await connection.QuerySingleOrDefaultAsync<BankRow>(new CommandDefinition(
            $"SELECT {BankColumns} FROM hash_banks WHERE {scope.Dialect.SameName("name", "@name")}{lockClause};", new { name }, transaction, cancellationToken: cancellationToken));

    private async Task<long> BankIdAsync(DbConnection connection, DbTransaction? transaction, string name, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT id FROM hash_banks WHERE {scope.Dialect.SameName("name", "@name")};", new { name }, transaction, cancellationToken: cancellationToken)) ?? throw NoSuchBank(name);

    private static Task<long> CountAsync(DbConnection connection, DbTransaction? transaction, long bankId, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM hash_bank_entries WHERE bank_id = @bankId;", new { bankId }, transaction, cancellationToken: cancellationToken));

    private static HashBankException NoSuchBank(string name) => BankEntryRows.NoSuchBank(name);
}
