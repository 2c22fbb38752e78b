using System.Data;
using Npgsql;
using Vigil.Storage.Relational;

namespace Vigil.Storage.Postgres;

/// <summary>
/// The store on a PostgreSQL database, for one or several Vigil processes: reads on pooled connections, each unit of
/// work one READ COMMITTED transaction on its own connection, with the row and advisory locks of
/// <see cref="PostgresDialect"/> instead of an in-process lock, so that processes sharing the database keep one audit
/// chain, never lease the same delivery or case at once, and take over a dead process's leases when they end.
/// </summary>
public sealed class PostgresVigilStore : RelationalVigilStore
{
    private readonly PostgresDatabase _database;

    private PostgresVigilStore(PostgresDatabase database, TimeProvider time)
        : base(async ct => await database.DataSource.OpenConnectionAsync(ct), PostgresDialect.Instance, time)
    {
        _database = database;
    }

    public override string Location => _database.Location;

    public override IReadOnlyList<string> AppliedMigrations => _database.AppliedMigrations;

    /// <summary>Opens (and migrates) the database <paramref name="connection"/> names: an Npgsql connection string or a
    /// <c>postgres://</c> URL.</summary>
    /// <exception cref="ArgumentException">Not a valid connection string or URL.</exception>
    /// <exception cref="InvalidDataException">The database was migrated by a newer Vigil.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached or refused.</exception>
    public static async Task<PostgresVigilStore> OpenAsync(string connection, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        new(await PostgresDatabase.OpenAsync(PostgresConnectionString.ToNpgsql(connection), cancellationToken), time ?? TimeProvider.System);

    public override ValueTask DisposeAsync() => _database.DisposeAsync();

    private protected override async Task<RelationalUnitOfWork> BeginUnitAsync(CancellationToken cancellationToken)
    {
        var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            return new RelationalUnitOfWork(connection, transaction, Dialect, Time);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
