using Vigil.Storage;
using Vigil.Storage.Postgres;
using Vigil.Storage.Sqlite;

namespace Vigil.Moderation.Hosting;

/// <summary>
/// Opens the store a connection string names, for every host (the service, the CLI): the one place that chooses the
/// storage backend. PostgreSQL for an Npgsql connection string (<c>Host=…;Database=…</c>) or a <c>postgres://</c> /
/// <c>postgresql://</c> URL; otherwise SQLite: a file path, or <c>Data Source=PATH</c>.
/// </summary>
public static class VigilStorage
{
    /// <summary>The default database: <c>vigil.db</c> in the current folder.</summary>
    public const string DefaultConnection = "vigil.db";

    /// <summary>Opens (creating and migrating) the store.</summary>
    /// <exception cref="ArgumentException">The connection string is not valid.</exception>
    /// <exception cref="InvalidDataException">The database was migrated by a newer Vigil.</exception>
    /// <exception cref="System.Data.Common.DbException">The database cannot be opened (a PostgreSQL server that cannot be reached, say).</exception>
    public static async Task<IVigilStore> OpenAsync(string connection, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        return IsPostgres(connection)
            ? await PostgresVigilStore.OpenAsync(connection, time, cancellationToken)
            : await SqliteVigilStore.OpenAsync(SqlitePath(connection), time, cancellationToken);
    }

    /// <summary>Whether the connection string names a PostgreSQL database.</summary>
    public static bool IsPostgres(string connection) => PostgresConnectionString.IsPostgres(connection);

    /// <summary>Whether the connection string names a database that does not exist yet (a SQLite file not yet made; a
    /// PostgreSQL database is never taken for missing: opening it says whether it can be reached).</summary>
    public static bool IsMissing(string connection) => !IsPostgres(connection) && !File.Exists(SqlitePath(connection));

    /// <summary>The connection string as another process (or folder) should be given it: a SQLite file's full path; a
    /// PostgreSQL connection string as it is.</summary>
    public static string Absolute(string connection) => IsPostgres(connection) ? connection : Path.GetFullPath(SqlitePath(connection));

    /// <summary>Where the database is, for messages and logs: the SQLite file, or the PostgreSQL server and database
    /// without the password.</summary>
    public static string Describe(string connection)
    {
        if (!IsPostgres(connection))
        {
            return SqlitePath(connection);
        }

        try
        {
            return PostgresConnectionString.Describe(PostgresConnectionString.ToNpgsql(connection));
        }
        catch (ArgumentException)
        {
            return "a PostgreSQL database (the connection string is not valid)";
        }
    }

    private static string SqlitePath(string connection)
    {
        string text = connection.Trim();
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
