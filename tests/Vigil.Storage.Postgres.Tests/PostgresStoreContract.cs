using Vigil.Storage.Contract;

namespace Vigil.Storage.Postgres.Tests;

/// <summary>The storage contract on PostgreSQL: a fresh database per test on the server of <c>VIGIL_TEST_POSTGRES</c>.</summary>
public sealed class PostgresStoreContract : StoreContract
{
    private string? _database;

    protected override IReadOnlyList<string> ExpectedMigrations { get; } =
        ["0000_meta", "0010_content", "0020_cases", "0030_users", "0040_audit", "0050_webhooks", "0060_policies", "0100_banks", "0110_parts_and_signal_types", "0120_queued_content", "0130_compliance_role", "0131_removal_orders", "0132_preservation", "0140_statements_of_reasons", "0141_notices_and_complaints", "0150_user_security", "0160_outbox_vacuum"];

    protected override async Task<IVigilStore> OpenStoreAsync(TimeProvider clock)
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        return await PostgresVigilStore.OpenAsync(_database, clock);
    }

    protected override async Task<IVigilStore> ReopenStoreAsync(TimeProvider clock) => await PostgresVigilStore.OpenAsync(_database!, clock);

    protected override Task ExecuteRawAsync(string sql) => PostgresServer.ExecuteAsync(_database!, sql);

    protected override Task DropStoreAsync() => _database is null ? Task.CompletedTask : PostgresServer.DropDatabaseAsync(_database);
}
