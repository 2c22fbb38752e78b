using Npgsql;

namespace Vigil.Cli.Tests;

/// <summary>A test that needs the PostgreSQL server of <c>VIGIL_TEST_POSTGRES</c> (<c>.ci/run</c> starts one); skipped, with
/// the reason, without it.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("VIGIL_TEST_POSTGRES")))
        {
            Skip = "no PostgreSQL server: set VIGIL_TEST_POSTGRES to a connection string to run it; .ci/run does";
        }
    }
}

/// <summary>The commands that take --db, on PostgreSQL, as separate processes writing at once.</summary>
public class PostgresCommandTests
{
    [PostgresFact]
    public async Task Processes_writing_at_once_keep_one_audit_chain_that_verifies()
    {
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("VIGIL_TEST_POSTGRES")) { Database = "postgres", Pooling = false };
        string name = $"vigil_cli_{Guid.NewGuid():N}";
        await ExecuteAsync(server.ConnectionString, $"CREATE DATABASE {name};");
        string db = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
        try
        {
            using var temp = new TempFolder();
            Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "create", "tvec", "--db", db).ExitCode);

            // Two writers at a time, each a process of its own: keys created, users added.
            var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => i % 2 == 0
                ? VigilProcess.Run(temp.Path, "key", "create", "--name", $"k{i}", "--scope", "ingest", "--db", db)
                : VigilProcess.RunWithInput(temp.Path, "a-long-enough-password\n", "user", "add", $"u{i}", "--role", "analyst", "--password-stdin", "--db", db))));
            Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Stderr));

            var verify = VigilProcess.Run(temp.Path, "audit", "verify", "--db", db);
            Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
            Assert.Contains("7 entries", verify.Stdout, StringComparison.Ordinal);
            Assert.Equal(3, VigilProcess.Run(temp.Path, "key", "list", "--db", db).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Contains("tvec", VigilProcess.Run(temp.Path, "bank", "list", "--db", db).Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(server.Password ?? "no password", verify.Stdout + verify.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server.ConnectionString, $"DROP DATABASE IF EXISTS {name} WITH (FORCE);");
        }
    }

    internal static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
