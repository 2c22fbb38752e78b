using Vigil.Storage.Contract;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests;

/// <summary>A fresh SQLite store in a temporary file, with a clock the test moves.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    private TempStore(SqliteVigilStore store, ManualClock clock, string path)
    {
        Store = store;
        Clock = clock;
        DatabasePath = path;
    }

    public SqliteVigilStore Store { get; }

    public ManualClock Clock { get; }

    public string DatabasePath { get; }

    public static async Task<TempStore> CreateAsync()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        string path = Path.Combine(Path.GetTempPath(), $"vigil-store-{Guid.NewGuid():N}.db");
        return new TempStore(await SqliteVigilStore.OpenAsync(path, clock), clock, path);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(DatabasePath + suffix);
        }
    }
}
