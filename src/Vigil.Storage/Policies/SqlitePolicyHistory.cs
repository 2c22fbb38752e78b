using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Vigil.Storage.Audit;
using Vigil.Storage.Store;

namespace Vigil.Storage.Policies;

internal sealed class SqlitePolicyHistory(SqliteSession session) : IPolicyHistory
{
    public Task<(bool Changed, PolicyRecord? Previous)> RecordAsync(string version, string json, string actor, CancellationToken cancellationToken) =>
        session.WriteAsync<(bool, PolicyRecord?)>(async (connection, transaction) =>
        {
            long now = session.NowMs;
            string sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
            var last = await connection.QuerySingleOrDefaultAsync<Row>(
                "SELECT version, sha256, loaded_at FROM policies ORDER BY id DESC LIMIT 1;", transaction: transaction);
            var previous = last?.ToRecord();
            if (previous is not null && previous.Sha256 == sha)
            {
                return (false, previous);
            }

            await connection.ExecuteAsync(
                "INSERT INTO policies (version, sha256, json, loaded_at) VALUES (@version, @sha, @json, @now);",
                new { version, sha, json, now },
                transaction);
            string details = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["version"] = version,
                ["sha256"] = sha,
                ["previous_version"] = previous?.Version,
                ["previous_sha256"] = previous?.Sha256,
            });
            await SqliteAuditLog.AppendAsync(connection, transaction, new AuditRecord(actor, "policy.changed", $"policy:{version}", details), now);
            return (true, previous);
        }, cancellationToken);

    public Task<PolicyRecord?> CurrentAsync(CancellationToken cancellationToken) =>
        session.ReadAsync(async connection => (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT version, sha256, loaded_at FROM policies ORDER BY id DESC LIMIT 1;", cancellationToken: cancellationToken)))?.ToRecord(), cancellationToken);

    private sealed class Row
    {
        public string Version { get; set; } = "";

        public string Sha256 { get; set; } = "";

        public long LoadedAt { get; set; }

        public PolicyRecord ToRecord() => new(Version, Sha256, SqliteSession.FromMs(LoadedAt));
    }
}
