using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using Vigil.Storage.Audit;

namespace Vigil.Storage.Relational;

/// <summary>The audit log (<c>audit_log</c>; triggers refuse updates and deletes).</summary>
internal sealed class RelationalAudit(RelationalScope scope) : IAuditReader, IAuditWriter
{
    private const string Columns = AuditRow.Columns;

    /// <summary>The head is read under the dialect's lock on the chain (SQLite: the unit of work's write lock), so it is still the head at insert.</summary>
    public Task<AuditEntry> AppendAsync(AuditRecord record, DateTimeOffset at, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            long atMs = UnixMs.Of(at);
            await scope.Dialect.LockAuditChainAsync(connection, transaction, cancellationToken);
            var head = await connection.QuerySingleOrDefaultAsync<AuditRow>(new CommandDefinition(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1;", transaction: transaction, cancellationToken: cancellationToken));
            long seq = (head?.Seq ?? 0) + 1;
            string prev = head?.Hash ?? AuditChain.Genesis;
            string hash = AuditChain.Hash(seq, atMs, record.Actor, record.Action, record.Subject, record.DetailsJson, prev);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (@seq, @atMs, @Actor, @Action, @Subject, @DetailsJson, @prev, @hash);",
                new { seq, atMs, record.Actor, record.Action, record.Subject, record.DetailsJson, prev, hash },
                transaction,
                cancellationToken: cancellationToken));
            return new AuditEntry(seq, UnixMs.From(atMs), record.Actor, record.Action, record.Subject, record.DetailsJson, prev, hash);
        }, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, long? beforeSeq, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<AuditEntry>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(
                $"SELECT {Columns} FROM audit_log WHERE seq < @before ORDER BY seq DESC LIMIT @limit;",
                new { before = beforeSeq ?? long.MaxValue, limit = Math.Clamp(limit, 1, 1000) },
                transaction,
                cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToEntry())];
        }, cancellationToken);

    public IAsyncEnumerable<AuditEntry> ReadAllAsync(CancellationToken cancellationToken) =>
        scope.StreamAsync((connection, transaction) => Rows(connection, transaction, cancellationToken), cancellationToken);

    private static async IAsyncEnumerable<AuditEntry> Rows(
        DbConnection connection, DbTransaction? transaction, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition($"SELECT {Columns} FROM audit_log ORDER BY seq;", transaction: transaction, cancellationToken: cancellationToken));
        var parser = reader.GetRowParser<AuditRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return parser(reader).ToEntry();
        }
    }
}
