using Vigil.Storage.Contract;

namespace Vigil.Storage.Postgres.Tests;

/// <summary><c>vigil migrate</c> from a SQLite deployment into PostgreSQL (a fresh database per test).</summary>
public sealed class PostgresMigrationContract : StoreMigrationContract
{
    private string? _database;

    protected override async Task<IVigilStore> OpenTargetAsync(TimeProvider clock)
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        return await PostgresVigilStore.OpenAsync(_database, clock);
    }

    protected override async Task<System.Data.Common.DbConnection> OpenTargetConnectionAsync()
    {
        var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(_database) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected override Task DropTargetAsync() => _database is null ? Task.CompletedTask : PostgresServer.DropDatabaseAsync(_database);
}
