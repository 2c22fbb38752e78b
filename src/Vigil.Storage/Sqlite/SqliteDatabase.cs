using System.Reflection;
using Microsoft.Data.Sqlite;

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

        // A new database is its owner's only (0600); SQLite gives its WAL and shared-memory files the same mode.
        if (!OperatingSystem.IsWindows() && !File.Exists(path))
        {
            try
            {
                using var _ = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
            }
            catch (IOException) when (File.Exists(path))
            {
                // created meanwhile by another process
            }
        }

        var database = new SqliteDatabase(path);
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            await using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
            database.AppliedMigrations = await MigrateAsync(connection, cancellationToken);
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

    internal static IReadOnlyList<(string Name, string Sql)> EmbeddedMigrations()
    {
        var assembly = typeof(SqliteDatabase).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("migrations/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n["migrations/".Length..^".sql".Length], Read(assembly, n)))];
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task<IReadOnlyList<string>> MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL);";
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = new HashSet<string>(StringComparer.Ordinal);
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT name FROM schema_migrations;";
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetString(0));
            }
        }

        var known = EmbeddedMigrations();
        if (applied.FirstOrDefault(a => !known.Any(k => k.Name == a)) is { } newer)
        {
            throw new InvalidDataException(
                $"The database was migrated by a newer Vigil (migration '{newer}' is unknown to this one); upgrade Vigil, or open a copy made before the upgrade.");
        }

        foreach (var (name, sql) in known)
        {
            if (applied.Contains(name))
            {
                continue;
            }

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using (var migrate = connection.CreateCommand())
            {
                migrate.Transaction = transaction;
                migrate.CommandText = sql;
                await migrate.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (name, applied_at) VALUES ($name, $at);";
                record.Parameters.AddWithValue("$name", name);
                record.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            applied.Add(name);
        }

        return [.. applied.Order(StringComparer.Ordinal)];
    }
}
