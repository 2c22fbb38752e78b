using Microsoft.Data.Sqlite;
using Vigil.Storage.Relational;

namespace Vigil.Storage.Sqlite;

/// <summary>
/// Vigil's embedded database: one SQLite file in WAL mode with full synchronous commits, so that a write that was
/// acknowledged survives a crash of the process (and of the machine). Versioned migrations (embedded
/// <c>Sqlite/Migrations/*.sql</c>, applied in ordinal order of their names, each once, each in a transaction) run
/// when it opens. Connections are cheap (pooled); open one per unit of work.
/// </summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;

    private SqliteDatabase(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The migrations applied, in order.</summary>
    public IReadOnlyList<string> AppliedMigrations { get; private set; } = [];

    /// <summary>Opens (creating if needed) the database at <paramref name="path"/> and applies pending migrations.</summary>
    public static async Task<SqliteDatabase> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        string? directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var database = new SqliteDatabase(path);
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            await using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
            database.AppliedMigrations = await Migrator.MigrateAsync(connection, EmbeddedMigrations(), cancellationToken);
        }

        return database;
    }

    /// <summary>An open connection with Vigil's settings (foreign keys on, full synchronous commits, busy timeout).</summary>
    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;";
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    internal static IReadOnlyList<(string Name, string Sql)> EmbeddedMigrations() => Migrator.Embedded(typeof(SqliteDatabase).Assembly);
}
