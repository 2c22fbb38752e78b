using System.Data.Common;
using System.Reflection;

namespace Vigil.Storage.Relational;

/// <summary>
/// Versioned migrations, the same way on every SQL backend: the backend's embedded <c>migrations/NAME.sql</c>, applied
/// in ordinal order of their names, each once and in its own transaction, recorded in <c>schema_migrations</c>. A
/// database that has a migration this version does not know was made by a newer Vigil and is refused.
/// </summary>
internal static class Migrator
{
    private const string Prefix = "migrations/";

    /// <summary>The migrations embedded in <paramref name="assembly"/>, in order.</summary>
    public static IReadOnlyList<(string Name, string Sql)> Embedded(Assembly assembly) =>
        [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n[Prefix.Length..^".sql".Length], Read(assembly, n)))];

    /// <summary>Applies the migrations of <paramref name="known"/> that are not applied yet; returns every applied one, in order.</summary>
    /// <exception cref="InvalidDataException">The database has a migration that is not in <paramref name="known"/>.</exception>
    public static async Task<IReadOnlyList<string>> MigrateAsync(DbConnection connection, IReadOnlyList<(string Name, string Sql)> known, CancellationToken cancellationToken)
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

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var migrate = connection.CreateCommand())
            {
                migrate.Transaction = transaction;
                migrate.CommandText = sql;
                await migrate.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (name, applied_at) VALUES (@name, @at);";
                record.AddParameter("@name", name);
                record.AddParameter("@at", DateTimeOffset.UtcNow.ToString("O"));
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            applied.Add(name);
        }

        return [.. applied.Order(StringComparer.Ordinal)];
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
