using System.Data.Common;
using Vigil.Storage.Relational;

namespace Vigil.Storage.Sqlite;

/// <summary>SQLite's spellings. A unit of work holds SQLite's only write lock (<c>BEGIN IMMEDIATE</c>), so rows and the
/// audit chain need no locks of their own; names are <c>COLLATE NOCASE</c>; AUTOINCREMENT follows imported ids.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public override string InList(string column, string parameter) => $"{column} IN {parameter}";

    public override string Contains(string column, string parameter) => $"instr({column}, {parameter}) > 0";

    public override string SameName(string column, string parameter) => $"{column} = {parameter}";

    public override string ByName(string column) => column;

    public override string PartOrder => "rowid";

    public override string ForUpdate => "";

    public override string ForUpdateSkipLocked => "";

    public override Task LockAuditChainAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task FollowImportedIdsAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyDictionary<string, long> highest, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
