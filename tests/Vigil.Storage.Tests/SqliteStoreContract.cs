using Microsoft.Data.Sqlite;
using Vigil.Storage.Contract;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests;

/// <summary>The storage contract on the embedded SQLite store: a fresh database file per test.</summary>
public sealed class SqliteStoreContract : StoreContract
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"vigil-contract-{Guid.NewGuid():N}.db");

    protected override IReadOnlyList<string> ExpectedMigrations { get; } =
        ["0000_meta", "0010_content", "0020_cases", "0030_users", "0040_audit", "0050_webhooks", "0060_policies", "0100_banks", "0110_parts_and_signal_types"];

    protected override async Task<IVigilStore> OpenStoreAsync(TimeProvider clock) => await SqliteVigilStore.OpenAsync(_path, clock);

    protected override Task<IVigilStore> ReopenStoreAsync(TimeProvider clock) => OpenStoreAsync(clock);

    protected override async Task ExecuteRawAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    protected override Task DropStoreAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }

        return Task.CompletedTask;
    }
}
