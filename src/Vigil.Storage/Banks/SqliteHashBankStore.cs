using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Vigil.Media.Banks;
using Vigil.Storage.Audit;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Banks;

/// <summary>Hash banks in Vigil's SQLite database (tables <c>hash_banks</c> and <c>hash_bank_entries</c>, migration 0100).</summary>
public sealed class SqliteHashBankStore(SqliteDatabase database, TimeProvider? time = null) : IHashBankStore
{
    private const int SqliteConstraint = 19;
    private const string BankColumns = "name, enabled, allow_list, pdq_threshold, min_quality, description, created_at, updated_at";
    private const string EntryColumns =
        "id, signal_type, value, source, external_id, organisation, ideology, category, tags, opinion, confidence, file_type, created_on, updated_on, added_at";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<HashBank> CreateBankAsync(HashBank bank, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bank);
        if (bank.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(bank));
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        long now = NowMs(); // taken under the write lock, so that audit times follow the chain's order
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO hash_banks ({BankColumns}) VALUES ($name, $enabled, $allow, $threshold, $quality, $description, $now, $now);";
            AddBankParameters(insert, bank);
            insert.Parameters.AddWithValue("$now", now);
            try
            {
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint)
            {
                throw new HashBankException($"A bank named '{bank.Name}' exists already.", e);
            }
        }

        var details = new Dictionary<string, object?>
        {
            ["enabled"] = bank.Enabled,
            ["allow_list"] = bank.AllowList,
            ["pdq_threshold"] = bank.PdqThreshold,
            ["min_quality"] = bank.MinQuality,
            ["description"] = bank.Description,
        };
        await SqliteAuditLog.AppendAsync(connection, transaction, new AuditRecord(actor, "bank.created", Subject(bank.Name), JsonSerializer.Serialize(details)), now);
        await transaction.CommitAsync(CancellationToken.None);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(now);
        return bank with { CreatedAt = at, UpdatedAt = at };
    }

    public async Task<HashBank?> GetBankAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {BankColumns} FROM hash_banks WHERE name = $name;";
        select.Parameters.AddWithValue("$name", name);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadBank(reader) : null;
    }

    public async Task<IReadOnlyList<HashBank>> ListBanksAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {BankColumns} FROM hash_banks ORDER BY name;";
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var banks = new List<HashBank>();
        while (await reader.ReadAsync(cancellationToken))
        {
            banks.Add(ReadBank(reader));
        }

        return banks;
    }

    public async Task<HashBank> UpdateBankAsync(HashBank bank, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bank);
        if (bank.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(bank));
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        long now = NowMs();
        var current = await ReadBankAsync(connection, transaction, bank.Name, cancellationToken) ?? throw NoSuchBank(bank.Name);
        var changes = Changes(current, bank);
        if (changes.Count == 0)
        {
            return current;
        }

        await using (var update = connection.CreateCommand())
        {
            update.Transaction = transaction;
            update.CommandText =
                "UPDATE hash_banks SET enabled = $enabled, allow_list = $allow, pdq_threshold = $threshold, min_quality = $quality, " +
                "description = $description, updated_at = $now WHERE name = $name;";
            AddBankParameters(update, bank);
            update.Parameters.AddWithValue("$now", now);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await SqliteAuditLog.AppendAsync(connection, transaction, new AuditRecord(actor, "bank.updated", Subject(current.Name), JsonSerializer.Serialize(changes)), now);
        await transaction.CommitAsync(CancellationToken.None);
        return bank with { Name = current.Name, CreatedAt = current.CreatedAt, UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(now) };
    }

    public async Task<bool> DeleteBankAsync(string name, string actor, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        long now = NowMs();
        var current = await ReadBankAsync(connection, transaction, name, cancellationToken);
        if (current is null)
        {
            return false;
        }

        long bankId = await BankIdAsync(connection, transaction, current.Name, cancellationToken);
        long entries = await CountAsync(connection, transaction, bankId, cancellationToken);
        await using (var delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM hash_banks WHERE id = $id;";
            delete.Parameters.AddWithValue("$id", bankId);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        string details = JsonSerializer.Serialize(new Dictionary<string, object?> { ["entries"] = entries });
        await SqliteAuditLog.AppendAsync(connection, transaction, new AuditRecord(actor, "bank.deleted", Subject(current.Name), details), now);
        await transaction.CommitAsync(CancellationToken.None);
        return true;
    }

    public async Task<HashBankCounts> CountEntriesAsync(string bank, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        long bankId = await BankIdAsync(connection, null, bank, cancellationToken);
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT signal_type, count(*) FROM hash_bank_entries WHERE bank_id = $bank GROUP BY signal_type;";
        count.Parameters.AddWithValue("$bank", bankId);
        await using var reader = await count.ExecuteReaderAsync(cancellationToken);
        long pdq = 0, md5 = 0, sha256 = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            long n = reader.GetInt64(1);
            switch (reader.GetString(0))
            {
                case "pdq": pdq = n; break;
                case "md5": md5 = n; break;
                default: sha256 = n; break;
            }
        }

        return new HashBankCounts(pdq, md5, sha256);
    }

    public async Task<HashBankChange> ChangeEntriesAsync(
        string bank, IEnumerable<BankEntry> entries, IEnumerable<BankEntryKey> removals, BankChangeAudit audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(removals);
        ArgumentNullException.ThrowIfNull(audit);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        long now = NowMs();
        var current = await ReadBankAsync(connection, transaction, bank, cancellationToken) ?? throw NoSuchBank(bank);
        long bankId = await BankIdAsync(connection, transaction, current.Name, cancellationToken);
        long before = await CountAsync(connection, transaction, bankId, cancellationToken);
        long written = await UpsertAsync(connection, transaction, bankId, entries, now, cancellationToken);
        long added = await CountAsync(connection, transaction, bankId, cancellationToken) - before;
        long removed = await RemoveAsync(connection, transaction, bankId, removals, cancellationToken);
        var change = new HashBankChange(added, written - added, removed);
        if (written + removed == 0)
        {
            return change;
        }

        await TouchAsync(connection, transaction, bankId, now, cancellationToken);
        var details = new Dictionary<string, object?> { ["added"] = change.Added, ["updated"] = change.Updated, ["removed"] = change.Removed };
        foreach (var (key, value) in audit.Details?.Invoke() ?? new Dictionary<string, object?>())
        {
            details.TryAdd(key, value);
        }

        await SqliteAuditLog.AppendAsync(connection, transaction, new AuditRecord(audit.Actor, audit.Action, Subject(current.Name), JsonSerializer.Serialize(details)), now);
        await transaction.CommitAsync(CancellationToken.None);
        return change;
    }

    private static async Task<long> UpsertAsync(
        SqliteConnection connection, SqliteTransaction transaction, long bankId, IEnumerable<BankEntry> entries, long now, CancellationToken cancellationToken)
    {
        await using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText =
            "INSERT INTO hash_bank_entries (bank_id, signal_type, value, source, external_id, organisation, ideology, category, tags, opinion, confidence, file_type, created_on, updated_on, added_at) " +
            "VALUES ($bank, $type, $value, $source, $external, $organisation, $ideology, $category, $tags, $opinion, $confidence, $file_type, $created_on, $updated_on, $now) " +
            "ON CONFLICT (bank_id, signal_type, value) DO UPDATE SET source = excluded.source, external_id = excluded.external_id, " +
            "organisation = excluded.organisation, ideology = excluded.ideology, category = excluded.category, tags = excluded.tags, " +
            "opinion = excluded.opinion, confidence = excluded.confidence, file_type = excluded.file_type, created_on = excluded.created_on, " +
            "updated_on = excluded.updated_on;";
        var p = new Dictionary<string, SqliteParameter>(StringComparer.Ordinal);
        foreach (var name in (string[])["$bank", "$type", "$value", "$source", "$external", "$organisation", "$ideology", "$category", "$tags", "$opinion", "$confidence", "$file_type", "$created_on", "$updated_on", "$now"])
        {
            p[name] = upsert.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        p["$bank"].Value = bankId;
        p["$now"].Value = now;
        long written = 0;
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.Validate() is { } problem)
            {
                throw new ArgumentException($"Entry {entry.SignalType.ToWire()} {entry.Value}: {problem}", nameof(entries));
            }

            var labels = entry.LabelsOrNone;
            p["$type"].Value = entry.SignalType.ToWire();
            p["$value"].Value = entry.Value;
            p["$source"].Value = (object?)entry.Source ?? DBNull.Value;
            p["$external"].Value = (object?)entry.ExternalId ?? DBNull.Value;
            p["$organisation"].Value = (object?)labels.Organisation ?? DBNull.Value;
            p["$ideology"].Value = (object?)labels.Ideology ?? DBNull.Value;
            p["$category"].Value = (object?)labels.Category ?? DBNull.Value;
            p["$tags"].Value = labels.TagList.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(labels.TagList, StorageBankJson.Default.IReadOnlyListString);
            p["$opinion"].Value = OpinionToWire(entry.Opinion);
            p["$confidence"].Value = (object?)entry.Confidence ?? DBNull.Value;
            p["$file_type"].Value = (object?)entry.FileType ?? DBNull.Value;
            p["$created_on"].Value = (object?)entry.CreatedOn?.ToUnixTimeMilliseconds() ?? DBNull.Value;
            p["$updated_on"].Value = (object?)entry.UpdatedOn?.ToUnixTimeMilliseconds() ?? DBNull.Value;
            await upsert.ExecuteNonQueryAsync(cancellationToken);
            written++;
        }

        return written;
    }

    private static async Task<long> RemoveAsync(
        SqliteConnection connection, SqliteTransaction transaction, long bankId, IEnumerable<BankEntryKey> keys, CancellationToken cancellationToken)
    {
        await using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM hash_bank_entries WHERE bank_id = $bank AND signal_type = $type AND value = $value;";
        delete.Parameters.AddWithValue("$bank", bankId);
        var type = delete.Parameters.Add(new SqliteParameter("$type", ""));
        var value = delete.Parameters.Add(new SqliteParameter("$value", ""));
        long removed = 0;
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            type.Value = key.SignalType.ToWire();
            value.Value = key.Value;
            removed += await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        return removed;
    }

    public async IAsyncEnumerable<BankEntry> GetEntriesAsync(string bank, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        long bankId = await BankIdAsync(connection, null, bank, cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {EntryColumns} FROM hash_bank_entries WHERE bank_id = $bank ORDER BY id;";
        select.Parameters.AddWithValue("$bank", bankId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var rows = new EntryReader(reader);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return rows.Read();
        }
    }

    public async Task<IReadOnlyList<BankEntry>> ListEntriesAsync(string bank, long afterId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        long bankId = await BankIdAsync(connection, null, bank, cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {EntryColumns} FROM hash_bank_entries WHERE bank_id = $bank AND id > $after ORDER BY id LIMIT $limit;";
        select.Parameters.AddWithValue("$bank", bankId);
        select.Parameters.AddWithValue("$after", afterId);
        select.Parameters.AddWithValue("$limit", Math.Max(limit, 0));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var rows = new EntryReader(reader);
        var entries = new List<BankEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(rows.Read());
        }

        return entries;
    }

    private static void AddBankParameters(SqliteCommand command, HashBank bank)
    {
        command.Parameters.AddWithValue("$name", bank.Name);
        command.Parameters.AddWithValue("$enabled", bank.Enabled ? 1 : 0);
        command.Parameters.AddWithValue("$allow", bank.AllowList ? 1 : 0);
        command.Parameters.AddWithValue("$threshold", bank.PdqThreshold);
        command.Parameters.AddWithValue("$quality", bank.MinQuality);
        command.Parameters.AddWithValue("$description", (object?)bank.Description ?? DBNull.Value);
    }

    private static HashBank ReadBank(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetInt64(1) != 0,
        r.GetInt64(2) != 0,
        r.GetInt32(3),
        r.GetInt32(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)));

    private static async Task<long> BankIdAsync(SqliteConnection connection, SqliteTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        await using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = "SELECT id FROM hash_banks WHERE name = $name;";
        select.Parameters.AddWithValue("$name", name);
        return await select.ExecuteScalarAsync(cancellationToken) is long id ? id : throw NoSuchBank(name);
    }

    private static async Task<long> CountAsync(SqliteConnection connection, SqliteTransaction transaction, long bankId, CancellationToken cancellationToken)
    {
        await using var count = connection.CreateCommand();
        count.Transaction = transaction;
        count.CommandText = "SELECT count(*) FROM hash_bank_entries WHERE bank_id = $bank;";
        count.Parameters.AddWithValue("$bank", bankId);
        return Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task TouchAsync(SqliteConnection connection, SqliteTransaction transaction, long bankId, long now, CancellationToken cancellationToken)
    {
        await using var touch = connection.CreateCommand();
        touch.Transaction = transaction;
        touch.CommandText = "UPDATE hash_banks SET updated_at = $now WHERE id = $bank;";
        touch.Parameters.AddWithValue("$now", now);
        touch.Parameters.AddWithValue("$bank", bankId);
        await touch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<HashBank?> ReadBankAsync(SqliteConnection connection, SqliteTransaction transaction, string name, CancellationToken cancellationToken)
    {
        await using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = $"SELECT {BankColumns} FROM hash_banks WHERE name = $name;";
        select.Parameters.AddWithValue("$name", name);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadBank(reader) : null;
    }

    /// <summary>The settings that differ, each as <c>{"from": old, "to": new}</c>.</summary>
    private static Dictionary<string, object?> Changes(HashBank current, HashBank next)
    {
        var changes = new Dictionary<string, object?>();
        void Compare<T>(string name, T from, T to)
        {
            if (!EqualityComparer<T>.Default.Equals(from, to))
            {
                changes[name] = new Dictionary<string, object?> { ["from"] = from, ["to"] = to };
            }
        }

        Compare("enabled", current.Enabled, next.Enabled);
        Compare("allow_list", current.AllowList, next.AllowList);
        Compare("pdq_threshold", current.PdqThreshold, next.PdqThreshold);
        Compare("min_quality", current.MinQuality, next.MinQuality);
        Compare("description", current.Description, next.Description);
        return changes;
    }

    private static string Subject(string bank) => $"bank:{bank}";

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static HashBankException NoSuchBank(string name) => new($"There is no bank named '{name}'.");

    private static string OpinionToWire(BankOpinion opinion) => opinion switch
    {
        BankOpinion.Investigate => "investigate",
        BankOpinion.FalsePositive => "false_positive",
        _ => "positive",
    };
}

/// <summary>
/// Reads entry rows (<c>SqliteHashBankStore.EntryColumns</c>), sharing labels and repeated strings between entries:
/// a bank of millions holds few distinct ones.
/// </summary>
internal sealed class EntryReader(SqliteDataReader reader)
{
    private const int MaxShared = 100_000;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<(string?, string?, string?, string?), BankLabels> _labels = [];

    public BankEntry Read()
    {
        var labelKey = (Text(5), Text(6), Text(7), Text(8));
        if (!_labels.TryGetValue(labelKey, out var labels))
        {
            var tags = labelKey.Item4 is { } json ? JsonSerializer.Deserialize(json, StorageBankJson.Default.IReadOnlyListString) : null;
            labels = labelKey is (null, null, null, null) ? BankLabels.None : new BankLabels(labelKey.Item1, labelKey.Item2, labelKey.Item3, tags);
            if (_labels.Count < MaxShared)
            {
                _labels[labelKey] = labels;
            }
        }

        // The table's CHECK constraint admits only the three wire names.
        var type = BankSignalTypes.TryParse(reader.GetString(1), out var parsed) ? parsed : BankSignalType.Pdq;
        return new BankEntry(
            type,
            reader.GetString(2),
            labels,
            Text(3),
            Text(4),
            OpinionFromWire(reader.GetString(9)),
            reader.IsDBNull(10) ? null : reader.GetDouble(10),
            Text(11),
            Time(12),
            Time(13),
            reader.GetInt64(0),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(14)));
    }

    private string? Text(int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        var s = reader.GetString(ordinal);
        if (_strings.TryGetValue(s, out var shared))
        {
            return shared;
        }

        if (_strings.Count < MaxShared)
        {
            _strings[s] = s;
        }

        return s;
    }

    private DateTimeOffset? Time(int ordinal) => reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private static BankOpinion OpinionFromWire(string wire) => wire switch
    {
        "investigate" => BankOpinion.Investigate,
        "false_positive" => BankOpinion.FalsePositive,
        _ => BankOpinion.Positive,
    };
}

/// <summary>JSON of the tag lists (source-generated, no reflection).</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class StorageBankJson : System.Text.Json.Serialization.JsonSerializerContext;
