using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"vigil-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task Applies_every_migration_once_in_order_and_uses_wal()
    {
        var first = await SqliteDatabase.OpenAsync(_path);
        var expected = SqliteDatabase.EmbeddedMigrations().Select(m => m.Name).ToList();
        Assert.Equal(expected, first.AppliedMigrations);
        Assert.Equal(expected.Order(StringComparer.Ordinal), expected);

        var again = await SqliteDatabase.OpenAsync(_path); // a second open applies nothing new and fails on nothing
        Assert.Equal(expected, again.AppliedMigrations);

        await using var connection = await again.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        command.CommandText = "SELECT count(*) FROM schema_migrations;";
        Assert.Equal((long)expected.Count, (long)(await command.ExecuteScalarAsync())!);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
    }
}
