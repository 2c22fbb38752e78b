using Dapper;
using Microsoft.Data.Sqlite;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Store;

/// <summary>
/// Runs units of work on the SQLite database: reads on their own pooled connection (WAL lets them run beside a
/// write), writes one at a time through an in-process gate, each in one <c>BEGIN IMMEDIATE</c> transaction that is
/// committed (and synced) before the caller is answered.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    static SqliteSession()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public SqliteSession(SqliteDatabase database, TimeProvider time)
    {
        Database = database;
        Time = time;
    }

    public SqliteDatabase Database { get; }

    public TimeProvider Time { get; }

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenConnectionAsync(cancellationToken);
        return await work(connection);
    }

    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await Database.OpenConnectionAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(CancellationToken.None);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Dispose() => _writeGate.Dispose();

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? FromMs(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
}
