using Microsoft.Data.Sqlite;
using Npgsql;
using Vigil.Storage.Contract;
using Vigil.Storage.Postgres;
using Vigil.Storage.Sqlite;

namespace Vigil.Cli.Tests;

public class MigrateCommandTests
{
    [Fact]
    public void Copies_a_database_verifies_it_and_copies_nothing_twice()
    {
        using var temp = new TempFolder();
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "create", "tvec").ExitCode);
        Assert.Equal(0, VigilProcess.Run(temp.Path, "key", "create", "--name", "acme", "--scope", "ingest").ExitCode);

        var first = VigilProcess.Run(temp.Path, "migrate", "--from", "vigil.db", "--to", "copy.db");
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("verified", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("audit                      2 copied, 0 already there", first.Stderr, StringComparison.Ordinal);
        var again = VigilProcess.Run(temp.Path, "migrate", "--from", "vigil.db", "--to", "copy.db");
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("audit                      0 copied, 2 already there", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, VigilProcess.Run(temp.Path, "audit", "verify", "--db", "copy.db").ExitCode);
        Assert.Contains("acme", VigilProcess.Run(temp.Path, "key", "list", "--db", "copy.db").Stdout, StringComparison.Ordinal);

        // A copy that went its own way is refused; so are a missing source and the same database twice.
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "create", "only-in-copy", "--db", "copy.db").ExitCode);
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "create", "only-in-source").ExitCode);
        var diverged = VigilProcess.Run(temp.Path, "migrate", "--from", "vigil.db", "--to", "copy.db");
        Assert.Equal(3, diverged.ExitCode);
        Assert.Contains("is not the one of", diverged.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, VigilProcess.Run(temp.Path, "migrate", "--from", "nothing.db", "--to", "copy.db").ExitCode);
        Assert.Equal(2, VigilProcess.Run(temp.Path, "migrate", "--from", "vigil.db", "--to", "./vigil.db").ExitCode);
    }
}

/// <summary><c>vigil migrate</c> of a used SQLite deployment (orders, preservation, statements, notices, complaints,
/// sessions, two-factor users, …) into PostgreSQL, run twice.</summary>
public class MigrateToPostgresTests
{
    [PostgresFact]
    public async Task A_used_deployment_reads_the_same_on_PostgreSQL_and_a_second_run_copies_nothing()
    {
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("VIGIL_TEST_POSTGRES")) { Database = "postgres", Pooling = false };
        string name = $"vigil_migrate_{Guid.NewGuid():N}";
        await PostgresCommandTests.ExecuteAsync(server.ConnectionString, $"CREATE DATABASE {name};");
        string db = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
        try
        {
            using var temp = new TempFolder();
            var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
            await using (var store = await SqliteVigilStore.OpenAsync(Path.Combine(temp.Path, "vigil.db"), clock))
            {
                var deployment = new UsedDeployment(clock);
                await deployment.UseAsync(store, "");
                await deployment.UseComplianceAsync(store, "");
            }

            SqliteConnection.ClearAllPools();
            var first = VigilProcess.Run(temp.Path, "migrate", "--from", "vigil.db", "--to", db);
            Assert.True(first.ExitCode == 0, first.Stderr);
            Assert.Contains("verified", first.Stderr, StringComparison.Ordinal);
            foreach (string kind in new[] { "sessions", "removal orders", "preservations", "preservation holds", "statements", "notices", "complaints" })
            {
                Assert.Matches($@"\n  {kind} +[1-9][0-9]* copied, 0 already there", first.Stderr);
            }

            var again = VigilProcess.Run(temp.Path, "migrate", "--from", "vigil.db", "--to", db);
            Assert.True(again.ExitCode == 0, again.Stderr);
            Assert.DoesNotMatch(@"  [a-z ]+ +[1-9][0-9,]* copied", again.Stderr);
            Assert.Equal(0, VigilProcess.Run(temp.Path, "audit", "verify", "--db", db).ExitCode);

            // Read back through the stores (leases read as of a later time on both sides: the copy ran at today's time).
            var later = new ManualClock(new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
            await using var source = await SqliteVigilStore.OpenAsync(Path.Combine(temp.Path, "vigil.db"), later);
            await using var target = await PostgresVigilStore.OpenAsync(db, later);
            Assert.Equal(await source.Export.CountAsync(CancellationToken.None), await target.Export.CountAsync(CancellationToken.None));
            await UsedDeployment.AssertSameExportsAsync(source, target);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            SqliteConnection.ClearAllPools();
            await PostgresCommandTests.ExecuteAsync(server.ConnectionString, $"DROP DATABASE IF EXISTS {name} WITH (FORCE);");
        }
    }
}
