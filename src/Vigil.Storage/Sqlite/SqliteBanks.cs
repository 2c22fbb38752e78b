using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Vigil.Core;
using Vigil.Core.Banks;
using Vigil.Storage.Banks;

namespace Vigil.Storage.Sqlite;

/// <summary>Hash banks (<c>hash_banks</c>) and their entries (<c>hash_bank_entries</c>).</summary>
internal sealed class SqliteBanks(SqliteScope scope) : IBankWriter
{
    private const string BankColumns = "id, name, enabled, allow_list, description, settings, on_match, created_at, updated_at";
    private const string EntryColumns =
        "id, signal_type, value, source, external_id, organisation, ideology, category, tags, opinion, confidence, file_type, created_on, updated_on, added_at";

    public Task<HashBank?> GetAsync(string name, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => (await ReadBankAsync(connection, transaction, name, cancellationToken))?.ToBank(), cancellationToken);

    public Task<IReadOnlyList<HashBank>> ListAsync(CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<HashBank>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<BankRow>(new CommandDefinition(
                $"SELECT {BankColumns} FROM hash_banks ORDER BY name;", transaction: transaction, cancellationToken: cancellationToken));
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

    private static async IAsyncEnumerable<BankEntry> EntriesAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string bank, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long bankId = await BankIdAsync(connection, transaction, bank, cancellationToken);
        await using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = $"SELECT {EntryColumns} FROM hash_bank_entries WHERE bank_id = $bank ORDER BY id;";
        select.Parameters.AddWithValue("$bank", bankId);
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
        }, cancellationToken);

    public Task<bool> InsertAsync(HashBank bank, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO hash_banks (name, enabled, allow_list, description, settings, on_match, created_at, updated_at)
            VALUES (@Name, @Enabled, @AllowList, @Description, @settings, @onMatch, @created, @updated)
            ON CONFLICT (name) DO NOTHING;
            """,
            new { bank.Name, bank.Enabled, bank.AllowList, bank.Description, settings = bank.Settings.ToJson(), onMatch = bank.OnMatch?.ToWire(), created = SqliteScope.Ms(bank.CreatedAt), updated = SqliteScope.Ms(bank.UpdatedAt) },
            transaction,
            cancellationToken: cancellationToken)) == 1, cancellationToken);

    public Task UpdateAsync(HashBank bank, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            int changed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE hash_banks SET enabled = @Enabled, allow_list = @AllowList, description = @Description, settings = @settings, on_match = @onMatch, updated_at = @updated WHERE name = @Name;",
                new { bank.Name, bank.Enabled, bank.AllowList, bank.Description, settings = bank.Settings.ToJson(), onMatch = bank.OnMatch?.ToWire(), updated = SqliteScope.Ms(bank.UpdatedAt) },
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

    public Task<(long Added, long Updated)> UpsertEntriesAsync(string bank, IEnumerable<BankEntry> entries, DateTimeOffset at, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            long bankId = await BankIdAsync(connection, transaction, bank, cancellationToken);
            long before = await CountAsync(connection, transaction, bankId, cancellationToken);
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
            p["$now"].Value = SqliteScope.Ms(at);
            long written = 0;
            foreach (var entry in entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var labels = entry.LabelsOrNone;
                p["$type"].Value = entry.SignalType;
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

            long added = await CountAsync(connection, transaction, bankId, cancellationToken) - before;
            return (added, written - added);
        }, cancellationToken);

    public Task<long> RemoveEntriesAsync(string bank, IEnumerable<BankEntryKey> keys, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            long bankId = await BankIdAsync(connection, transaction, bank, cancellationToken);
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
                type.Value = key.SignalType;
                value.Value = key.Value;
                removed += await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            return removed;
        }, cancellationToken);

    private static async Task<BankRow?> ReadBankAsync(SqliteConnection connection, SqliteTransaction? transaction, string name, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<BankRow>(new CommandDefinition(
            $"SELECT {BankColumns} FROM hash_banks WHERE name = @name;", new { name }, transaction, cancellationToken: cancellationToken));

    private static async Task<long> BankIdAsync(SqliteConnection connection, SqliteTransaction? transaction, string name, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM hash_banks WHERE name = @name;", new { name }, transaction, cancellationToken: cancellationToken)) ?? throw NoSuchBank(name);

    private static Task<long> CountAsync(SqliteConnection connection, SqliteTransaction? transaction, long bankId, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM hash_bank_entries WHERE bank_id = @bankId;", new { bankId }, transaction, cancellationToken: cancellationToken));

    private static HashBankException NoSuchBank(string name) => new($"There is no bank named '{name}'.");

    private static string OpinionToWire(BankOpinion opinion) => opinion switch
    {
        BankOpinion.Investigate => "investigate",
        BankOpinion.FalsePositive => "false_positive",
        _ => "positive",
    };

    private sealed class BankRow
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public long Enabled { get; set; }

        public long AllowList { get; set; }

        public string? Description { get; set; }

        public string Settings { get; set; } = "{}";

        public string? OnMatch { get; set; }

        public long CreatedAt { get; set; }

        public long UpdatedAt { get; set; }

        public HashBank ToBank() => new(Name, Enabled != 0, AllowList != 0, Description, SqliteScope.FromMs(CreatedAt), SqliteScope.FromMs(UpdatedAt))
        {
            Settings = BankSettings.Parse(Settings),
            OnMatch = OnMatch is null ? null : ModerationActionNames.Parse(OnMatch),
        };
    }
}

/// <summary>
/// Reads entry rows (<c>SqliteBanks.EntryColumns</c>), sharing labels and repeated strings between entries:
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

        return new BankEntry(
            Text(1)!,
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
