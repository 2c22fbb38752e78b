using System.Data.Common;
using Dapper;
using Vigil.Storage.Relational;

namespace Vigil.Storage.Postgres;

/// <summary>
/// PostgreSQL's spellings and locks. Units of work run at READ COMMITTED beside each other (in this process and in
/// others): a case read for update is locked (<c>FOR UPDATE</c>), dispatchers lease outbox rows passing over those
/// another is leasing (<c>FOR UPDATE SKIP LOCKED</c>), and appends to the audit chain wait for a transaction-scoped
/// advisory lock before they read its head. Names are compared and ordered by <c>lower()</c>.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    /// <summary>The advisory lock on the audit chain's head (any constant; "VIGILAUD").</summary>
    public const long AuditChainLock = 0x5649_4749_4C41_5544;

    /// <summary>The advisory lock held while migrating (so that processes starting together migrate once).</summary>
    public const long MigrationLock = 0x5649_4749_4C4D_4947;

    public static readonly PostgresDialect Instance = new();

    public override string InList(string column, string parameter) => $"{column} = ANY({parameter})";

    public override string Contains(string column, string parameter) => $"strpos({column}, {parameter}) > 0";

    public override string SameName(string column, string parameter) => $"lower({column}) = lower({parameter})";

    public override string ByName(string column) => $"lower({column}), {column}";

    public override string PartOrder => "seq";

    public override string ForUpdate => " FOR UPDATE";

    public override string ForUpdateSkipLocked => " FOR UPDATE OF o SKIP LOCKED";

    public override Task LockAuditChainAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key);", new { key = AuditChainLock }, transaction, cancellationToken: cancellationToken));

    /// <summary>Moves each table's identity sequence to its highest id (never back: a concurrent insert may have taken a higher one).</summary>
    public override async Task FollowImportedIdsAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyDictionary<string, long> highest, CancellationToken cancellationToken)
    {
        foreach (string table in highest.Keys)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                SELECT setval(s, GREATEST((SELECT max(id) FROM {table}), coalesce(pg_sequence_last_value(s), 1)))
                FROM (SELECT pg_get_serial_sequence(@table, 'id')::regclass AS s) AS sequence;
                """,
                new { table },
                transaction,
                cancellationToken: cancellationToken));
        }
    }
}
