using Microsoft.Data.Sqlite;
using Vigil.Storage.Relational;

namespace Vigil.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file (WAL, full synchronous commits), migrated when opened. Reads run on their own
/// pooled connections beside a write; units of work run one at a time (an in-process gate, then <c>BEGIN IMMEDIATE</c>,
/// which also waits for writers in other processes), each committed and synced before the caller goes on.
/// </summary>
public sealed class SqliteVigilStore : RelationalVigilStore
{
    private readonly SqliteDatabase _database;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    private SqliteVigilStore(SqliteDatabase database, TimeProvider time)
        : base(async ct => await database.OpenConnectionAsync(ct), SqliteDialect.Instance, time)
    {
        _database = database;
    }

    public override string Location => _database.Path;

    public override IReadOnlyList<string> AppliedMigrations => _database.AppliedMigrations;

    /// <summary>Opens (creating and migrating) the database file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The database has migrations this version does not know (it was made by a newer Vigil).</exception>
    public static async Task<SqliteVigilStore> OpenAsync(string path, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        new(await SqliteDatabase.OpenAsync(path, cancellationToken), time ?? TimeProvider.System);

    public override ValueTask DisposeAsync()
    {
        _writeGate.Dispose();
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    private protected override async Task<RelationalUnitOfWork> BeginUnitAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        SqliteConnection? connection = null;
        try
        {
            connection = await _database.OpenConnectionAsync(cancellationToken);
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            return new RelationalUnitOfWork(connection, transaction, Dialect, Time, () => _writeGate.Release());
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            _writeGate.Release();
            throw;
        }
    }
}
