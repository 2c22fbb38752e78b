using Microsoft.Data.Sqlite;
using Vigil.Storage.Contract;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests;

/// <summary><c>vigil migrate</c> from one SQLite deployment into another SQLite file.</summary>
public sealed class SqliteMigrationContract : StoreMigrationContract
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"vigil-migrate-target-{Guid.NewGuid():N}.db");

    protected override async Task<IVigilStore> OpenTargetAsync(TimeProvider clock) => await SqliteVigilStore.OpenAsync(_path, clock);

    protected override async Task<System.Data.Common.DbConnection> OpenTargetConnectionAsync()
    {
        var connection = new SqliteConnection($"Data Source={_path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    protected override Task DropTargetAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }

        return Task.CompletedTask;
    }
}
