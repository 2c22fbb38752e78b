using System.Data.Common;

namespace Vigil.Storage.Relational;

/// <summary>
/// Where the SQL backends differ: the few spellings their SQL does not share, and the locks a unit of work takes. The
/// repositories in this folder are written once over <see cref="DbConnection"/>; each backend gives its dialect.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>A condition that <paramref name="column"/> is one of the array parameter <paramref name="parameter"/>.</summary>
    public abstract string InList(string column, string parameter);

    /// <summary>A condition that text <paramref name="column"/> contains <paramref name="parameter"/>.</summary>
    public abstract string Contains(string column, string parameter);

    /// <summary>A condition that the name in <paramref name="column"/> is <paramref name="parameter"/> regardless of case.</summary>
    public abstract string SameName(string column, string parameter);

    /// <summary>An ORDER BY list of names regardless of case.</summary>
    public abstract string ByName(string column);

    /// <summary>The order of an item's parts as they were added.</summary>
    public abstract string PartOrder { get; }

    /// <summary>What follows a SELECT of a row the unit of work is about to change, to lock it against other units.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>What follows the SELECT of the outbox rows (alias <c>o</c>) a dispatcher leases: lock them, passing over
    /// those another is leasing.</summary>
    public abstract string ForUpdateSkipLocked { get; }

    /// <summary>Waits for (and holds, until the transaction ends) the lock on the audit chain's head.</summary>
    public abstract Task LockAuditChainAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken);

    /// <summary>After rows were inserted with their own ids: lets the ids the database assigns follow the highest
    /// (<paramref name="highest"/>: table to id).</summary>
    public abstract Task FollowImportedIdsAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyDictionary<string, long> highest, CancellationToken cancellationToken);
}
