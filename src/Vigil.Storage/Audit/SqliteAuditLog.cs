using Dapper;
using Microsoft.Data.Sqlite;
using Vigil.Storage.Store;

namespace Vigil.Storage.Audit;

internal sealed class SqliteAuditLog(SqliteSession session) : IAuditLog
{
    private const string Columns = "seq, at, actor, action, subject, details, prev_hash, hash";

    public Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken cancellationToken) =>
        session.WriteAsync((connection, transaction) => AppendAsync(connection, transaction, record, session.NowMs), cancellationToken);

    /// <summary>Appends inside the caller's write transaction, so that the entry commits (or not) with the change it records.</summary>
    internal static async Task<AuditEntry> AppendAsync(SqliteConnection connection, SqliteTransaction transaction, AuditRecord record, long nowMs)
    {
        var head = await connection.QuerySingleOrDefaultAsync<Row>(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1;", transaction: transaction);
        long seq = (head?.Seq ?? 0) + 1;
        string prev = head?.Hash ?? AuditChain.Genesis;
        string hash = AuditChain.Hash(seq, nowMs, record.Actor, record.Action, record.Subject, record.DetailsJson, prev);
        await connection.ExecuteAsync(
            "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (@seq, @at, @actor, @action, @subject, @details, @prev, @hash);",
            new { seq, at = nowMs, actor = record.Actor, action = record.Action, subject = record.Subject, details = record.DetailsJson, prev, hash },
            transaction);
        return new AuditEntry(seq, SqliteSession.FromMs(nowMs), record.Actor, record.Action, record.Subject, record.DetailsJson, prev, hash);
    }

    public Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, long? beforeSeq, CancellationToken cancellationToken) =>
        session.ReadAsync<IReadOnlyList<AuditEntry>>(async connection =>
        {
            var rows = await connection.QueryAsync<Row>(new CommandDefinition(
                $"SELECT {Columns} FROM audit_log WHERE seq < @before ORDER BY seq DESC LIMIT @limit;",
                new { before = beforeSeq ?? long.MaxValue, limit = Math.Clamp(limit, 1, 1000) },
                cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToEntry())];
        }, cancellationToken);

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) =>
        session.ReadAsync(async connection =>
        {
            var rows = await connection.QueryAsync<Row>(new CommandDefinition(
                $"SELECT {Columns} FROM audit_log ORDER BY seq;", cancellationToken: cancellationToken));
            return AuditChain.Verify(rows.Select(r => r.ToEntry()));
        }, cancellationToken);

    private sealed class Row
    {
        public long Seq { get; set; }

        public long At { get; set; }

        public string Actor { get; set; } = "";

        public string Action { get; set; } = "";

        public string Subject { get; set; } = "";

        public string Details { get; set; } = "";

        public string PrevHash { get; set; } = "";

        public string Hash { get; set; } = "";

        public AuditEntry ToEntry() => new(Seq, SqliteSession.FromMs(At), Actor, Action, Subject, Details, PrevHash, Hash);
    }
}
