using Npgsql;
using Vigil.Storage.Relational;

namespace Vigil.Storage.Postgres;

/// <summary>
/// Vigil's PostgreSQL database: a pooled Npgsql data source, migrated when opened (embedded <c>Migrations/*.sql</c>,
/// named as SQLite's, applied in order, each once, in a transaction, under an advisory lock so that several processes
/// starting together migrate once).
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private PostgresDatabase(NpgsqlDataSource dataSource, string location, IReadOnlyList<string> applied)
    {
        DataSource = dataSource;
        Location = location;
        AppliedMigrations = applied;
    }

    /// <summary>The pooled connections.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Where the database is, without the password.</summary>
    public string Location { get; }

    /// <summary>The migrations applied, in order.</summary>
    public IReadOnlyList<string> AppliedMigrations { get; }

    /// <summary>Opens the database and applies pending migrations.</summary>
    /// <param name="connectionString">An Npgsql connection string (see <see cref="PostgresConnectionString.ToNpgsql"/>).</param>
    /// <exception cref="InvalidDataException">The database was migrated by a newer Vigil.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached or refused.</exception>
    public static async Task<PostgresDatabase> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "vigil";
        }

        var dataSource = NpgsqlDataSource.Create(builder);
        try
        {
            IReadOnlyList<string> applied;
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            {
                await using var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(@key);", connection);
                lockCommand.Parameters.AddWithValue("key", PostgresDialect.MigrationLock);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
                try
                {
                    applied = await Migrator.MigrateAsync(connection, EmbeddedMigrations(), cancellationToken);
                }
                finally
                {
                    await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key);", connection);
                    unlock.Parameters.AddWithValue("key", PostgresDialect.MigrationLock);
                    await unlock.ExecuteNonQueryAsync(CancellationToken.None);
                }
            }

            return new PostgresDatabase(dataSource, PostgresConnectionString.Describe(builder.ConnectionString), applied);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    internal static IReadOnlyList<(string Name, string Sql)> EmbeddedMigrations() => Migrator.Embedded(typeof(PostgresDatabase).Assembly);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
