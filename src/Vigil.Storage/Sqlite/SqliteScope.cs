using Dapper;
using Microsoft.Data.Sqlite;

namespace Vigil.Storage.Sqlite;

/// <summary>
/// Where a repository's SQL runs: on a fresh pooled connection per call (reads outside a unit of work; WAL lets them run
/// beside a write), or on a unit of work's connection and transaction.
/// </summary>
internal abstract class SqliteScope(TimeProvider time)
{
    static SqliteScope()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public TimeProvider Time { get; } = time;

    /// <summary>Now, in Unix milliseconds (for reading leases as live or expired).</summary>
    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public abstract Task<T> RunAsync<T>(Func<SqliteConnection, SqliteTransaction?, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Streams rows: the connection stays open while the caller enumerates.</summary>
    public abstract IAsyncEnumerable<T> StreamAsync<T>(Func<SqliteConnection, SqliteTransaction?, IAsyncEnumerable<T>> rows, CancellationToken cancellationToken);

    public static DateTimeOffset FromMs(long ms) => Relational.UnixMs.From(ms);

    public static DateTimeOffset? FromMs(long? ms) => Relational.UnixMs.From(ms);

    public static long Ms(DateTimeOffset at) => Relational.UnixMs.Of(at);
}

/// <summary>Each call on its own connection.</summary>
internal sealed class ConnectionScope(SqliteDatabase database, TimeProvider time) : SqliteScope(time)
{
    public override async Task<T> RunAsync<T>(Func<SqliteConnection, SqliteTransaction?, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await work(connection, null);
    }

    public override async IAsyncEnumerable<T> StreamAsync<T>(
        Func<SqliteConnection, SqliteTransaction?, IAsyncEnumerable<T>> rows, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await foreach (var row in rows(connection, null).WithCancellation(cancellationToken))
        {
            yield return row;
        }
    }
}

/// <summary>Every call on one unit of work's connection and transaction.</summary>
internal sealed class TransactionScope(SqliteConnection connection, SqliteTransaction transaction, TimeProvider time) : SqliteScope(time)
{
    public override Task<T> RunAsync<T>(Func<SqliteConnection, SqliteTransaction?, Task<T>> work, CancellationToken cancellationToken) =>
        work(connection, transaction);

    public override IAsyncEnumerable<T> StreamAsync<T>(Func<SqliteConnection, SqliteTransaction?, IAsyncEnumerable<T>> rows, CancellationToken cancellationToken) =>
        rows(connection, transaction);
}
