using System.Data.Common;
using Dapper;

namespace Vigil.Storage.Relational;

/// <summary>
/// Where a repository's SQL runs: on a fresh pooled connection per call (reads outside a unit of work), or on a unit of
/// work's connection and transaction; with the backend's <see cref="SqlDialect"/> and the store's clock.
/// </summary>
internal abstract class RelationalScope(SqlDialect dialect, TimeProvider time)
{
    static RelationalScope()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public SqlDialect Dialect { get; } = dialect;

    public TimeProvider Time { get; } = time;

    /// <summary>Now, in Unix milliseconds (for reading leases as live or expired).</summary>
    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public abstract Task<T> RunAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Streams rows: the connection stays open while the caller enumerates.</summary>
    public abstract IAsyncEnumerable<T> StreamAsync<T>(Func<DbConnection, DbTransaction?, IAsyncEnumerable<T>> rows, CancellationToken cancellationToken);
}

/// <summary>Each call on its own (pooled) connection.</summary>
internal sealed class ConnectionScope(Func<CancellationToken, Task<DbConnection>> open, SqlDialect dialect, TimeProvider time) : RelationalScope(dialect, time)
{
    public override async Task<T> RunAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        return await work(connection, null);
    }

    public override async IAsyncEnumerable<T> StreamAsync<T>(
        Func<DbConnection, DbTransaction?, IAsyncEnumerable<T>> rows, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await foreach (var row in rows(connection, null).WithCancellation(cancellationToken))
        {
            yield return row;
        }
    }
}

/// <summary>Every call on one unit of work's connection and transaction.</summary>
internal sealed class TransactionScope(DbConnection connection, DbTransaction transaction, SqlDialect dialect, TimeProvider time) : RelationalScope(dialect, time)
{
    public override Task<T> RunAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work, CancellationToken cancellationToken) =>
        work(connection, transaction);

    public override IAsyncEnumerable<T> StreamAsync<T>(Func<DbConnection, DbTransaction?, IAsyncEnumerable<T>> rows, CancellationToken cancellationToken) =>
        rows(connection, transaction);
}
