using Npgsql;

namespace Vigil.Storage.Postgres.Tests;

/// <summary>
/// The PostgreSQL server the tests use: the connection string in <c>VIGIL_TEST_POSTGRES</c> (a role that may create
/// databases; <c>.ci/run</c> starts a throw-away server and sets it). Each test gets a database of its own, made with a
/// random name and dropped afterwards.
/// </summary>
internal static class PostgresServer
{
    public const string Variable = "VIGIL_TEST_POSTGRES";

    /// <summary>The server's connection string, or null when the variable is unset (the tests are then skipped).</summary>
    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static string SkipReason => $"no PostgreSQL server: set {Variable} to a connection string (e.g. Host=127.0.0.1;Port=5432;Username=postgres) to run these tests; .ci/run does";

    /// <summary>Creates an empty database; returns the connection string to it.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        string name = $"vigil_test_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE {name};");
        return new NpgsqlConnectionStringBuilder(Server()) { Database = name }.ConnectionString;
    }

    /// <summary>Drops the database of <paramref name="connectionString"/> (closing what is still connected to it).</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        string name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE);");
    }

    /// <summary>Runs <paramref name="sql"/> on the database of <paramref name="connectionString"/>, on a connection of its own.</summary>
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static Task ExecuteAsync(string sql) => ExecuteAsync(new NpgsqlConnectionStringBuilder(Server()) { Database = "postgres" }.ConnectionString, sql);

    private static string Server() => ConnectionString ?? throw new InvalidOperationException(SkipReason);
}
