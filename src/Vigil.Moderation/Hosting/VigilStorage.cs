using Vigil.Storage;
using Vigil.Storage.Sqlite;

namespace Vigil.Moderation.Hosting;

/// <summary>
/// Opens the store a connection string names, for every host (the service, the CLI): the one place that chooses the
/// storage backend. Today that is SQLite: a file path, or <c>Data Source=PATH</c>.
/// </summary>
public static class VigilStorage
{
    /// <summary>The default database: <c>vigil.db</c> in the current folder.</summary>
    public const string DefaultConnection = "vigil.db";

    /// <summary>Opens (creating and migrating) the store.</summary>
    /// <exception cref="ArgumentException">The connection string names a backend this build does not have.</exception>
    /// <exception cref="InvalidDataException">The database was migrated by a newer Vigil.</exception>
    public static async Task<IVigilStore> OpenAsync(string connection, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        return await SqliteVigilStore.OpenAsync(SqlitePath(connection), time, cancellationToken);
    }

    /// <summary>Whether the connection string names a database that does not exist yet (a SQLite file not yet made).</summary>
    public static bool IsMissing(string connection) => !File.Exists(SqlitePath(connection));

    private static string SqlitePath(string connection)
    {
        string text = connection.Trim();
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || text.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("PostgreSQL storage is not in this build of Vigil yet; use a SQLite file path.", nameof(connection));
        }

        const string prefix = "Data Source=";
        return text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? text[prefix.Length..].Trim().TrimEnd(';') : text;
    }
}

/// <summary>Holds a host's store: opened once, asynchronously, before the host serves (<see cref="OpenAsync"/>).</summary>
public sealed class StorageHolder(string connection, TimeProvider time) : IAsyncDisposable
{
    private IVigilStore? _store;

    /// <summary>The connection string.</summary>
    public string Connection => connection;

    /// <summary>The store.</summary>
    /// <exception cref="InvalidOperationException">It was not opened yet.</exception>
    public IVigilStore Store => _store ?? throw new InvalidOperationException("The store is not open yet: call StorageHolder.OpenAsync at start-up.");

    public async Task<IVigilStore> OpenAsync(CancellationToken cancellationToken)
    {
        return _store ??= await VigilStorage.OpenAsync(connection, time, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is { } store)
        {
            await store.DisposeAsync();
        }
    }
}
