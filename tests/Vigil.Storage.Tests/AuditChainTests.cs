using Microsoft.Data.Sqlite;
using Vigil.Storage.Audit;

namespace Vigil.Storage.Tests;

public sealed class AuditChainTests
{
    [Fact]
    public async Task Entries_chain_by_hash_and_verify()
    {
        await using var temp = await TempStore.CreateAsync();
        var first = await temp.Store.Audit.AppendAsync(new AuditRecord("user:ann", "signin.succeeded", "user:ann"), CancellationToken.None);
        var second = await temp.Store.Audit.AppendAsync(new AuditRecord("user:ann", "case.decided", "case:1", """{"reason":"x"}"""), CancellationToken.None);
        Assert.Equal(AuditChain.Genesis, first.PrevHash);
        Assert.Equal(first.Hash, second.PrevHash);
        Assert.Equal((1L, 2L), (first.Seq, second.Seq));
        var verification = await temp.Store.Audit.VerifyAsync(CancellationToken.None);
        Assert.True(verification.Ok);
        Assert.Equal(2, verification.Entries);
        Assert.Equal(second.Hash, verification.HeadHash);
    }

    [Fact]
    public async Task The_log_refuses_updates_and_deletes()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.Audit.AppendAsync(new AuditRecord("cli", "user.created", "user:ann"), CancellationToken.None);
        await using var connection = new SqliteConnection($"Data Source={temp.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE audit_log SET actor = 'someone else';";
        Assert.Contains("append-only", (await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync())).Message, StringComparison.Ordinal);
        command.CommandText = "DELETE FROM audit_log;";
        await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
    }

    [Theory]
    [InlineData("UPDATE audit_log SET details = '{\"reason\":\"changed\"}' WHERE seq = 2;", 2, "was changed")]
    [InlineData("DELETE FROM audit_log WHERE seq = 2;", 3, "missing")]
    [InlineData("UPDATE audit_log SET prev_hash = hash WHERE seq = 3;", 3, "previous hash")]
    public async Task Tampering_is_reported_at_the_first_broken_link(string tamper, long brokenAt, string problem)
    {
        await using var temp = await TempStore.CreateAsync();
        for (int i = 0; i < 4; i++)
        {
            await temp.Store.Audit.AppendAsync(new AuditRecord("cli", "test", $"thing:{i}", """{"reason":"x"}"""), CancellationToken.None);
        }

        await using (var connection = new SqliteConnection($"Data Source={temp.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; {tamper}";
            await command.ExecuteNonQueryAsync();
        }

        var verification = await temp.Store.Audit.VerifyAsync(CancellationToken.None);
        Assert.False(verification.Ok);
        Assert.Equal(brokenAt, verification.BrokenAt);
        Assert.Contains(problem, verification.Problem, StringComparison.Ordinal);
    }
}
